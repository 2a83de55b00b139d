/**
 * Issue 17: costs that follow the change, not the size of the state. Bounds are counted (pieces,
 * lines, compactions, files rewritten), never timed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { depthOf, findForbiddenKey, jsonProblem } from '../../src/core/json-guard.js';
import { documentPieces } from '../../src/core/serialize.js';
import { Store } from '../../src/core/store.js';
import { startEmulator } from '../../src/index.js';

const COLL = 'things.items';
const collections = [{ path: COLL, idField: 'id' }];

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-scale-'));
  file = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `i${i}`, name: `北京-${i}`, pad: 'x'.repeat(50) }));

describe('a document is written in bounded pieces', () => {
  test('the pieces are the document (non-ASCII escaped), each at most a slice plus one run of entries', () => {
    const doc = { things: { items: items(8000), other: { a: [1, 'é'] }, skip: undefined }, top: 'ü' };
    const slice = 4096;
    const pieces = [...documentPieces(doc, [COLL, 'no.such'], slice)];
    const text = pieces.join('');
    expect(text).toMatch(/^[\x00-\x7f]*$/);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
    // A piece ends once it passes the slice: at most a slice plus one run of entries (about 64 KiB of text).
    const bound = slice + 2 * 64 * 1024;
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(bound);
    // The number of pieces grows with the document: no one piece holds all of it.
    expect(pieces.length).toBeGreaterThanOrEqual(Math.floor(text.length / bound));
    expect(pieces.length).toBeGreaterThan(3);
  });

  test('entries of every size and kind are written as JSON.stringify writes them in an array', () => {
    const odd: unknown[] = [{ id: 'a' }, undefined, { id: 'b', big: 'y'.repeat(200_000) }, null, 3, { id: 'c', toJSON: () => ({ id: 'c!' }) }];
    for (let i = 0; i < 3000; i++) odd.push({ id: `s${i}` });
    const doc = { things: { items: odd } };
    expect([...documentPieces(doc, [COLL], 1024)].join('')).toBe(JSON.stringify(doc));
  });

  test('a collection that is missing or not an array is written as it is', () => {
    const doc = { things: { items: { not: 'an array' } }, empty: {} };
    expect(JSON.parse([...documentPieces(doc, [COLL, 'empty.list'])].join(''))).toEqual(doc);
  });
});

describe('one walk guards a loaded document', () => {
  test('it finds what the two walks find', () => {
    const deep: any = {};
    let node = deep;
    for (let i = 0; i < 70; i++) node = node.x = {};
    const poisoned = JSON.parse('{"a":[{"b":{"__proto__":{"polluted":1}}}]}');
    const both = JSON.parse(`{"k":{"constructor":1},"d":${JSON.stringify(deep)}}`);
    expect(jsonProblem({ a: [1, { b: 'c' }] }, 64)).toBeUndefined();
    expect(jsonProblem(deep, 64)).toBe('depth');
    expect(depthOf(deep, 64)).toBeGreaterThan(64);
    expect(jsonProblem(poisoned, 64)).toBe('key');
    expect(findForbiddenKey(poisoned)).toBe('/a/0/b/__proto__');
    // A key found first does not hide a depth past the limit: the caller asks depthOf.
    expect(jsonProblem(both, 64)).not.toBeUndefined();
    expect(depthOf(both, 64)).toBeGreaterThan(64);
  });
});

describe('progress while loading and compacting a large state', () => {
  test('a few info lines, however many entries', async () => {
    for (const n of [200, 4000]) {
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}.log`, { force: true });
      const lines: string[] = [];
      const log = (level: string, message: string) => level === 'info' && lines.push(message);
      const created = Store.open({ file, collections, log, progressBytes: 1 }, () => ({ things: { items: items(n) } }));
      for (let i = 0; i < 50; i++) await created.mutate((tx) => tx.update(COLL, `i${i}`, (d) => (d.n = i)));
      await created.close(); // the log holds changes: a compaction
      expect(created.stats.compactions).toBe(1);
      const reopened = Store.open({ file, collections, log, progressBytes: 1 }, () => ({}));
      await reopened.close();
      expect(lines.some((l) => l.startsWith('compacting'))).toBe(true);
      expect(lines.some((l) => l.startsWith('loading data file'))).toBe(true);
      // Written once, compacted once, loaded once: at most two lines each, whatever n is.
      expect(lines.length).toBeLessThanOrEqual(7);
    }
  });

  test('below the threshold, nothing is said', async () => {
    const lines: string[] = [];
    const s = Store.open({ file, collections, log: (level, m) => level === 'info' && lines.push(m) }, () => ({ things: { items: items(100) } }));
    await s.mutate((tx) => tx.update(COLL, 'i1', (d) => (d.n = 1)));
    await s.close();
    expect(lines).toEqual([]);
  });
});

describe('a stop with an empty change log does not rewrite the data file', () => {
  const fixtures = { huawei: { koophone: { instances: [{ instance_id: 'ph1', instance_name: 'one', project_id: '0123456789abcdef0123456789abcdef' }] } } };

  test('start, read, stop: the data file is the same file, untouched; a write makes the stop compact', async () => {
    const first = await startEmulator({ port: 0, data: file, fixtures, clock: 'manual', logLevel: 'silent' });
    await first.close();
    const before = fs.statSync(file);
    const again = await startEmulator({ port: 0, data: file, clock: 'manual', logLevel: 'silent' });
    expect((await fetch(`${again.url}/_emulator/health`)).status).toBe(200);
    expect((await fetch(`${again.url}/_emulator/state`)).status).toBe(200);
    await again.close();
    const after = fs.statSync(file);
    expect(again.ctx.store.stats.compactions).toBe(0);
    expect(again.ctx.store.stats.appends).toBe(0);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);

    // The same stop after a change does compact (the check above can fail).
    const third = await startEmulator({ port: 0, data: file, clock: 'manual', logLevel: 'silent' });
    await third.ctx.store.mutate((tx) => tx.update('huawei.koophone.instances', 'ph1', (d) => (d.instance_name = 'renamed')));
    await third.close();
    expect(third.ctx.store.stats.compactions).toBe(1);
    expect(fs.statSync(file).ino).not.toBe(before.ino);
  });
});
