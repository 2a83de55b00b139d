/**
 * The one source of time. Nothing else in the emulator reads Date.now(): tests freeze and move this
 * clock instead of sleeping, and timed transitions are due against it.
 */
export type ClockMode = 'system' | 'manual';

export interface ClockState {
  now: string;
  mode: ClockMode;
}

type Listener = () => void;

/**
 * The clock's range: every instant in it prints as an ISO 8601 time with a four-digit year, which
 * every provider's timestamps, signatures and the journal can carry. Beyond it, toISOString()
 * throws (past ±8.64e15 ms) or prints years no client parses.
 */
export const CLOCK_MIN_MS = 0;
export const CLOCK_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
export const CLOCK_RANGE_TEXT = '1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z';

/** Whether `ms` is an instant the clock can hold: a whole number of ms in its range. */
export function isInstant(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isInteger(ms) && ms >= CLOCK_MIN_MS && ms <= CLOCK_MAX_MS;
}

function checkInstant(ms: number): void {
  if (!isInstant(ms)) throw new RangeError(`the clock's instant must be a whole number of ms from ${CLOCK_MIN_MS} to ${CLOCK_MAX_MS} (${CLOCK_RANGE_TEXT}), got ${ms}`);
}

export class Clock {
  private modeValue: ClockMode;
  /** system mode: now = real time + offset (so `set` and a manual→system switch never jump back). */
  private offsetMs = 0;
  /** manual mode: the frozen instant. */
  private frozenMs = 0;
  private readonly listeners = new Set<Listener>();
  /** How the clock was configured, so a reset can put it back (see restore). */
  private readonly initialMode: ClockMode;
  private readonly initialStartMs?: number;

  /** Throws RangeError if `startMs` is outside the clock's range. */
  constructor(mode: ClockMode = 'system', startMs?: number) {
    if (startMs !== undefined) checkInstant(startMs);
    this.initialMode = mode;
    this.initialStartMs = startMs;
    this.modeValue = mode;
    const real = Date.now();
    if (startMs !== undefined) this.offsetMs = startMs - real;
    this.frozenMs = startMs ?? real;
  }

  get mode(): ClockMode {
    return this.modeValue;
  }

  now(): number {
    if (this.modeValue === 'manual') return this.frozenMs;
    // Real time runs on: the clock stops at the end of its range rather than leave it.
    return Math.min(Math.max(Date.now() + this.offsetMs, CLOCK_MIN_MS), CLOCK_MAX_MS);
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  setMode(mode: ClockMode): void {
    if (mode === this.modeValue) return;
    const current = this.now();
    this.modeValue = mode;
    this.set(current);
  }

  /** Moves the clock to an instant; in system mode it keeps running from there. RangeError outside the range. */
  set(ms: number): void {
    checkInstant(ms);
    if (this.modeValue === 'manual') this.frozenMs = ms;
    else this.offsetMs = ms - Date.now();
    this.emit();
  }

  /** RangeError (the clock unchanged) unless `ms` is a whole number >= 0 that keeps the clock in its range. */
  advance(ms: number): void {
    if (!(Number.isSafeInteger(ms) && ms >= 0)) throw new RangeError(`advance by a whole number of ms >= 0, got ${ms}`);
    const to = this.now() + ms;
    if (to > CLOCK_MAX_MS) throw new RangeError(`advancing by ${ms} ms would take the clock past its range (${CLOCK_RANGE_TEXT})`);
    this.set(to);
  }

  /**
   * Back to how it was configured: its mode, and its start instant (or real time now when none was
   * given, so a provider's signature window, checked against real time by its SDK, holds again).
   */
  restore(): void {
    this.modeValue = this.initialMode;
    const start = this.initialStartMs ?? Date.now();
    if (this.modeValue === 'manual') this.frozenMs = start;
    else this.offsetMs = this.initialStartMs === undefined ? 0 : start - Date.now();
    this.emit();
  }

  state(): ClockState {
    return { now: this.nowIso(), mode: this.modeValue };
  }

  /** Called after every jump, so whoever arms timers on this clock can re-arm them. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
