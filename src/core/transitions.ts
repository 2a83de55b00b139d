/**
 * How long each named transition takes (ms; 0 = at once, null = never, for timeout tests).
 * A change applies to transitions begun after it; steps already scheduled keep their due times.
 */
import { CLOCK_MAX_MS } from './clock.js';
import { Listeners } from './listeners.js';

export type Duration = number | null;

/** Longest duration a transition may be given (365 days), so every due time stays in the clock's range. */
export const MAX_DURATION_MS = 365 * 24 * 60 * 60 * 1000;

export class Durations {
  private readonly values = new Map<string, Duration>();
  /** The durations as configured (defaults and start-up overrides), for restore(). */
  private readonly initial: Map<string, Duration>;

  constructor(defaults: Record<string, Duration>, overrides: Record<string, Duration> = {}) {
    for (const [name, ms] of Object.entries(defaults)) this.values.set(name, ms);
    this.update(overrides);
    this.initial = new Map(this.values);
  }

  /** Back to the durations the emulator started with. */
  restore(): void {
    for (const [name, ms] of this.initial) this.values.set(name, ms);
    this.changed();
  }

  private readonly listeners = new Listeners();

  /** Told after every change (an update or a restore). */
  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  private changed(): void {
    this.listeners.notify();
  }

  get(name: string): Duration {
    if (!this.values.has(name)) throw new Error(`unknown transition ${name}`);
    return this.values.get(name)!;
  }

  /** The due time of a transition of this name begun at `from`, or null if it never ends. */
  dueAt(name: string, from: number): number | null {
    const ms = this.get(name);
    if (ms === null) return null;
    // Begun near the end of the clock's range, a transition ends there (the clock never goes past it).
    return Math.min(from + ms, CLOCK_MAX_MS);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  /** Throws (changing nothing) if a name is unknown or a value is not a duration. */
  update(changes: Record<string, unknown>): void {
    for (const [name, ms] of Object.entries(changes)) {
      if (!this.values.has(name)) throw new RangeError(`unknown transition "${name}" (known: ${this.names().join(', ')})`);
      if (ms !== null && !(typeof ms === 'number' && Number.isSafeInteger(ms) && ms >= 0 && ms <= MAX_DURATION_MS)) {
        throw new RangeError(`transition "${name}" must be a whole number of ms from 0 to ${MAX_DURATION_MS} (365 days), or null (never)`);
      }
    }
    for (const [name, ms] of Object.entries(changes)) this.values.set(name, ms as Duration);
    if (Object.keys(changes).length > 0) this.changed();
  }

  toJSON(): Record<string, Duration> {
    return Object.fromEntries(this.values);
  }
}

/** Parses "12", "1500ms", "2s", "5m", "1h", "never" into a duration. */
export function parseDuration(text: string): Duration {
  const t = text.trim().toLowerCase();
  if (t === 'never' || t === 'null') return null;
  const m = /^(\d+)(ms|s|m|h)?$/.exec(t);
  if (!m) throw new RangeError(`"${text}" is not a duration (use ms, e.g. 500, 2s, 1m, 1h, or never)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 'ms']!;
  return Number(m[1]) * unit;
}
