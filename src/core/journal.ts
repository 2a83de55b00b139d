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

export class Journal {
  private entries: JournalEntry[] = [];

  constructor(private readonly capacity: number) {}

  add(entry: JournalEntry): void {
    if (this.capacity <= 0) return;
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  query(filter: { provider?: string; operation?: string; limit?: number }): JournalEntry[] {
    let out = this.entries;
    if (filter.provider) out = out.filter((e) => e.provider === filter.provider);
    if (filter.operation) out = out.filter((e) => e.operation === filter.operation);
    if (filter.limit !== undefined) out = out.slice(-filter.limit);
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
