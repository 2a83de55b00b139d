/**
 * Who is told of a change: the settings, transition durations and fault rules each keep one, so the
 * dashboard's event stream hears of a change whichever route (or the programmatic API) made it.
 */
export class Listeners<A extends unknown[] = []> {
  private readonly set = new Set<(...args: A) => void>();

  /** Adds a listener; returns how to remove it. */
  add(listener: (...args: A) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  notify(...args: A): void {
    for (const l of this.set) l(...args);
  }
}
