/**
 * Keeping a collection of issued credentials (bearer tokens, IAM tokens) bounded. Clients can log in
 * as often as they like, so each issue first drops what is done and makes room under a cap.
 */
import type { Entry } from '../core/state.js';
import type { Tx } from '../core/store.js';

export interface PruneRule {
  /** Entries that are done (expired): dropped. */
  expired(entry: Entry): boolean;
  /** Entries the cap counts (e.g. only issued ones, not seeded ones). */
  counted(entry: Entry): boolean;
  /** At most this many counted entries are kept, including the `adding` about to be inserted. */
  cap: number;
  adding: number;
}

/**
 * One pass over the collection: drops the expired entries, then the oldest counted ones beyond the
 * cap. Returns how many were dropped. The store keeps a collection as an array in insertion order
 * and re-indexes the entries after a removed one, so removals are staged from the back: removing
 * k entries then costs k × (entries after them), not k × n.
 */
export function pruneIssued(tx: Tx, collection: string, idField: string, rule: PruneRule): number {
  const list = tx.list(collection);
  const doomed: number[] = [];
  const live: number[] = [];
  list.forEach((entry, i) => {
    if (rule.expired(entry)) doomed.push(i);
    else if (rule.counted(entry)) live.push(i);
  });
  const over = live.length + rule.adding - rule.cap;
  if (over > 0) doomed.push(...live.slice(0, over));
  doomed.sort((a, b) => b - a);
  for (const i of doomed) tx.remove(collection, String(list[i]![idField]));
  return doomed.length;
}
