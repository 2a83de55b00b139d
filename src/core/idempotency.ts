/**
 * Client tokens (Alibaba's ClientToken and the like): the same token with the same parameters
 * replays the first answer; the same token with other parameters is a conflict. Tokens are kept in
 * the state document, written in the same transaction as the change they name (the pipeline does
 * that), so a retry after an emulator restart is still recognised and never applies a change twice.
 */
import { createHash } from 'node:crypto';
import type { Json } from './state.js';
import type { Tx } from './store.js';

export const IDEMPOTENCY_COLLECTION = 'emulator.idempotency';
/** Tokens kept at most (documented in the README): the oldest are dropped to make room. */
export const MAX_TOKENS = 10000;
/** Dropped at once when the limit is reached, so making room is one pass per this many new tokens. */
const EVICT_BATCH = 500;
/**
 * Largest answer (bytes of JSON) a token keeps. A larger one is not remembered: a retry runs the
 * call again, which is the token's documented contract anyway for an answer never received.
 */
export const MAX_REMEMBERED_BYTES = 64 * 1024;

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  response: Json;
  at: number;
}

export type IdempotencyCheck = { kind: 'new' } | { kind: 'replay'; response: Json } | { kind: 'mismatch' };

/** A stable digest of request parameters, independent of key order. */
export function fingerprint(params: Record<string, unknown>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

export class Idempotency {
  /** Requests with a token still being handled: a retry waits for the first instead of racing it. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /**
   * Runs `work` for one (scope, token) at a time: a retry sent while the first call is still being
   * handled waits for it, then finds its record instead of racing it.
   */
  async serialize<T>(key: string, work: () => Promise<T>): Promise<T> {
    while (this.inFlight.has(key)) await this.inFlight.get(key)!.catch(() => undefined);
    const attempt = work();
    this.inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** `scope` separates accounts and operations; `token` is the client's. */
  check(tx: Tx, scope: string, token: string, print: string): IdempotencyCheck {
    const record = tx.get(IDEMPOTENCY_COLLECTION, `${scope}\u0000${token}`) as IdempotencyRecord | undefined;
    if (!record) return { kind: 'new' };
    return record.fingerprint === print ? { kind: 'replay', response: record.response } : { kind: 'mismatch' };
  }

  /** Keeps the answer for the token, in the caller's transaction; an answer over the size bound is not kept. */
  remember(tx: Tx, scope: string, token: string, print: string, response: Json, at: number): void {
    if (Buffer.byteLength(JSON.stringify(response)) > MAX_REMEMBERED_BYTES) return;
    const all = tx.list(IDEMPOTENCY_COLLECTION);
    if (all.length >= MAX_TOKENS) {
      const drop = all.slice(0, all.length - MAX_TOKENS + EVICT_BATCH).map((r) => r.key as string);
      for (const key of drop) tx.remove(IDEMPOTENCY_COLLECTION, key);
    }
    tx.put(IDEMPOTENCY_COLLECTION, { key: `${scope}\u0000${token}`, fingerprint: print, response, at });
  }
}
