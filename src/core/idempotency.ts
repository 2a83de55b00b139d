/**
 * Client tokens (Alibaba's ClientToken and the like): the same token with the same parameters
 * replays the first answer; the same token with other parameters is a conflict. Tokens are kept in
 * the state document, so a retry after an emulator restart is still recognised.
 */
import { createHash } from 'node:crypto';
import type { Store, Tx } from './store.js';
import type { Json } from './state.js';

export const IDEMPOTENCY_COLLECTION = 'emulator.idempotency';
const MAX_TOKENS = 10000;

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

  remember(tx: Tx, scope: string, token: string, print: string, response: Json, at: number): void {
    const all = tx.list(IDEMPOTENCY_COLLECTION);
    if (all.length >= MAX_TOKENS) tx.remove(IDEMPOTENCY_COLLECTION, all[0]!.key);
    tx.put(IDEMPOTENCY_COLLECTION, { key: `${scope}\u0000${token}`, fingerprint: print, response, at });
  }
}
