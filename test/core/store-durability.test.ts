/**
 * The change log under failure, made deterministic by a file-system layer that fails on purpose
 * (test/support/faulty-fs.ts): short writes, a disk that fills up, ENOSPC/EACCES on a named call.
 * Each test of a finding of issue 11 names it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurabilityError, EmulatorError } from '../../src/core/errors.js';
import { Store, type StoreOptions } from '../../src/core/store.js';
import { FaultyFs } from '../support/faulty-fs.js';

const COLL = 'things.items';
const collections = [{ path: COLL, idField: 'id' }];
const initial = () => ({ things: { items: [{ id: 'a', n: 0 }, { id: 'b', n: 0 }] } });

let dir: string;
let file: string;
let ffs: FaultyFs;
let logged: Array<{ level: string; message: string }>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-durability-'));
  file = path.join(dir, 'state.json');
  ffs = new FaultyFs();
  logged = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (opts: Partial<StoreOptions> = {}) =>
  Store.open({ file, collections, fs: ffs, log: (level, message) => logged.push({ level, message }), ...opts }, initial);
const ids = (s: Store) => s.list(COLL).map((e) => e.id);
const onDisk = () => JSON.parse(fs.readFileSync(file, 'utf8'));
const logText = () => fs.readFileSync(`${file}.log`, 'utf8');
const errors = () => logged.filter((l) => l.level === 'error');

describe('appends', () => {
  test('short writes: every append and compaction is written whole', async () => {
    ffs.shortWrites = true;
    const s = open({ compactBytes: 3000 });
    for (let i = 0; i < 60; i++) await s.mutate((tx) => tx.put(COLL, { id: `w${i}`, pad: 'x'.repeat(40) }));
    expect(s.stats.compactions).toBeGreaterThan(0);
    expect(ffs.count('writeSync')).toBeGreaterThan(s.stats.appends); // the writes really were cut short
    s.abandon();
    expect(onDisk().things.items.length).toBeGreaterThan(2);
    const again = open();
    expect(ids(again)).toHaveLength(62);
    again.abandon();
  });

  test('ENOSPC on an append: the change is undone in memory, the caller gets DurabilityError, the log is unchanged (finding 3)', async () => {
    const s = open();
    await s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 1)));
    const before = logText();
    ffs.fail('writeSync', 'ENOSPC', '.log');
    const failed = s.mutate((tx) => {
      tx.update(COLL, 'a', (d) => (d.n = 2));
      tx.insert(COLL, { id: 'c' });
      tx.remove(COLL, 'b');
    });
    // Applied in memory until its append: a read in the same turn sees it.
    expect(ids(s)).toEqual(['a', 'c']);
    await expect(failed).rejects.toThrow(DurabilityError);
    expect(s.list(COLL)).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 0 }]);
    expect(logText()).toBe(before);
    expect(s.stats).toMatchObject({ failedAppends: 1, rolledBack: 1 });
    expect(errors()).toHaveLength(1);
    s.abandon();
    expect(open().list(COLL)).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 0 }]);
  });

  test('a disk that fills mid-append: the partial record is cut off, and writes succeed again once there is space, without a restart (finding 2)', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'first' }));
    const good = fs.statSync(`${file}.log`).size;
    ffs.space = 10; // the next record is longer: it is written in part, then the disk is full
    await expect(s.mutate((tx) => tx.put(COLL, { id: 'second', pad: 'y'.repeat(100) }))).rejects.toThrow(DurabilityError);
    expect(fs.statSync(`${file}.log`).size).toBe(good);
    await expect(s.mutate((tx) => tx.put(COLL, { id: 'third' }))).rejects.toThrow(/not applied/);
    expect(ids(s)).toEqual(['a', 'b', 'first']);
    ffs.space = undefined; // space again
    await s.mutate((tx) => tx.put(COLL, { id: 'fourth' }));
    await s.mutate((tx) => tx.put(COLL, { id: 'fifth' }));
    expect(logged.map((l) => l.level)).toEqual(['error', 'warn']); // one error while failing, one line once it works again
    s.abandon();
    const again = open();
    expect(ids(again)).toEqual(['a', 'b', 'first', 'fourth', 'fifth']);
    expect(logText().endsWith('\n')).toBe(true);
    again.abandon();
  });

  test('a failed append whose cut-back also fails is cut back before the next append', async () => {
    const s = open();
    ffs.space = 5;
    ffs.fail('ftruncateSync', 'EIO', '.log');
    await expect(s.mutate((tx) => tx.put(COLL, { id: 'torn', pad: 'z'.repeat(50) }))).rejects.toThrow(DurabilityError);
    expect(fs.statSync(`${file}.log`).size).toBe(5); // left behind
    ffs.space = undefined;
    await s.mutate((tx) => tx.put(COLL, { id: 'next' }));
    s.abandon();
    expect(logText().split('\n').filter(Boolean).map((l) => JSON.parse(l).id)).toEqual(['next']);
  });

  test('with --fsync, a failed append undoes every change queued after it too, newest first', async () => {
    const s = open({ fsync: true });
    await s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 1)));
    ffs.fail('fdatasync', 'EIO', '.log');
    const first = s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 2)));
    await new Promise((r) => setImmediate(r)); // the first append is now in flight
    // Built on the first change while its append is in flight: queued behind it.
    const second = s.mutate((tx) => {
      tx.update(COLL, 'a', (d) => (d.n = tx.get(COLL, 'a')!.n * 10));
      tx.remove(COLL, 'b');
      tx.insert(COLL, { id: 'c' });
    });
    const settled = s.mutateSync((tx) => tx.update(COLL, 'c', (d) => (d.settled = true)));
    expect(settled.settled).toBe(true);
    expect(s.list(COLL)).toEqual([{ id: 'a', n: 20 }, { id: 'c', settled: true }]);
    await expect(first).rejects.toThrow(DurabilityError);
    await expect(second).rejects.toThrow(DurabilityError);
    expect(s.list(COLL)).toEqual([{ id: 'a', n: 1 }, { id: 'b', n: 0 }]);
    expect(s.stats.rolledBack).toBe(3);
    await s.mutate((tx) => tx.update(COLL, 'a', (d) => (d.n = 3)));
    s.abandon();
    expect(open().list(COLL)).toEqual([{ id: 'a', n: 3 }, { id: 'b', n: 0 }]);
  });

  test('mutateSync (settling on a read) follows the same rule: its change is undone when its append fails', async () => {
    const s = open();
    ffs.fail('writeSync', 'ENOSPC', '.log');
    s.mutateSync((tx) => tx.update(COLL, 'a', (d) => (d.n = 9)));
    expect(s.get(COLL, 'a')!.n).toBe(9);
    await s.whenIdle();
    expect(s.get(COLL, 'a')).toEqual({ id: 'a', n: 0 });
    s.abandon();
  });

  test('a failed replaceDoc puts the whole previous document back', async () => {
    const s = open();
    const before = s.snapshot();
    ffs.fail('writeSync', 'ENOSPC', '.log');
    await expect(s.mutate((tx) => tx.replaceDoc({ things: { items: [{ id: 'new' }] } }))).rejects.toThrow(DurabilityError);
    expect(s.snapshot()).toBe(before);
    expect(s.get(COLL, 'a')).toEqual({ id: 'a', n: 0 });
    s.abandon();
  });

  test('each line of the log is one whole transaction', async () => {
    const s = open();
    await s.mutate((tx) => {
      tx.put(COLL, { id: 'x' });
      tx.put(COLL, { id: 'y' });
    });
    await s.mutate((tx) => tx.put(COLL, { id: 'z' }));
    s.abandon();
    const lines = logText().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].map((r: any) => r.id)).toEqual(['x', 'y']);
    expect(lines[1].id).toBe('z');
  });
});

describe('compaction', () => {
  test.each<[string, (f: FaultyFs) => void]>([
    ['ENOSPC on the temp file', (f) => f.fail('writeSync', 'ENOSPC', '.tmp')],
    ['the disk filling while the temp file is written (finding 1)', (f) => void (f.space = 200)],
    ['a temp file shorter than the writes claimed (caught by the check)', (f) => void (f.lyingWrites = '.tmp')],
    ['EACCES creating the temp file (finding 5)', (f) => f.fail('openSync', 'EACCES', '.tmp')],
    ['ENOSPC on rename', (f) => f.fail('renameSync', 'ENOSPC', 'state.json')],
    ['EIO on fsync of the temp file', (f) => f.fail('fsyncSync', 'EIO', '.tmp')],
  ])('%s: the old data file and the log are kept, one error is logged, serving goes on', async (_name, inject) => {
    const s = open({ compactBytes: 470 }); // three of these records are ~405 bytes, four ~540
    for (let i = 0; i < 3; i++) await s.mutate((tx) => tx.put(COLL, { id: `p${i}`, pad: 'p'.repeat(100) }));
    expect(s.stats.compactions).toBe(0);
    const data = fs.readFileSync(file, 'utf8');
    const log = logText();
    inject(ffs);
    // This append goes past the threshold: the compaction after it fails, the change itself is acknowledged.
    await s.mutate((tx) => tx.put(COLL, { id: 'trigger', pad: 'q'.repeat(100) }));
    expect(s.stats.failedCompactions).toBe(1);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]!.message).toMatch(/kept/);
    expect(fs.readFileSync(file, 'utf8')).toBe(data);
    expect(logText().startsWith(log)).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    ffs.clear();
    await s.mutate((tx) => tx.put(COLL, { id: 'after' })); // still serving
    s.abandon();
    const again = open();
    expect(ids(again)).toEqual(['a', 'b', 'p0', 'p1', 'p2', 'trigger', 'after']);
    again.abandon();
  });

  test('a failing compaction is not retried on every write: next after a quarter of the threshold more log', async () => {
    const s = open({ compactBytes: 1000 });
    ffs.fail('openSync', 'EACCES', '.tmp', 1000);
    for (let i = 0; i < 100; i++) await s.mutate((tx) => tx.put(COLL, { id: `r${i}`, pad: 'r'.repeat(60) })); // ~90 bytes each
    // ~9,000 bytes of log: past 1,000 first, then one try per 250 more bytes.
    expect(s.stats.failedCompactions).toBeGreaterThan(5);
    expect(s.stats.failedCompactions).toBeLessThanOrEqual(1 + Math.ceil(9500 / 250));
    expect(s.stats.failedCompactions).toBeLessThan(s.stats.appends / 2);
    s.abandon();
  });

  test('a graceful close on a nearly full disk keeps a complete data file and the log (finding 1)', async () => {
    const s = open();
    for (let i = 0; i < 20; i++) await s.mutate((tx) => tx.put(COLL, { id: `k${i}`, pad: 'k'.repeat(50) }));
    const data = fs.readFileSync(file, 'utf8');
    ffs.space = 300; // less than the document
    await s.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(data);
    expect(errors()).toHaveLength(1);
    ffs.clear();
    const again = open();
    expect(ids(again)).toHaveLength(22);
    await again.close();
    expect(ids(open())).toHaveLength(22);
  });

  test('a close with nothing in the log does not rewrite the data file (finding 8)', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'once' }));
    await s.close();
    const renames = ffs.count('renameSync');
    const again = open();
    await again.close();
    expect(ffs.count('renameSync')).toBe(renames);
  });

  test('the data file keeps its mode when it is rewritten (finding 6)', async () => {
    const s = open();
    s.abandon();
    fs.chmodSync(file, 0o444);
    const again = open();
    await again.mutate((tx) => tx.put(COLL, { id: 'ro' }));
    await again.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
    expect(onDisk().things.items.map((e: any) => e.id)).toContain('ro');
    fs.chmodSync(file, 0o640);
    const third = open();
    await third.mutate((tx) => tx.put(COLL, { id: 'rw' }));
    await third.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
  });
});

describe('loading', () => {
  test('a torn tail is cut off with a warning naming its size; later appends are clean (finding 2)', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'ok' }));
    s.abandon();
    const torn = '{"p":"things.items","id":"torn","v":{"id":"to';
    fs.appendFileSync(`${file}.log`, torn);
    const again = open();
    expect(logged).toEqual([{ level: 'warn', message: expect.stringContaining(`torn last record of ${torn.length} bytes`) }]);
    await again.mutate((tx) => tx.put(COLL, { id: 'after1' }));
    again.abandon(); // a second crash
    const third = open();
    await third.mutate((tx) => tx.put(COLL, { id: 'after2' }));
    await third.mutate((tx) => tx.put(COLL, { id: 'after3' }));
    third.abandon();
    expect(ids(open())).toEqual(['a', 'b', 'ok', 'after1', 'after2', 'after3']);
  });

  test('a complete but corrupt last record is refused, naming the file and the line (finding 6)', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'one' }));
    s.abandon();
    fs.appendFileSync(`${file}.log`, '{"p":"things.items","id":"two","v":{"id":"tw\n');
    expect(() => open()).toThrow(EmulatorError);
    expect(() => open()).toThrow(`change log ${file}.log is corrupt at line 2`);
  });

  test('a record that parses but is not a record is refused too', async () => {
    open().abandon();
    fs.appendFileSync(`${file}.log`, '{"p":"things.items","id":"x","v":{"id":"x"}}\n[1,2]\n');
    expect(() => open()).toThrow(/corrupt at line 2/);
  });

  test('temporary files left by a killed compaction are removed at start (finding 6)', () => {
    open().abandon();
    for (const name of ['state.json.12345.tmp', 'state.json.lock.777.tmp']) fs.writeFileSync(path.join(dir, name), 'partial');
    fs.writeFileSync(path.join(dir, 'other.json.1.tmp'), 'not ours');
    open().abandon();
    expect(fs.readdirSync(dir).sort()).toEqual(['other.json.1.tmp', 'state.json', 'state.json.log']);
    expect(logged.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  test('the check of the loaded document refuses it before anything is written', async () => {
    const s = open();
    await s.mutate((tx) => tx.put(COLL, { id: 'bad' }));
    s.abandon();
    const log = logText();
    const check = (doc: any) => {
      if (doc.things.items.some((e: any) => e.id === 'bad')) throw new EmulatorError('invalid');
    };
    expect(() => open({ check })).toThrow('invalid');
    expect(logText()).toBe(log);
    open().abandon(); // and the lock was released
  });
});

describe('the lock', () => {
  test('a second store on the same data file is refused, naming the file and the pid; after a close it opens', async () => {
    const s = open();
    expect(() => open()).toThrow(EmulatorError);
    expect(() => open()).toThrow(`data file ${file} is in use by process ${process.pid}`);
    await s.close();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    open().abandon();
  });

  test('a lock left by a process that is gone is taken over', async () => {
    const { spawnSync } = await import('node:child_process');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(`${file}.lock`, `${gone}\n`);
    const s = open();
    expect(fs.readFileSync(`${file}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    s.abandon();
  });

  test('a lock holding this process’s own pid, not held by it, is from an earlier life of the pid (a restarted container): taken over', () => {
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n`);
    open().abandon();
  });

  test('a lock held by a live process is not taken over', () => {
    fs.writeFileSync(`${file}.lock`, `${process.ppid}\n`);
    expect(() => open()).toThrow(`in use by process ${process.ppid} (lock file ${file}.lock)`);
    expect(fs.existsSync(file)).toBe(false); // refused before anything was written
  });
});
