/**
 * Client tokens (Alibaba's ClientToken and the like): the same token with the same parameters
 * replays the first answer; the same token with other parameters is a conflict. Tokens are kept in
 * the state document, so a retry after an emulator restart is still recognised.
 */
import { createHash } from 'node:crypto';
import type { Tx } from './store.js';
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
