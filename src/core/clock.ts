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

export class Clock {
  private modeValue: ClockMode;
  /** system mode: now = real time + offset (so `set` and a manual→system switch never jump back). */
  private offsetMs = 0;
  /** manual mode: the frozen instant. */
  private frozenMs = 0;
  private readonly listeners = new Set<Listener>();

  constructor(mode: ClockMode = 'system', startMs?: number) {
    this.modeValue = mode;
    const real = Date.now();
    if (startMs !== undefined) this.offsetMs = startMs - real;
    this.frozenMs = startMs ?? real;
  }

  get mode(): ClockMode {
    return this.modeValue;
  }

  now(): number {
    return this.modeValue === 'manual' ? this.frozenMs : Date.now() + this.offsetMs;
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

  /** Moves the clock to an instant; in system mode it keeps running from there. */
  set(ms: number): void {
    if (this.modeValue === 'manual') this.frozenMs = ms;
    else this.offsetMs = ms - Date.now();
    this.emit();
  }

  advance(ms: number): void {
    this.set(this.now() + ms);
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
