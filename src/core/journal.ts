/** A bounded log of the requests served, so a test can check what its code under test sent. */
export interface JournalEntry {
  id: string;
  at: string;
  method: string;
  path: string;
  provider?: string;
  operation?: string;
  status?: number;
  errorCode?: string;
  durationMs?: number;
}

/** A ring of the last `capacity` entries: adding is O(1) however full it is. */
export class Journal {
  private ring: JournalEntry[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(entry: JournalEntry): void {
    if (this.capacity <= 0) return;
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  private inOrder(): JournalEntry[] {
    return this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  query(filter: { provider?: string; operation?: string; limit?: number }): JournalEntry[] {
    let out = this.inOrder();
    if (filter.provider) out = out.filter((e) => e.provider === filter.provider);
    if (filter.operation) out = out.filter((e) => e.operation === filter.operation);
    if (filter.limit !== undefined) out = out.slice(-filter.limit);
    return out;
  }

  clear(): void {
    this.ring = [];
    this.next = 0;
  }
}
