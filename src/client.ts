/**
 * A typed client of the control plane (/_emulator), the same for an emulator started in-process and
 * one in a container: `new EmulatorClient(url, { token })`. It needs only `fetch` (Node 18+), imports
 * nothing from the engine, and is also built as CommonJS (dist/cjs), so any test runner can load it.
 */

import type {
  ClockMode,
  ClockState,
  SettleResult,
  PendingTransition,
  CompletedTransition,
  FaultRuleInput,
  FaultRuleHeld,
  RequestRecord,
  RequestFilter,
  Health,
  ResettablePart,
  ClientResetOptions,
  TransitionDurations,
  SettingValues,
  StateDocument,
  ResourceRecord,
  ResourcePage,
  FaultKind,
  OperationCatalogue,
} from './control-types.js';
// Every control-plane type is the client's public API too (one source: control-types.d.ts).
export type * from './control-types.js';

/**
 * One event of GET /_emulator/events. `request`: a journal entry (RequestRecord); `state`: resources
 * changed ({ provider, ids, all? }); `completed`: a CompletedTransition; `clock`: ClockState; `faults`, `settings`, `transitions`,
 * `reset`: {} (read the route again).
 */
export interface EmulatorEvent {
  event: 'request' | 'state' | 'completed' | 'clock' | 'faults' | 'settings' | 'transitions' | 'reset' | (string & {});
  id?: string;
  data: any;
}

export interface EmulatorClientOptions {
  /** The --control-token, when the emulator runs with one. */
  token?: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
}

/** A control-plane call that failed: the status and the emulator's `errors` list. */
export class EmulatorClientError extends Error {
  constructor(
    readonly status: number,
    readonly errors: Array<{ message: string; path?: string }>,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} answered ${status}: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'EmulatorClientError';
  }
}

export class EmulatorClient {
  readonly url: string;
  private readonly token?: string;
  private readonly fetchImpl: typeof fetch;

  constructor(url: string, options: EmulatorClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.token = options.token;
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw new TypeError('EmulatorClient needs fetch (Node 18 or later)');
    this.fetchImpl = f;
  }

  health(): Promise<Health> {
    return this.call('GET', '/health');
  }

  /** The whole state document. */
  state(): Promise<StateDocument> {
    return this.call('GET', '/state');
  }

  /** Replaces the state document (defaults filled in); answers it. */
  putState(doc: StateDocument): Promise<StateDocument> {
    return this.call('PUT', '/state', doc);
  }

  /** Merges a partial state document by id. */
  seed(partial: StateDocument): Promise<{ status: 'seeded'; entries: number }> {
    return this.call('POST', '/seed', partial);
  }

  /** Back to the fixtures (or empty), and the clock, transitions, settings, faults and journal as configured, but what `keep` names. */
  async reset(options: ClientResetOptions = {}): Promise<void> {
    await this.call('POST', '/reset', options);
  }

  clock(): Promise<ClockState> {
    return this.call('GET', '/clock');
  }

  /** Sets the mode and/or moves the clock (`set`: an ISO time or ms); due transitions settle. */
  setClock(change: { mode?: ClockMode; set?: string | number; advanceMs?: number }): Promise<ClockState> {
    return this.call('POST', '/clock', change);
  }

  advance(ms: number): Promise<ClockState> {
    return this.setClock({ advanceMs: ms });
  }

  /** Moves the clock to when the last pending step (of every resource, or of one) is due, and settles them: instead of polling. */
  settle(options: { resource?: string } = {}): Promise<ClockState & SettleResult> {
    return this.call('POST', '/clock', { settle: options.resource === undefined ? true : { resource: options.resource } });
  }

  /** The pending transition steps, in due order. */
  async pending(options: { resource?: string } = {}): Promise<PendingTransition[]> {
    const query = options.resource === undefined ? '' : `?resource=${encodeURIComponent(options.resource)}`;
    return (await this.call<{ pending: PendingTransition[] }>('GET', `/transitions/pending${query}`)).pending;
  }

  /** The transition steps the clock completed (advance, settle, timer), oldest first: the last `limit`, of one provider or resource. */
  async completedTransitions(filter: { provider?: string; resource?: string; limit?: number } = {}): Promise<CompletedTransition[]> {
    return (await this.call<{ completed: CompletedTransition[] }>('GET', `/transitions/completed${queryOf(filter)}`)).completed;
  }

  transitions(): Promise<TransitionDurations> {
    return this.call('GET', '/transitions');
  }

  setTransitions(changes: Record<string, number | string | null>): Promise<TransitionDurations> {
    return this.call('PUT', '/transitions', changes);
  }

  settings(): Promise<SettingValues> {
    return this.call('GET', '/settings');
  }

  setSettings(changes: SettingValues): Promise<SettingValues> {
    return this.call('PATCH', '/settings', changes);
  }

  async faults(): Promise<FaultRuleHeld[]> {
    return (await this.call<{ faults: FaultRuleHeld[] }>('GET', '/faults')).faults;
  }

  /** Adds one rule or several (all checked before any is added); answers the rules added. */
  async addFaults(rules: FaultRuleInput | FaultRuleInput[]): Promise<FaultRuleHeld[]> {
    return (await this.call<{ faults: FaultRuleHeld[] }>('POST', '/faults', rules)).faults;
  }

  async removeFault(id: string): Promise<void> {
    await this.call('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  /** The journal of provider requests served, oldest first. */
  async requests(filter: RequestFilter & { limit?: number } = {}): Promise<RequestRecord[]> {
    return (await this.call<{ requests: RequestRecord[] }>('GET', `/requests${queryOf(filter)}`)).requests;
  }

  /** How many journal entries match. */
  async requestsCount(filter: RequestFilter = {}): Promise<number> {
    return (await this.call<{ count: number }>('GET', `/requests/count${queryOf(filter)}`)).count;
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', '/requests');
  }

  /** A page of resources (`limit` 1 to 5000, default 500), of one provider or all. */
  resources(options: { provider?: string; limit?: number; offset?: number } = {}): Promise<ResourcePage> {
    return this.call('GET', `/resources${queryOf(options)}`);
  }

  /** One resource by its provider-native id (a 404 EmulatorClientError when there is none). */
  resource(provider: string, id: string): Promise<ResourceRecord> {
    return this.call('GET', `/resources/${encodeURIComponent(provider)}/${encodeURIComponent(id)}`);
  }

  /** Each enabled provider's operations and the kinds of fault rule: what a fault form offers. */
  operations(): Promise<OperationCatalogue> {
    return this.call('GET', '/operations');
  }

  /**
   * Reads the live event stream, calling `onEvent` for each event, until the emulator ends it
   * (resolves), the connection fails (rejects) or `signal` aborts (resolves). It does not
   * reconnect: call it again (the stream has no replay; re-read what you show).
   */
  async events(onEvent: (event: EmulatorEvent) => void, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const path = '/_emulator/events';
    try {
      const res = await this.fetchImpl(`${this.url}${path}`, { method: 'GET', headers, signal });
      if (!res.ok || !res.body) {
        const text = await res.text();
        let errors: Array<{ message: string }>;
        try {
          errors = JSON.parse(text).errors;
        } catch {
          errors = [{ message: text.slice(0, 500) || res.statusText }];
        }
        throw new EmulatorClientError(res.status, Array.isArray(errors) ? errors : [{ message: res.statusText }], 'GET', path);
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (frame) onEvent(frame);
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }

  /** The OpenAPI 3.1 description of the control plane. */
  openapi(): Promise<Record<string, unknown>> {
    return this.call('GET', '/openapi.json');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const res = await this.fetchImpl(`${this.url}/_emulator${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const errors = Array.isArray(parsed?.errors) ? parsed.errors : [{ message: text.slice(0, 500) || res.statusText }];
      throw new EmulatorClientError(res.status, errors, method, `/_emulator${path}`);
    }
    return parsed as T;
  }
}

/** One server-sent frame (its lines), or undefined for a comment or a retry line alone. */
function parseFrame(text: string): EmulatorEvent | undefined {
  let event = 'message';
  let id: string | undefined;
  const data: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  const raw = data.join('\n');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = raw;
  }
  return { event, ...(id !== undefined ? { id } : {}), data: parsed };
}

function queryOf(filter: object): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) params.set(k, String(v));
  return params.size > 0 ? `?${params}` : '';
}
