/**
 * The record of completed transitions (GET /_emulator/transitions/completed): each step the clock
 * completes (Lifecycle.settleDue: an advance, a settle, the real-time timer) with its provider,
 * resource, transition name, field changes (from → to), emulator-clock time and the id of the
 * request that scheduled it, when one did. Apart from the request journal, whose entries and counts
 * it leaves alone. Bounded by count (--transition-log-size) and by bytes: the oldest go first.
 */
import { diffEntries, editChanges } from './diff.js';
import type { EntryChange } from './journal.js';
import type { Json } from './state.js';
import { Listeners } from './listeners.js';

export interface CompletedTransition {
  /** Its place in the record (1, 2, ...; restarts at 1 after a reset). */
  seq: number;
  /** When it completed on the emulator clock: the step's due time (ISO, and ms). */
  at: string;
  atMs: number;
  provider: string;
  collection: string;
  resource: string;
  /** The hook that ran (a provider's named step), or "set" for a step that only sets fields. */
  transition: string;
  /** What changed in the resource (its emulator bookkeeping aside): field, value before and after. */
  changes: Array<{ field: string; from?: Json; to?: Json }>;
  /** The journal id of the request that scheduled the step (or the chain it ends), when known. */
  requestId?: string;
}

/** What the lifecycle says of a step it completed (the rest is the commit's record of the change). */
export type CompletedStep = Pick<CompletedTransition, 'atMs' | 'provider' | 'collection' | 'resource' | 'transition' | 'requestId'>;

interface Held {
  seq: number;
  step: CompletedStep;
  /** The entry's change as the commit recorded it: turned into field changes only when someone reads it. */
  changes: readonly EntryChange[];
  bytes: number;
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
  /** Oldest first; `head` is the index of the oldest kept (dropped ones are cut off in batches). */
  private entries: Held[] = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  private readonly listeners = new Listeners<[item: () => CompletedTransition]>();

  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number = DEFAULT_COMPLETED_BYTES,
  ) {}

  /** Whether anything is kept: when not, the lifecycle skips describing the step (two JSON texts per step). */
  get recording(): boolean {
    return this.capacity > 0;
  }

  /** How many entries and bytes are held (a test counts the bound with it). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.length - this.head, bytes: this.bytes };
  }

  /** Told of each entry kept, as a thunk: presenting it (its changes as fields) costs only a listener that asks (the event stream, when open). */
  onAdd(listener: (item: () => CompletedTransition) => void): () => void {
    return this.listeners.add(listener);
  }

  add(step: CompletedStep, changes: readonly EntryChange[]): void {
    if (this.capacity <= 0) return;
    const bytes = sizeOf(step, changes);
    if (bytes > this.maxBytes) return; // one larger than the whole budget is not kept
    const kept: Held = { seq: ++this.seq, step, changes, bytes };
    this.entries.push(kept);
    this.bytes += bytes;
    while (this.entries.length - this.head > this.capacity || this.bytes > this.maxBytes) {
      this.bytes -= this.entries[this.head]!.bytes;
      this.entries[this.head] = undefined as never;
      this.head++;
    }
    // Compact once the dropped prefix is as long as what is kept: amortised O(1) per add.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.listeners.notify(() => present(kept));
  }

  /** The matching entries, oldest first (the last `limit` of them). */
  query(filter: CompletedFilter = {}): CompletedTransition[] {
    const out: Held[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (filter.provider !== undefined && e.step.provider !== filter.provider) continue;
      if (filter.resource !== undefined && e.step.resource !== filter.resource) continue;
      out.push(e);
    }
    return (filter.limit !== undefined ? out.slice(Math.max(0, out.length - filter.limit)) : out).map(present);
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
    this.seq = 0;
  }
}

function present(held: Held): CompletedTransition {
  const { atMs, provider, collection, resource, transition, requestId } = held.step;
  const changes = held.changes.flatMap(fieldChanges).map(({ field, from, to }) => ({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }));
  return { seq: held.seq, at: new Date(atMs).toISOString(), atMs, provider, collection, resource, transition, changes, ...(requestId !== undefined ? { requestId } : {}) };
}

/** A recorded change as field changes (as the journal shows a request's; bookkeeping under `_emulator` left out). */
function fieldChanges(c: EntryChange): Array<{ field: string; from?: Json; to?: Json }> {
  switch (c.kind) {
    case 'created':
      return [{ field: '', to: 'created' }];
    case 'removed':
      return [{ field: '', from: 'removed' }];
    case 'replaced':
      return diffEntries(c.collection, c.id, c.before, c.after);
    case 'edited':
      return editChanges(c.collection, c.id, c.edit, c.text);
  }
}

/** What an entry costs the record: its texts, roughly (an edit holds about as much of what it replaced as it writes). */
function sizeOf(step: CompletedStep, changes: readonly EntryChange[]): number {
  let n = 256 + step.collection.length + step.resource.length + step.transition.length + (step.requestId?.length ?? 0);
  for (const c of changes) n += c.id.length + 32 + (c.kind === 'replaced' ? c.before.length + c.after.length : c.kind === 'edited' ? 2 * c.text.length : 0);
  return n;
}
