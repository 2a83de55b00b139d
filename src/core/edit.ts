/**
 * Field-level edits of an entry changed in place: what a write records in the change log and the
 * journal, so that its cost follows what it changed rather than the size of the entry.
 *
 * A transaction that updates an entry first takes a copy of it (`copyJson`: the entry as JSON would
 * read back, sharing its strings): the copy is what a rollback puts back, and what the change is
 * measured against at commit (`diffEntry`: one walk of both, no text). The edit names only what
 * differs, nested like the entry itself, so each key on a changed path is written once:
 *
 *   { "s": { key: value, ... },   set (an array index may be its length: an append)
 *     "d": [ key, ... ],          delete (objects only)
 *     "c": { key: edit, ... } }   a change inside the value at key
 *
 * Applied in that order, to the JSON of the entry before, it gives the JSON of the entry after,
 * keys in the same order (an object whose key order would differ is set whole, as is an array that
 * got shorter). `applyEdit` is the one place an edit is applied: replaying the log at start, and
 * the journal showing a change.
 */
import { copyJson, isPlain, omitted, setOwn } from './copy.js';
import type { Entry } from './state.js';

export interface Edit {
  s?: Record<string, unknown>;
  d?: string[];
  c?: Record<string, Edit>;
  /**
   * The values that `s` and `d` replace, as they were (from the copy, which nothing changes):
   * what the journal shows a change from. A symbol key: JSON never writes it.
   */
  [OLD]?: Record<string, unknown>;
}

export const OLD: unique symbol = Symbol('old values');

/** Notes what key `key` held before (absent: nothing). */
function was(edit: Edit, key: string | number, value: unknown): void {
  if (value !== undefined) setOwn((edit[OLD] ??= {}), String(key), value);
}

/** diffEntry's answer for two values whose difference is the new value itself. */
const WHOLE = Symbol('whole');

/**
 * The copy an update takes (copy.ts): about the cost of the entry's JSON text; it is what a rollback
 * restores and what the commit diffs against.
 */
export const copyEntry = (entry: Entry): Entry => copyJson(entry);

/** The value JSON would write for an element or property (undefined: left out). */
function asJson(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

/**
 * What changed from `before` (a copyEntry copy) to `after` (the live entry): an edit, or undefined
 * when nothing did, or WHOLE when the entry is better written whole (its top-level keys reordered).
 */
export function diffEntry(before: Entry, after: Entry): Edit | undefined | typeof WHOLE {
  return diff(before, after);
}

export const isWhole = (d: ReturnType<typeof diffEntry>): d is typeof WHOLE => d === WHOLE;

/** Values a diff compared so far: tests count the work of a write with it. */
export const diffStats = { compared: 0 };

/** `b` is never a left-out value (the callers see to it). */
function diff(a: unknown, b: unknown): Edit | undefined | typeof WHOLE {
  diffStats.compared++;
  if (a === b) return undefined;
  if (typeof b !== 'object' || b === null) {
    // NaN and the infinities are written as null.
    if (typeof b === 'number' && !Number.isFinite(b)) return a === null ? undefined : WHOLE;
    return WHOLE;
  }
  if (Array.isArray(b)) return Array.isArray(a) ? diffArray(a, b) : WHOLE;
  if (isPlain(b) && typeof b.toJSON !== 'function') return isPlain(a) ? diffObject(a, b) : WHOLE;
  // A value of another class: equal when JSON writes it alike (a Date and its text).
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : WHOLE;
}

function diffArray(a: unknown[], b: unknown[]): Edit | undefined | typeof WHOLE {
  if (b.length < a.length) return WHOLE;
  let edit: Edit | undefined;
  for (let i = 0; i < a.length; i++) {
    const av = a[i];
    let bv = b[i];
    if (av === bv) continue;
    if (omitted(bv)) bv = null;
    const d = diff(av, bv);
    if (d === undefined) continue;
    edit ??= {};
    if (d === WHOLE) {
      (edit.s ??= {})[i] = asJson(bv);
      was(edit, i, av);
    }
    else (edit.c ??= {})[i] = d;
  }
  for (let i = a.length; i < b.length; i++) ((edit ??= {}).s ??= {})[i] = omitted(b[i]) ? null : asJson(b[i]);
  return edit;
}

function diffObject(a: Record<string, unknown>, b: Record<string, unknown>): Edit | undefined | typeof WHOLE {
  // The usual case: the same keys in the same order, values compared one by one (for-in walks the
  // enumeration cache of the live object's shape; any other key, or one more or less, goes the long way).
  const aKeys = Object.keys(a);
  let n = 0;
  let edit: Edit | undefined;
  for (const key in b) {
    if (aKeys[n++] !== key) return diffReshaped(a, b, aKeys);
    const bv = b[key];
    const av = a[key];
    if (av === bv) continue;
    if (omitted(bv)) {
      ((edit ??= {}).d ??= []).push(key); // JSON leaves it out: gone
      was(edit, key, av);
      continue;
    }
    const d = diff(av, bv);
    if (d === undefined) continue;
    edit ??= {};
    if (d === WHOLE) {
      setOwn((edit.s ??= {}), key, asJson(bv));
      was(edit, key, av);
    } else setOwn((edit.c ??= {}) as Record<string, unknown>, key, d);
  }
  return n === aKeys.length ? edit : diffReshaped(a, b, aKeys);
}

/** Keys added or removed: kept keys must keep their order and come before any added one (a replay appends those), or the object is set whole. */
function diffReshaped(a: Record<string, unknown>, b: Record<string, unknown>, aKeys: string[]): Edit | undefined | typeof WHOLE {
  const bKeys = Object.keys(b);
  let ai = 0;
  let adding = false;
  let edit: Edit | undefined;
  for (const key of bKeys) {
    const bv = b[key];
    if (omitted(bv)) continue;
    if (Object.hasOwn(a, key)) {
      if (adding) return WHOLE;
      while (ai < aKeys.length && aKeys[ai] !== key) {
        const skipped = aKeys[ai]!;
        if (Object.hasOwn(b, skipped) && !omitted(b[skipped])) return WHOLE;
        ai++;
      }
      ai++;
      const d = diff(a[key], bv);
      if (d === undefined) continue;
      edit ??= {};
      if (d === WHOLE) {
        setOwn((edit.s ??= {}), key, asJson(bv));
        was(edit, key, a[key]);
      } else setOwn((edit.c ??= {}) as Record<string, unknown>, key, d);
    } else {
      adding = true;
      setOwn(((edit ??= {}).s ??= {}), key, asJson(bv));
    }
  }
  for (const key of aKeys) {
    if (Object.hasOwn(b, key) && !omitted(b[key])) continue;
    ((edit ??= {}).d ??= []).push(key);
    was(edit, key, a[key]);
  }
  return edit;
}

const INDEX = /^(?:0|[1-9][0-9]*)$/;

function indexOf(key: string, limit: number): number {
  if (!INDEX.test(key)) throw new Error(`"${key}" is not an array index`);
  const i = Number(key);
  if (i > limit) throw new Error(`index ${i} is past the end of the array (${limit})`);
  return i;
}

function isContainer(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object';
}

/**
 * Applies `edit` (parsed from the log or the journal) to `target` in place. Throws when it does not
 * fit (a path that is not there, an index past the end): the log holding it is not this state's.
 */
export function applyEdit(target: unknown, edit: unknown, depth = 0): void {
  if (!isPlain(edit)) throw new Error('an edit is not an object');
  if (depth > 256) throw new Error('an edit nests too deep');
  const { s, d, c } = edit as Edit;
  if (Array.isArray(target)) {
    if (d !== undefined) throw new Error('an edit deletes from an array');
    if (s !== undefined) {
      if (!isPlain(s)) throw new Error('an edit\'s "s" is not an object');
      for (const key of Object.keys(s)) target[indexOf(key, target.length)] = s[key];
    }
    if (c !== undefined) {
      if (!isPlain(c)) throw new Error('an edit\'s "c" is not an object');
      for (const key of Object.keys(c)) {
        const child = target[indexOf(key, target.length - 1)];
        if (!isContainer(child)) throw new Error(`an edit changes inside element ${key}, which holds no object`);
        applyEdit(child, c[key], depth + 1);
      }
    }
    return;
  }
  if (!isPlain(target)) throw new Error('an edit changes inside a value that holds no object');
  if (d !== undefined) {
    if (!Array.isArray(d)) throw new Error('an edit\'s "d" is not an array');
    for (const key of d) if (typeof key === 'string' && Object.hasOwn(target, key)) delete target[key];
  }
  if (s !== undefined) {
    if (!isPlain(s)) throw new Error('an edit\'s "s" is not an object');
    for (const key of Object.keys(s)) setOwn(target, key, s[key]);
  }
  if (c !== undefined) {
    if (!isPlain(c)) throw new Error('an edit\'s "c" is not an object');
    for (const key of Object.keys(c)) {
      if (!Object.hasOwn(target, key) || !isContainer(target[key])) throw new Error(`an edit changes inside "${key}", which holds no object`);
      applyEdit(target[key], c[key], depth + 1);
    }
  }
}

/** Puts the contents of `from` (a copyJson copy) back into `live`, keeping the object itself. */
export function restoreInto(live: Entry, from: Entry): void {
  for (const key of Object.keys(live)) delete live[key];
  const fresh = copyJson(from) as Entry; // the copy may be held elsewhere (the journal): the live entry gets its own
  for (const key of Object.keys(fresh)) setOwn(live, key, fresh[key]);
}
