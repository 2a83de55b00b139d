/**
 * The dashboard's only way to the emulator: the documented control plane (/_emulator), the same
 * routes the typed client (src/client.ts) calls. The control token, when the emulator has one, is
 * kept in sessionStorage (this tab only, gone when it closes) and sent as a Bearer header.
 */

export interface ApiErrorItem {
  message: string;
  path?: string;
}

/** A control-plane call that failed: its status and the emulator's `errors` list. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorItem[],
  ) {
    super(errors.map((e) => e.message).join('; ') || `HTTP ${status}`);
  }
}

const TOKEN_KEY = 'cloud-api-emulator.control-token';

let unauthorized: () => void = () => {};

/** Called when a call answers 401: the page asks for the token. */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled: the token lives only as long as the page (below)
  }
}

export function setToken(value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    /* storage disabled */
  }
}

export function authHeaders(): Record<string, string> {
  const t = token();
  return t ? { authorization: `Bearer ${t}` } : {};
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/_emulator${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, [{ message: `the emulator cannot be reached (${(err as Error).message})` }]);
  }
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (res.status === 401) unauthorized();
  if (!res.ok) {
    const errors: ApiErrorItem[] = Array.isArray(parsed?.errors) ? parsed.errors : [{ message: text.slice(0, 500) || res.statusText }];
    throw new ApiError(res.status, errors);
  }
  return parsed as T;
}

/** A query string of the defined values. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
