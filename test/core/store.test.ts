import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmulatorError } from '../../src/core/errors.js';
import { Store } from '../../src/core/store.js';

const COLL = 'things.items';
const collections = [{ path: COLL, idField: 'id' }];
const initial = () => ({ things: { items: [{ id: 'a', n: 0 }] } });

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  file = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (opts: Partial<Parameters<typeof Store.open>[0]> = {}) => Store.open({ file, collections, ...opts }, initial);

describe('Store', () => {
  test('a new store writes its initial document at once', () => {
    const s = open();
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(initial());
    s.abandon();
  });

  test('a transaction that throws changes nothing', async () => {
    const s = open();
    await expect(
      s.mutate((tx) => {
        tx.update(COLL, 'a', (d) => (d.n = 1));
        tx.insert(COLL, { id: 'b' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(s.get(COLL, 'a')).toEqual({ id: 'a', n: 0 });
    expect(s.get(COLL, 'b')).toBeUndefined();
    await s.close();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).things.items).toEqual([{ id: 'a', n: 0 }]);
  });

  test('update changes the entry in place and puts it back exactly if the transaction throws', async () => {
    const s = open();
    await s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.nested = { list: [1, 2] })));
    const live = s.get(COLL, 'a')!;
    await expect(
      s.mutate((tx) => {
        const draft = tx.update(COLL, 'a', (d) => {
          d.n = 5;
          d.nested.list.push(3);
          delete d.id;
        });
        expect(tx.get(COLL, 'a')).toBe(draft);
        tx.update(COLL, 'a', (d) => (d.more = true));
        throw new Error('late failure');
      }),
    ).rejects.toThrow('late failure');
    expect(s.get(COLL, 'a')).toBe(live);
    expect(live).toEqual({ id: 'a', n: 0, nested: { list: [1, 2] } });
    s.abandon();
  });

  test('an acknowledged change survives a crash (no close, no compaction)', async () => {
    const s = open();
    await s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 7)));
    await s.mutate((tx) => tx.insert(COLL, { id: 'b', n: 1 }));
    await s.mutate((tx) => tx.remove(COLL, 'a'));
    s.abandon(); // as if killed: the document on disk is still the first one
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(initial());
    const again = open();
    expect(again.list(COLL)).toEqual([{ id: 'b', n: 1 }]);
    again.abandon();
  });

  test('concurrent changes share one append (group commit), each acknowledged once durable', async () => {
    const s = open();
    const done = await Promise.all(Array.from({ length: 200 }, (_, i) => s.mutate((tx) => tx.insert(COLL, { id: `x${i}` }))));
    expect(done).toHaveLength(200);
    expect(s.stats.acknowledged).toBe(200);
    expect(s.stats.appends).toBeLessThanOrEqual(2);
    const lines = fs.readFileSync(`${file}.log`, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(200);
    s.abandon();
  });

  test('no acknowledged change waits on later ones under a steady stream of writes', async () => {
    const s = open();
    let issued = 0;
    let firstDone = false;
    let issuedWhenFirstDone = -1;
    const first = s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 1))).then(() => {
      firstDone = true;
      issuedWhenFirstDone = issued;
    });
    // Keep writes arriving, every turn of the loop, until the first is acknowledged (or far past it).
    const stream: Promise<unknown>[] = [];
    await new Promise<void>((resolve) => {
      const tick = () => {
        if (firstDone || issued >= 5000) return resolve();
        stream.push(s.mutate((tx) => tx.put(COLL, { id: `s${issued++}` })));
        setImmediate(tick);
      };
      tick();
    });
    await first;
    expect(firstDone).toBe(true);
    // Acknowledged while the stream was still running, after a handful of turns, not at its end.
    expect(issuedWhenFirstDone).toBeLessThan(50);
    await Promise.all(stream);
    s.abandon();
  });

  test('compaction writes the whole document atomically and empties the log', async () => {
    const s = open({ compactBytes: 2000 });
    for (let i = 0; i < 100; i++) await s.mutate((tx) => tx.put(COLL, { id: `c${i}`, pad: 'x'.repeat(50) }));
    expect(s.stats.compactions).toBeGreaterThan(0);
    expect(fs.statSync(`${file}.log`).size).toBeLessThan(2000 + 200);
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(onDisk.things.items.length).toBeGreaterThan(50);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    s.abandon();
    const again = open();
    expect(again.list(COLL)).toHaveLength(101);
    again.abandon();
  });

  test('close compacts: the data file alone holds the state', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'z' }));
    await s.close();
    expect(fs.readFileSync(`${file}.log`, 'utf8')).toBe('');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).things.items.map((e: any) => e.id)).toEqual(['a', 'z']);
  });

  test('a torn last line of the log (a crash mid-append) is dropped; the rest is kept', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'ok' }));
    s.abandon();
    fs.appendFileSync(`${file}.log`, '{"p":"things.items","id":"torn","v":{"id":"to');
    const again = open();
    expect(again.list(COLL).map((e) => e.id)).toEqual(['a', 'ok']);
    again.abandon();
  });

  test('a corrupt data file is an EmulatorError naming the file, and it is not overwritten', () => {
    fs.writeFileSync(file, '{"things": [1, 2');
    expect(() => open()).toThrow(EmulatorError);
    expect(() => open()).toThrow(file);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"things": [1, 2');
  });

  test('a data file that is JSON but not an object is refused too', () => {
    fs.writeFileSync(file, '[1,2,3]');
    expect(() => open()).toThrow(/corrupt/);
  });

  test('a corrupt line in the middle of the log is an error, not silent loss', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'one' }));
    s.abandon();
    fs.appendFileSync(`${file}.log`, 'garbage\n{"p":"things.items","id":"two","v":{"id":"two"}}\n{"p":"things.items","id":"3","v":{"id":"3"}}\n');
    expect(() => open()).toThrow(/change log .* corrupt at line 2/);
  });

  test('replaceDoc swaps the whole document and is durable', async () => {
    const s = open();
    await s.mutate((tx) => tx.replaceDoc({ things: { items: [{ id: 'new' }] } }));
    expect(s.get(COLL, 'a')).toBeUndefined();
    s.abandon();
    expect(open().list(COLL)).toEqual([{ id: 'new' }]);
  });

  test('non-ASCII text is stored escaped (the file is ASCII) and reads back the same', async () => {
    const s = open({ compactBytes: 1 });
    const name = '专业版 | 8 核 — café 😀';
    await s.mutate((tx) => tx.put(COLL, { id: 'u', name }));
    await s.mutate((tx) => tx.put(COLL, { id: 'v', name }));
    s.abandon();
    const raw = fs.readFileSync(file);
    expect(raw.every((b) => b < 0x80)).toBe(true);
    const again = open();
    expect(again.get(COLL, 'u')!.name).toBe(name);
    expect(again.get(COLL, 'v')!.name).toBe(name);
    again.abandon();
  });

  test('in memory: changes apply and nothing is written', async () => {
    const s = Store.open({ collections }, initial);
    await s.mutate((tx) => tx.put(COLL, { id: 'm' }));
    expect(s.list(COLL)).toHaveLength(2);
    expect(fs.readdirSync(dir)).toEqual([]);
    await s.close();
  });
});

/**
 * What a store promises whichever durability layer it runs on: the change log on a file, or
 * memory only. (What survives a crash is the file's alone: the tests above.)
 */
describe.each([
  ['a change log on a file', () => Store.open({ file, collections }, initial)],
  ['memory only', () => Store.open({ collections }, initial)],
])('Store on %s', (_name, openWith) => {
  test('an acknowledged change is visible to every later read and transaction', async () => {
    const s = openWith();
    await s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 1)));
    await s.mutate((tx) => tx.insert(COLL, { id: 'b', n: tx.get(COLL, 'a')!.n + 1 }));
    expect(s.list(COLL)).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 2 }]);
    await s.close();
  });

  test('a transaction that throws changes nothing, and its error reaches the caller', async () => {
    const s = openWith();
    await expect(
      s.mutate((tx) => {
        tx.update(COLL, 'a', (d) => (d.n = 5));
        tx.remove(COLL, 'a');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(s.list(COLL)).toEqual([{ id: 'a', n: 0 }]);
    await s.close();
  });

  test('200 concurrent transactions each see the one before (no lost update)', async () => {
    const s = openWith();
    await Promise.all(Array.from({ length: 200 }, () => s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n += 1)))));
    expect(s.get(COLL, 'a')!.n).toBe(200);
    await s.close();
  });

  test('snapshot() is a copy: changing it changes nothing in the store', async () => {
    const s = openWith();
    const copy = JSON.parse(s.snapshot());
    copy.things.items[0].n = 99;
    expect(s.get(COLL, 'a')!.n).toBe(0);
    expect(JSON.parse(s.snapshot())).toEqual(initial());
    await s.close();
  });

  test('whenIdle resolves once everything made so far is settled; a closed store takes no change', async () => {
    const s = openWith();
    s.mutateSync((tx) => tx.put(COLL, { id: 'sync' }));
    await s.whenIdle();
    await s.close();
    await expect(s.mutate((tx) => tx.put(COLL, { id: 'late' }))).rejects.toThrow('closed');
  });
});

/**
 * Removing k entries costs one pass over their collection, not k re-indexings of everything behind
 * each: pruning 5,000 of 10,001 tokens in one transaction re-indexed 25 million positions before.
 * Counted, not timed; the same for replaying such a log at start.
 */
test('removals re-index what moved once per transaction, and once per run of removals in a replay', async () => {
  const s = open();
  await s.mutate((tx) => {
    for (let i = 0; i < 10000; i++) tx.insert(COLL, { id: `t${String(i).padStart(5, '0')}`, n: i });
  });
  const before = s.stats.reindexed;
  await s.mutate((tx) => {
    for (let i = 0; i < 10000; i += 2) tx.remove(COLL, `t${String(i).padStart(5, '0')}`);
  });
  expect(s.stats.reindexed - before).toBeLessThanOrEqual(10001);
  expect(s.list(COLL)).toHaveLength(5001);
  expect(s.get(COLL, 't00001')).toEqual({ id: 't00001', n: 1 });
  expect(s.get(COLL, 't00002')).toBeUndefined();
  expect(s.list(COLL).map((e) => e.id).slice(0, 3)).toEqual(['a', 't00001', 't00003']);
  s.abandon();

  const again = open();
  expect(again.stats.reindexed).toBeLessThanOrEqual(10001);
  expect(again.list(COLL)).toHaveLength(5001);
  expect(again.get(COLL, 't09999')).toEqual({ id: 't09999', n: 9999 });
  await again.close();
});
