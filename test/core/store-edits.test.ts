/**
 * Issue 17: a write costs in proportion to what it changes. An entry changed in place is logged as
 * an edit (what differs, edit.ts), never whole; the log replays to the same document, text for
 * text; logs written before edits existed (whole entries) still load; an edit that does not fit is
 * refused like any corrupt line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmulatorError } from '../../src/core/errors.js';
import { Store } from '../../src/core/store.js';

const COLL = 'things.items';
const collections = [{ path: COLL, idField: 'id' }];
const BLOB = 'x'.repeat(200_000);
const initial = () => ({ things: { items: [{ id: 'big', n: 0, blob: BLOB, list: [1, 2, 3], meta: { a: 1, b: 2 } }, { id: 'small', n: 0 }] } });

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-edits-'));
  file = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = () => Store.open({ file, collections }, initial);
const logBytes = () => (fs.existsSync(`${file}.log`) ? fs.statSync(`${file}.log`).size : 0);

test('a change of one field of a 200 KB entry appends an edit of that field: as many bytes as for a small entry, no entry written whole', async () => {
  const s = open();
  let at = logBytes();
  const appended: number[] = [];
  for (const id of ['big', 'small', 'big', 'small']) {
    await s.mutate((tx) => tx.update(COLL, id, (d) => (d.n += 1)));
    appended.push(logBytes() - at);
    at = logBytes();
  }
  expect(appended[0]).toBeLessThan(80);
  expect(appended[0]! - appended[1]!).toBe('big'.length - 'small'.length);
  expect(appended[2]).toBe(appended[0]);
  expect(s.stats).toMatchObject({ entryRecords: 0, wholeUpdates: 0, editRecords: 4 });
  s.abandon();
});

test('inserts and puts are whole entries; an update that changes nothing appends nothing and is still acknowledged', async () => {
  const s = open();
  await s.mutate((tx) => tx.insert(COLL, { id: 'new', v: 1 }));
  await s.mutate((tx) => tx.put(COLL, { id: 'small', n: 5 }));
  expect(s.stats).toMatchObject({ entryRecords: 2, editRecords: 0 });
  const before = logBytes();
  const appends = s.stats.appends;
  await expect(s.mutate((tx) => (tx.update(COLL, 'big', (d) => (d.n = 0)), 'done'))).resolves.toBe('done');
  expect(logBytes()).toBe(before);
  expect(s.stats.appends).toBe(appends);
  s.abandon();
});

test('edits replay to the same document, text for text, after a crash (no compaction): fields set, added, removed, moved, arrays grown and cut', async () => {
  const s = open();
  const steps: Array<(d: any) => void> = [
    (d) => (d.n = 1),
    (d) => (d.added = { deep: [1, { x: 'ü' }] }),
    (d) => d.list.push(4, { five: 5 }),
    (d) => (d.list[4].five = 'five'),
    (d) => delete d.meta.a,
    (d) => {
      const b = d.meta.b; // delete and add back: the key moves to the end
      delete d.meta.b;
      d.meta.c = 3;
      d.meta.b = b;
    },
    (d) => (d.list.length = 1),
    (d) => (d.n = undefined),
    (d) => (d.list = { now: 'an object' }),
  ];
  for (const step of steps) await s.mutate((tx) => tx.update(COLL, 'big', step));
  await s.mutate((tx) => {
    tx.update(COLL, 'small', (d) => (d.n = 9));
    tx.insert(COLL, { id: 'third' });
  });
  const expected = s.snapshot();
  expect(s.stats.entryRecords).toBe(1); // 'third'
  s.abandon(); // a crash: only the log holds the changes
  const again = open();
  expect(again.snapshot()).toBe(expected);
  expect(again.get(COLL, 'big')).toEqual({ id: 'big', blob: BLOB, list: { now: 'an object' }, meta: { c: 3, b: 2 }, added: { deep: [1, { x: 'ü' }] } });
  again.abandon();
});

test('a change log of whole entries (written before edits existed) loads as it did', () => {
  open().abandon();
  fs.writeFileSync(`${file}.log`, `${JSON.stringify({ p: COLL, id: 'small', v: { id: 'small', n: 7 } })}\n${JSON.stringify([{ p: COLL, id: 'big', v: { id: 'big' } }, { p: COLL, id: 'gone', d: 1 }])}\n`);
  const s = open();
  expect(s.list(COLL)).toEqual([{ id: 'big' }, { id: 'small', n: 7 }]);
  s.abandon();
});

test('an edit that does not fit the entry it names is refused, naming the record; nothing is written', () => {
  open().abandon();
  const log = `${JSON.stringify({ p: COLL, id: 'small', e: { s: { n: 1 } } })}\n${JSON.stringify({ p: COLL, id: 'small', e: { c: { list: { s: { 0: 1 } } } } })}\n`;
  fs.writeFileSync(`${file}.log`, log);
  const data = fs.readFileSync(file, 'utf8');
  expect(() => open()).toThrow(EmulatorError);
  expect(() => open()).toThrow(/change log record 2 cannot be applied \(an edit changes inside "list"/);
  fs.writeFileSync(`${file}.log`, `${JSON.stringify({ p: COLL, id: 'nobody', e: { s: { n: 1 } } })}\n`);
  expect(() => open()).toThrow(/record 1 cannot be applied \(it edits nobody in things.items, which is not there\)/);
  fs.writeFileSync(`${file}.log`, `${JSON.stringify({ p: COLL, id: 'small', e: [] })}\n`);
  expect(() => open()).toThrow(/corrupt at line 1/);
  expect(fs.readFileSync(file, 'utf8')).toBe(data);
});
