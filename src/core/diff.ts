/**
 * Field-level changes between two versions of an entry, for the journal: dotted paths whose values
 * differ, from → to. The emulator's own bookkeeping (`_emulator`) is left out. A large value (a long
 * list of events, a plan) is shown by its size rather than copied whole.
 */
import { EMULATOR_KEY, isPlainObject, type Json } from './state.js';

export interface FieldChange {
  collection: string;
  id: string;
  field: string;
  from?: Json;
  to?: Json;
}

/** Longest value (as JSON) shown as it is; a longer one becomes a summary. */
const MAX_SHOWN = 256;
/** Field changes reported per entry at most. */
const MAX_FIELDS = 100;

function shown(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text.length <= MAX_SHOWN) return value as Json;
  if (Array.isArray(value)) return `[${value.length} items]`;
  if (isPlainObject(value)) return `{${Object.keys(value).length} fields}`;
  return `${text.slice(0, MAX_SHOWN)}…`;
}

export function diffEntries(collection: string, id: string, beforeText: string | undefined, afterText: string | undefined): FieldChange[] {
  if (beforeText === undefined && afterText === undefined) return [];
  if (beforeText === undefined) return [{ collection, id, field: '', to: 'created' }];
  if (afterText === undefined) return [{ collection, id, field: '', from: 'removed' }];
  const out: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= MAX_FIELDS) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
      for (const k of keys) {
        if (path === '' && k === EMULATOR_KEY) continue;
        walk(a[k], b[k], path ? `${path}.${k}` : k);
      }
      return;
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    out.push({ collection, id, field: path, from: shown(a), to: shown(b) });
  };
  walk(JSON.parse(beforeText), JSON.parse(afterText), '');
  return out;
}
