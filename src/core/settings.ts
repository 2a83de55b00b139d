/**
 * Provider behaviours that users may want either way (where the documents disagree, or a strict
 * mode). Each provider declares its settings; values come from `--set`, `settings` in the
 * programmatic options, and PATCH /_emulator/settings.
 */
import { Listeners } from './listeners.js';

export type SettingValue = boolean | number | string;

/** A setting, declared once with its type, default and range or choices; read back typed with `get`. */
export interface SettingDef<T extends SettingValue = SettingValue> {
  key: string;
  type: T extends boolean ? 'boolean' : T extends number ? 'integer' : 'string';
  choices?: ReadonlyArray<T>;
  /** An integer setting without `choices` must declare its range (inclusive): a value outside it is refused. */
  min?: number;
  max?: number;
  default: T;
  description: string;
}

/** Declares a setting (identity, for its type): `const strict = defineSetting<boolean>({ key, type, default, description })`. */
export function defineSetting<T extends SettingValue>(def: SettingDef<T>): SettingDef<T> {
  return def;
}

export class Settings {
  private readonly defs = new Map<string, SettingDef>();
  private readonly values = new Map<string, boolean | number | string>();

  constructor(defs: SettingDef[], initial: Record<string, unknown> = {}) {
    for (const d of defs) {
      // A provider's own mistake, caught when the engine is built: every number a user sets has a range.
      if (d.type === 'integer' && !d.choices && !(Number.isSafeInteger(d.min) && Number.isSafeInteger(d.max))) throw new Error(`setting ${d.key} declares no range (min and max)`);
      if (this.defs.has(d.key)) throw new Error(`setting ${d.key} is declared twice`);
      this.defs.set(d.key, d);
      this.values.set(d.key, d.default);
    }
    this.update(initial);
    this.initial = new Map(this.values);
  }

  /** The values as configured (defaults and start-up settings), for restore(). */
  private readonly initial: Map<string, boolean | number | string>;

  /** Back to the settings the emulator started with. */
  restore(): void {
    for (const [k, v] of this.initial) this.values.set(k, v);
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

  /** The setting's current value, typed by its declaration. */
  get<T extends SettingValue>(def: SettingDef<T>): T {
    if (!this.values.has(def.key)) throw new Error(`unknown setting ${def.key}`);
    return this.values.get(def.key) as T;
  }

  list(): SettingDef[] {
    return [...this.defs.values()];
  }

  /** Accepts typed values or their text (from the command line); throws RangeError, changing nothing. */
  update(changes: Record<string, unknown>): void {
    const parsed = new Map<string, boolean | number | string>();
    for (const [key, raw] of Object.entries(changes)) {
      const def = this.defs.get(key); // a Map: a key such as "__proto__" finds nothing
      if (!def) throw new RangeError(`unknown setting "${key}" (known: ${[...this.defs.keys()].join(', ') || 'none'})`);
      parsed.set(key, coerce(def, raw));
    }
    for (const [k, v] of parsed) this.values.set(k, v);
    if (parsed.size > 0) this.changed();
  }

  toJSON(): Record<string, boolean | number | string> {
    return Object.fromEntries(this.values);
  }
}

function coerce(def: SettingDef, raw: unknown): boolean | number | string {
  let value: unknown = raw;
  if (def.type === 'boolean' && typeof raw === 'string') {
    if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) value = true;
    else if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) value = false;
  }
  if (def.type === 'integer' && typeof raw === 'string' && /^-?\d+$/.test(raw)) value = Number(raw);
  const ok =
    (def.type === 'boolean' && typeof value === 'boolean') ||
    (def.type === 'integer' && Number.isSafeInteger(value)) ||
    (def.type === 'string' && typeof value === 'string');
  if (!ok) throw new RangeError(`setting "${def.key}" must be a ${def.type}, got ${JSON.stringify(raw)}`);
  if (def.type === 'integer' && def.min !== undefined && def.max !== undefined && ((value as number) < def.min || (value as number) > def.max)) {
    throw new RangeError(`setting "${def.key}" must be an integer from ${def.min} to ${def.max}, got ${JSON.stringify(raw)}`);
  }
  if (def.choices && !def.choices.includes(value as string | number)) {
    throw new RangeError(`setting "${def.key}" must be one of ${def.choices.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return value as boolean | number | string;
}
