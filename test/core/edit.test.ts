/**
 * Field-level edits (issue 17: a write costs in proportion to what it changes). An edit measured
 * from a copy of the entry, applied to the entry's JSON as it was, must give the entry's JSON as it
 * is now, text for text (keys in the same order), whatever the change.
 */
import { OLD, applyEdit, copyEntry, diffEntry, isWhole, restoreInto } from '../../src/core/edit.js';

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'b', 'status', 'info', 'plan', 'log', '0', '10', 'é', '__proto__', 'constructor'];

function value(r: () => number, depth: number): any {
  const k = r();
  if (depth > 3 || k < 0.4) return [null, true, 1.5, -3, 'x', 'naïve', ''][Math.floor(r() * 7)];
  if (k < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => value(r, depth + 1));
  const o: Record<string, any> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--) Object.defineProperty(o, KEYS[Math.floor(r() * KEYS.length)]!, { value: value(r, depth + 1), writable: true, enumerable: true, configurable: true });
  return o;
}

/** Containers of `v`, each with how to reach it. */
function containers(v: any, out: any[] = []): any[] {
  if (v !== null && typeof v === 'object') {
    out.push(v);
    for (const k of Object.keys(v)) containers(v[k], out);
  }
  return out;
}

/** One random change somewhere in `entry`, the way handlers change entries in place. */
function mutate(entry: any, r: () => number): void {
  const all = containers(entry);
  const c = all[Math.floor(r() * all.length)];
  const keys = Object.keys(c);
  const pick = keys[Math.floor(r() * keys.length)];
  const op = Math.floor(r() * 9);
  if (Array.isArray(c)) {
    if (op < 3) c.push(value(r, 2));
    else if (op < 4) c.pop();
    else if (op < 5) c.unshift(value(r, 2));
    else if (op < 6 && pick !== undefined) c[Number(pick)] = undefined; // JSON writes null
    else if (pick !== undefined) c[Number(pick)] = value(r, 2);
    return;
  }
  const set = (k: string, v: unknown) => Object.defineProperty(c, k, { value: v, writable: true, enumerable: true, configurable: true });
  if (op < 2 || pick === undefined) set(KEYS[Math.floor(r() * KEYS.length)]!, value(r, 2));
  else if (op < 3) delete c[pick];
  else if (op < 4) {
    const v = c[pick]; // delete and put back: the key moves to the end
    delete c[pick];
    set(pick, v);
  } else if (op < 5) c[pick] = undefined;
  else if (op < 6) c[pick] = Number.NaN;
  else set(pick, value(r, 2));
}

describe('an edit turns the JSON before into the JSON after, keys in order', () => {
  test('2,000 random entries, each changed one to five times', () => {
    let whole = 0;
    let edits = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const r = rng(seed);
      const entry = { id: `e${seed}`, ...value(r, 0), nested: value(r, 1) };
      const beforeText = JSON.stringify(entry);
      const copy = copyEntry(entry);
      expect(JSON.stringify(copy)).toBe(beforeText);
      for (let i = 1 + Math.floor(r() * 5); i > 0; i--) mutate(entry, r);
      const afterText = JSON.stringify(entry);
      expect(JSON.stringify(copy)).toBe(beforeText); // the copy shares nothing that changes
      const edit = diffEntry(copy, entry);
      if (isWhole(edit)) {
        whole++;
        continue;
      }
      const target = JSON.parse(beforeText);
      if (edit !== undefined) {
        edits++;
        applyEdit(target, JSON.parse(JSON.stringify(edit)));
      }
      if (JSON.stringify(target) !== afterText) throw new Error(`seed ${seed}: ${JSON.stringify(target)} !== ${afterText} (edit ${JSON.stringify(edit)})`);
    }
    expect(edits).toBeGreaterThan(1000);
    expect(whole).toBeLessThan(edits); // only the entry's own keys reordered is written whole
    expect(Object.prototype).not.toHaveProperty('status');
  });

  test('a change of one field in a large entry is an edit of that field alone', () => {
    const entry: any = { id: 'big', blob: 'x'.repeat(100_000), list: Array.from({ length: 1000 }, (_, i) => ({ i })), deep: { a: { b: { c: 1 } } } };
    const copy = copyEntry(entry);
    entry.deep.a.b.c = 2;
    entry.list.push({ i: 1000 });
    const edit = diffEntry(copy, entry);
    expect(JSON.parse(JSON.stringify(edit))).toEqual({ c: { list: { s: { 1000: { i: 1000 } } }, deep: { c: { a: { c: { b: { s: { c: 2 } } } } } } } });
    expect(JSON.stringify(edit).length).toBeLessThan(100);
    // What the journal shows the change from: the values replaced, as they were.
    expect((edit as any).c.deep.c.a.c.b[OLD]).toEqual({ c: 1 });
    expect(diffEntry(copy, copyEntry(copy))).toBeUndefined();
  });

  test('a rollback puts the copy back into the same object; the copy stays the copy', () => {
    const live: any = { id: 'x', a: { b: [1, 2] } };
    const copy = copyEntry(live);
    live.a.b.push(3);
    live.c = 1;
    restoreInto(live, copy);
    expect(live).toEqual({ id: 'x', a: { b: [1, 2] } });
    live.a.b.push(9);
    expect(copy).toEqual({ id: 'x', a: { b: [1, 2] } });
  });
});

describe('applying an edit that does not fit', () => {
  test('is refused, naming what does not fit', () => {
    expect(() => applyEdit({ a: [1] }, { c: { a: { s: { 5: 1 } } } })).toThrow('past the end');
    expect(() => applyEdit({ a: [1] }, { c: { a: { s: { x: 1 } } } })).toThrow('not an array index');
    expect(() => applyEdit({ a: 1 }, { c: { a: { s: { b: 1 } } } })).toThrow('holds no object');
    expect(() => applyEdit({}, { c: { missing: {} } })).toThrow('holds no object');
    expect(() => applyEdit({ a: [] }, { c: { a: { d: ['0'] } } })).toThrow('deletes from an array');
    expect(() => applyEdit({}, [])).toThrow('not an object');
  });

  test('a key named "__proto__" is a key: the target gets its own property, no prototype changes', () => {
    const target: any = { a: {} };
    applyEdit(target, JSON.parse('{"s":{"__proto__":{"polluted":true}},"c":{"a":{"s":{"constructor":1}}}}'));
    expect(Object.hasOwn(target, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(({} as any).polluted).toBeUndefined();
    expect(target.a.constructor).toBe(1);
    expect(() => applyEdit(target, JSON.parse('{"c":{"__proto__":{"s":{"polluted":1}}}}'))).not.toThrow();
    expect(({} as any).polluted).toBeUndefined();
  });
});
