/**
 * A request as the engine sees it: read off the wire by the HTTP layer (which alone knows Express),
 * with its body already read under the size limit. The engine answers with an HttpReply, which the
 * HTTP layer writes back. Nothing in here is tied to a framework.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { BodyError } from '../http.js';

export interface RawRequest {
  /** The emulator's id for this request (a UUID): log lines and the journal name it. */
  readonly id: string;
  readonly method: string;
  /** The path and query exactly as sent. */
  readonly url: string;
  /** The path without the query, not decoded. */
  readonly path: string;
  /** The query string without `?` ('' when there is none), not decoded. */
  readonly rawQuery: string;
  /** Lower-case header names, as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body (empty when there is none); undefined only when `bodyError` says why. */
  readonly body: Buffer;
  readonly bodyError?: BodyError;
  /** The body size limit it was read under (bytes), for a provider's 413 message. */
  readonly bodyLimit: number;
  readonly remoteAddress?: string;
}

export interface HttpReply {
  status: number;
  /** Reason phrase, when Node has none for the status (e.g. 449). */
  statusMessage?: string;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** A header's value as one string (repeated headers joined by ","), undefined when absent or empty. */
export function headerOf(req: Pick<RawRequest, 'headers'>, name: string): string | undefined {
  // Names may come from the client (a SignedHeaders list): only headers it sent, never an inherited `constructor`.
  const v = Object.hasOwn(req.headers, name) ? req.headers[name] : undefined;
  const s = Array.isArray(v) ? v.join(',') : v;
  return s === undefined || s === '' ? undefined : s;
}

/** The query as own-property-only pairs (a `__proto__` parameter is a parameter, not a prototype). */
export function queryOf(req: Pick<RawRequest, 'rawQuery'>): Map<string, string> {
  const out = new Map<string, string>();
  if (req.rawQuery) for (const [k, v] of new URLSearchParams(req.rawQuery)) if (!out.has(k)) out.set(k, v);
  return out;
}

/** JSON with a content type, the usual reply. */
export function jsonReply(status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: JSON.stringify(body) };
}
