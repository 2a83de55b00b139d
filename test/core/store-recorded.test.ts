/**
 * Issue 17: a recorded update (tx.edit, src/core/recording.ts) writes its entry through paths, and
 * the transaction keeps only what those paths held: the undo and the change log's edit come from
 * them, with no copy and no diff of the whole entry. Counted, not timed: the values copied,
 * compared and visited for a write do not grow with the entry. A throw, or an append that fails,
 * puts the entry back exactly (key order included); the log replays to the same text after a crash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyStats } from '../../src/core/copy.js';
import { DurabilityError } from '../../src/core/errors.js';
import { diffStats } from '../../src/core/edit.js';
import { recordingStats } from '../../src/core/recording.js';
import { Store } from '../../src/core/store.js';
import { FaultyFs } from '../support/faulty-fs.js';

const COLL = 'things.items';
const collections = [{ path: COLL, idField: 'id' }];
const bulk = (n: number) => Array.from({ length: n }, (_, i) => ({ k: i, tags: ['a', 'b'], deep: { x: i, y: [i, i + 1] } }));
const entry = (id: string, n: number) => ({ id, n: 0, meta: { a: 1, b: 2, c: 3 }, list: [1, 2], bulk: bulk(n), tail: 'end' });
const initial = () => ({ things: { items: [entry('big', 2000), entry('small', 1)] } });

let dir: string;
let file: string;
let ffs: FaultyFs;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-recorded-'));
  file = path.join(dir, 'state.json');
  ffs = new FaultyFs();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = () => Store.open({ file, collections, fs: ffs }, initial);
const text = (s: Store, id: string) => JSON.stringify(s.get(COLL, id));
const logBytes = () => (fs.existsSync(`${file}.log`) ? fs.statSync(`${file}.log`).size : 0);

/** Every kind of write: set in place, add, delete, delete and add again (moves the key last), push, set inside a value set anew. */
const writes = (s: Store, id: string, round: number) =>
  s.mutate((tx) =>
    tx.edit(COLL, id, (_d, w) => {
      w.set(['n'], round);
      w.set(['meta', 'd'], round);
      w.delete(['meta', 'a']);
      w.delete(['tail']);
      w.set(['tail'], `end${round}`);
      w.push(['list'], round);
      w.set(['bulk', 0, 'deep', 'x'], -round);
      w.set(['fresh'], { made: round });
      w.set(['fresh', 'inner'], [round]);
      w.set(['meta', 'b'], undefined); // as JSON would leave it out: deleted
    }),
  );

test('a recorded write to an entry of 2,000 items copies, compares and visits as much as one to an entry of 1, and appends as many bytes', async () => {
  const s = open();
  const work: Array<{ copied: number; compared: number; visited: number; bytes: number }> = [];
  for (const id of ['big', 'small', 'big', 'small']) {
    const at = { copied: copyStats.containers, compared: diffStats.compared, visited: recordingStats.visited, bytes: logBytes() };
    await writes(s, id, work.length + 1);
    work.push({ copied: copyStats.containers - at.copied, compared: diffStats.compared - at.compared, visited: recordingStats.visited - at.visited, bytes: logBytes() - at.bytes });
  }
  expect(work[0]!.visited).toBeGreaterThan(0);
  expect(work[0]!.compared).toBe(0);
  // The first write of each entry adds keys, the second changes them: compared first with first, second with second.
  expect(work[1]).toEqual({ ...work[0], bytes: work[0]!.bytes - ('big'.length - 'small'.length) });
  expect(work[3]).toEqual({ ...work[2], bytes: work[2]!.bytes - ('big'.length - 'small'.length) });
  // The entry itself is never copied: the journal is off here, so nothing is.
  for (const w of work) expect(w.copied).toBe(0);
  expect(s.stats).toMatchObject({ entryRecords: 0, wholeUpdates: 0, editRecords: 4 });
  s.abandon();
});

test('recorded writes replay to the same document, text for text, after a crash; a throw after them puts the entry back exactly, key order included', async () => {
  const s = open();
  for (let round = 1; round <= 3; round++) await writes(s, 'small', round);
  const before = text(s, 'small');
  await expect(
    s.mutate((tx) => {
      tx.edit(COLL, 'small', (_d, w) => {
        w.delete(['meta', 'c']);
        w.set(['meta', 'c'], 'moved');
        w.delete(['list']);
        w.set(['fresh', 'made'], 'changed');
      });
      throw new Error('no');
    }),
  ).rejects.toThrow('no');
  expect(text(s, 'small')).toBe(before);
  const memory = s.snapshot();
  s.abandon();
  const again = open();
  expect(again.snapshot()).toBe(memory);
  again.abandon();
});

test('an append that fails undoes a recorded write exactly; the next one is written and replays', async () => {
  const s = open();
  await writes(s, 'small', 1);
  const before = text(s, 'small');
  ffs.fail('writeSync', 'ENOSPC', '.log');
  await expect(writes(s, 'small', 2)).rejects.toBeInstanceOf(DurabilityError);
  expect(text(s, 'small')).toBe(before);
  await writes(s, 'small', 3);
  const memory = s.snapshot();
  s.abandon();
  const again = open();
  expect(again.snapshot()).toBe(memory);
  again.abandon();
});

test('an update after a recorded write to the same entry in one transaction: both are logged and undone together', async () => {
  const s = open();
  const before = text(s, 'small');
  await expect(
    s.mutate((tx) => {
      tx.edit(COLL, 'small', (_d, w) => w.set(['meta', 'a'], 'recorded'));
      tx.update(COLL, 'small', (d) => (d.meta.b = 'copied'));
      throw new Error('no');
    }),
  ).rejects.toThrow('no');
  expect(text(s, 'small')).toBe(before);
  await s.mutate((tx) => {
    tx.edit(COLL, 'small', (_d, w) => w.set(['meta', 'a'], 'recorded'));
    tx.update(COLL, 'small', (d) => (d.meta.b = 'copied'));
  });
  const memory = s.snapshot();
  s.abandon();
  const again = open();
  expect(again.snapshot()).toBe(memory);
  expect(again.get(COLL, 'small')!.meta).toEqual({ a: 'recorded', b: 'copied', c: 3 });
  again.abandon();
});

test('in the test suite a write to the draft that bypasses the writer is caught (it would be neither logged nor undone)', async () => {
  expect(process.env.CLOUD_API_EMULATOR_VERIFY_EDITS).toBe('1');
  const s = open();
  await expect(
    s.mutate((tx) =>
      tx.edit(COLL, 'small', (d, w) => {
        w.set(['n'], 1);
        d.tail = 'unrecorded';
      }),
    ),
  ).rejects.toThrow(/does not undo to the entry it changed/);
  s.abandon();
});
