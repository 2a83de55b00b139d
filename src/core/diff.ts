/**
 * Field-level changes between two versions of an entry, for the journal: dotted paths whose values
 * differ, from → to. The emulator's own bookkeeping (`_emulator`) is left out. A large value (a long
 * list of events, a plan) is shown by its size rather than copied whole.
 */
import { type Edit, OLD } from './edit.js';
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

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Pushes the differences of a and b at `path`: objects field by field, anything else (arrays too) as one value. */
function walk(out: FieldChange[], collection: string, id: string, a: unknown, b: unknown, path: string): void {
  if (out.length >= MAX_FIELDS) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (path === '' && k === EMULATOR_KEY) continue;
      walk(out, collection, id, a[k], b[k], join(path, k));
    }
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  out.push({ collection, id, field: path, from: shown(a), to: shown(b) });
}

export function diffEntries(collection: string, id: string, beforeText: string | undefined, afterText: string | undefined): FieldChange[] {
  if (beforeText === undefined && afterText === undefined) return [];
  if (beforeText === undefined) return [{ collection, id, field: '', to: 'created' }];
  if (afterText === undefined) return [{ collection, id, field: '', from: 'removed' }];
  const out: FieldChange[] = [];
  walk(out, collection, id, JSON.parse(beforeText), JSON.parse(afterText), '');
  return out;
}

/**
 * The field changes of an edit (edit.ts): the new values from its text as written, the old ones
 * from the edit as made. Array elements are fields too (`resources.kibana.0.info.status`): an edit
 * goes inside an array only to what changed there.
 */
export function editChanges(collection: string, id: string, edit: Edit, text: string): FieldChange[] {
  const out: FieldChange[] = [];
  const visit = (made: Edit | undefined, written: Edit, path: string) => {
    const old = made?.[OLD] ?? {};
    const top = path === '';
    for (const k of written.d ?? []) {
      if (out.length >= MAX_FIELDS) return;
      if (!(top && k === EMULATOR_KEY)) out.push({ collection, id, field: join(path, k), from: shown(Object.hasOwn(old, k) ? old[k] : undefined) });
    }
    for (const k of Object.keys(written.s ?? {})) {
      if (!(top && k === EMULATOR_KEY)) walk(out, collection, id, Object.hasOwn(old, k) ? old[k] : undefined, written.s![k], join(path, k));
    }
    for (const k of Object.keys(written.c ?? {})) {
      if (!(top && k === EMULATOR_KEY)) visit(made?.c?.[k], written.c![k]!, join(path, k));
    }
  };
  visit(edit, JSON.parse(text), '');
  return out.slice(0, MAX_FIELDS);
}
