/**
 * The record of completed transitions (GET /_emulator/transitions/completed): each step the clock
 * completes (Lifecycle.settleDue: an advance, a settle, the real-time timer) with its provider,
 * resource, transition name, field changes (from → to), emulator-clock time and the id of the
 * request that scheduled it, when one did. Apart from the request journal, whose entries and counts
 * it leaves alone. Bounded by count (--transition-log-size) and by bytes: the oldest go first.
 */
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
  private entries: Array<{ item: CompletedTransition; bytes: number }> = [];
  private head = 0;
  private bytes = 0;
  private seq = 0;
  private readonly listeners = new Listeners<[item: CompletedTransition]>();

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

  /** Told of each entry kept (the event stream sends it live). */
  onAdd(listener: (item: CompletedTransition) => void): () => void {
    return this.listeners.add(listener);
  }

  add(item: Omit<CompletedTransition, 'seq'>): void {
    if (this.capacity <= 0) return;
    const kept: CompletedTransition = { seq: ++this.seq, ...item };
    const bytes = 128 + JSON.stringify(kept).length;
    if (bytes > this.maxBytes) return; // one larger than the whole budget is not kept
    this.entries.push({ item: kept, bytes });
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
    this.listeners.notify(kept);
  }

  /** The matching entries, oldest first (the last `limit` of them). */
  query(filter: CompletedFilter = {}): CompletedTransition[] {
    const out: CompletedTransition[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!.item;
      if (filter.provider !== undefined && e.provider !== filter.provider) continue;
      if (filter.resource !== undefined && e.resource !== filter.resource) continue;
      out.push(e);
    }
    return filter.limit !== undefined ? out.slice(Math.max(0, out.length - filter.limit)) : out;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
    this.seq = 0;
  }
}
