/**
 * A log bounded by count and by bytes, oldest dropped first: what the request journal and the record
 * of completed transitions keep. Dropped entries are cut off the front in batches, so an add is
 * amortised O(1) however long the run (no shift of the whole array per drop).
 */
export class BoundedLog<T> {
  /** Oldest first; `head` is the index of the oldest kept. */
  private entries: Array<{ item: T; bytes: number }> = [];
  private head = 0;
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number,
  ) {}

  /** Whether anything is kept at all (a capacity of 0 keeps nothing). */
  get keeps(): boolean {
    return this.capacity > 0;
  }

  /** How many entries and bytes are held (for tests and the health of a long run). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.length - this.head, bytes: this.bytes };
  }

  /** Keeps `item`, dropping the oldest beyond the bounds; false when it is not kept (nothing is, or it alone is over the byte budget). */
  add(item: T, bytes: number): boolean {
    if (this.capacity <= 0 || bytes > this.maxBytes) return false;
    this.entries.push({ item, bytes });
    this.bytes += bytes;
    while (this.entries.length - this.head > this.capacity || this.bytes > this.maxBytes) {
      this.bytes -= this.entries[this.head]!.bytes;
      this.entries[this.head] = undefined as never;
      this.head++;
    }
    // Compact once the dropped prefix is as long as what is kept.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return true;
  }

  /** The kept entries, oldest first. */
  *[Symbol.iterator](): Generator<T> {
    for (let i = this.head; i < this.entries.length; i++) yield this.entries[i]!.item;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }
}
