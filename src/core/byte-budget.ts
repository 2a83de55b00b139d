/**
 * A budget of bytes held at once, shared by requests whose bodies are read whole into memory (the
 * control plane's seeds and state documents). A request reserves what it will read before reading
 * it, waits in arrival order while the budget is spent, and gives it back when its response ends:
 * memory is bounded by the budget, however many large bodies arrive together. A waiting request is
 * not read, so its bytes stay in the client's socket (TCP pushes back).
 */
export interface BudgetStats {
  /** Bytes reserved now. */
  inFlightBytes: number;
  /** The most ever reserved at once. */
  peakBytes: number;
  /** Requests that had to wait for the budget. */
  waited: number;
  /** Requests waiting now. */
  waiting: number;
}

interface Waiter {
  bytes: number;
  grant: () => void;
}

export class ByteBudget {
  private inFlight = 0;
  private peak = 0;
  private waitedCount = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly capacity: number) {}

  /**
   * Reserves `bytes` (at most the capacity) and calls `grant` once they are available; returns a
   * release function, to call exactly once when the request is done, whether or not it was granted.
   */
  reserve(bytes: number, grant: () => void): () => void {
    const waiter: Waiter = { bytes: Math.min(Math.max(bytes, 0), this.capacity), grant };
    let state: 'waiting' | 'granted' | 'released' = 'waiting';
    waiter.grant = () => {
      state = 'granted';
      this.take(waiter.bytes);
      grant();
    };
    if (this.queue.length === 0 && this.inFlight + waiter.bytes <= this.capacity) waiter.grant();
    else {
      this.waitedCount++;
      this.queue.push(waiter);
    }
    return () => {
      if (state === 'released') return;
      if (state === 'waiting') {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
      } else this.inFlight -= waiter.bytes;
      state = 'released';
      this.drain();
    };
  }

  stats(): BudgetStats {
    return { inFlightBytes: this.inFlight, peakBytes: this.peak, waited: this.waitedCount, waiting: this.queue.length };
  }

  private take(bytes: number): void {
    this.inFlight += bytes;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight + this.queue[0]!.bytes <= this.capacity) this.queue.shift()!.grant();
  }
}
