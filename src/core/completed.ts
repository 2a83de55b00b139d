/**
 * The record of completed transitions (GET /_emulator/transitions/completed): each step the clock
 * completes (Lifecycle.settleDue: an advance, a settle, the real-time timer) with its provider,
 * resource, transition name, field changes (from → to), emulator-clock time and the id of the
 * request that scheduled it, when one did. Apart from the request journal, whose entries and counts
 * it leaves alone. Bounded by count (--transition-log-size) and by bytes: the oldest go first.
 */
import type { CompletedTransition } from '../control-types.js';
import { BoundedLog } from './bounded-log.js';
import { changeBytes, fieldChanges, type EntryChange } from './journal.js';
import { Listeners } from './listeners.js';

// The shape served (GET /_emulator/transitions/completed) is the control plane's one declaration of it.
export type { CompletedTransition };

/** What the lifecycle says of a step it completed (the rest is the commit's record of the change). */
export type CompletedStep = Pick<CompletedTransition, 'atMs' | 'provider' | 'collection' | 'resource' | 'transition' | 'requestId'>;

interface Held {
  seq: number;
  step: CompletedStep;
  /** The entry's change as the commit recorded it: turned into field changes only when someone reads it. */
  changes: readonly EntryChange[];
}

export interface CompletedFilter {
  provider?: string;
  resource?: string;
  /** The last N that match. */
  limit?: number;
}

/** Default byte budget of the record (as the journal's: 32 MiB). */
export const DEFAULT_COMPLETED_BYTES = 32 * 1024 * 1024;

export class CompletedTransitions {
  private readonly log: BoundedLog<Held>;
  private seq = 0;
  private readonly listeners = new Listeners<[item: () => CompletedTransition]>();

  constructor(capacity: number, maxBytes: number = DEFAULT_COMPLETED_BYTES) {
    this.log = new BoundedLog(capacity, maxBytes);
  }

  /** Whether anything is kept: when not, the lifecycle skips describing the step (two JSON texts per step). */
  get recording(): boolean {
    return this.log.keeps;
  }

  /** How many entries and bytes are held (a test counts the bound with it). */
  get size(): { entries: number; bytes: number } {
    return this.log.size;
  }

  /** Told of each entry kept, as a thunk: presenting it (its changes as fields) costs only a listener that asks (the event stream, when open). */
  onAdd(listener: (item: () => CompletedTransition) => void): () => void {
    return this.listeners.add(listener);
  }

  add(step: CompletedStep, changes: readonly EntryChange[]): void {
    if (!this.log.keeps) return;
    const kept: Held = { seq: this.seq + 1, step, changes };
    if (!this.log.add(kept, sizeOf(step, changes))) return; // one larger than the whole budget is not kept
    this.seq++;
    this.listeners.notify(() => present(kept));
  }

  /** The matching entries, oldest first (the last `limit` of them). */
  query(filter: CompletedFilter = {}): CompletedTransition[] {
    const out: Held[] = [];
    for (const e of this.log) {
      if (filter.provider !== undefined && e.step.provider !== filter.provider) continue;
      if (filter.resource !== undefined && e.step.resource !== filter.resource) continue;
      out.push(e);
    }
    return (filter.limit !== undefined ? out.slice(Math.max(0, out.length - filter.limit)) : out).map(present);
  }

  clear(): void {
    this.log.clear();
    this.seq = 0;
  }
}

function present(held: Held): CompletedTransition {
  const { atMs, provider, collection, resource, transition, requestId } = held.step;
  const changes = held.changes.flatMap(fieldChanges).map(({ field, from, to }) => ({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }));
  return { seq: held.seq, at: new Date(atMs).toISOString(), atMs, provider, collection, resource, transition, changes, ...(requestId !== undefined ? { requestId } : {}) };
}

/** What an entry costs the record: its texts, roughly. */
function sizeOf(step: CompletedStep, changes: readonly EntryChange[]): number {
  return 256 + step.collection.length + step.resource.length + step.transition.length + (step.requestId?.length ?? 0) + changeBytes(changes);
}
