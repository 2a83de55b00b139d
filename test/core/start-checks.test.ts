/**
 * Issue 17, start-up: what a start checks and compiles, counted (entries checked, validators first
 * used, documents hashed), never timed. A data file this emulator wrote (or checked) and that is
 * unchanged since is not checked again; an edited one, one without its check mark, one checked under
 * other schemas, or one with a change log to replay is checked as before.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { Schemas, SCHEMAS_DIR } from '../../src/core/schemas.js';
import { type RunningEmulator, startEmulator } from '../../src/index.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const instances = (n: number) => Array.from({ length: n }, (_, i) => ({ instance_id: `ph${i}`, instance_name: `one-${i}`, project_id: PROJECT, running_status: 2 }));
const fixtures = { huawei: { tokens: [{ token: 't', projectId: PROJECT }], koophone: { instances: instances(40) } } };
/** Entries in the fixtures' collections: the 40 instances and the one token. */
const ENTRIES = 41;

let dir: string;
let file: string;
let mark: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-checks-'));
  file = path.join(dir, 'state.json');
  mark = `${file}.checked`;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = (extra: Record<string, unknown> = {}) => startEmulator({ port: 0, data: file, clock: 'manual', logLevel: 'silent', ...extra });

/** What the start just made checked: loaded-state checks, entries held to the schemas, validators used. */
const counts = (e: RunningEmulator) => ({ loadChecks: e.ctx.store.stats.loadChecks, entries: e.ctx.documents.stats.checkedEntries, validators: e.ctx.schemas.stats.validators });
const NONE = { loadChecks: 0, entries: 0, validators: 0 };

async function names(e: RunningEmulator): Promise<string[]> {
  const state = (await (await fetch(`${e.url}/_emulator/state`)).json()) as any;
  return state.huawei.koophone.instances.map((i: { instance_name: string }) => i.instance_name);
}

describe('a start from an unchanged data file this emulator wrote checks nothing again', () => {
  test('written from fixtures, then started again: no entry checked, no schema compiled, the same state served', async () => {
    const first = await open({ fixtures });
    // The fixtures were checked (that is the first document), the data file new: no loaded-state check.
    expect(first.ctx.store.stats.loadChecks).toBe(0);
    expect(first.ctx.documents.stats.checkedEntries).toBe(ENTRIES);
    const served = await names(first);
    await first.close();
    expect(fs.existsSync(mark)).toBe(true);

    const again = await open();
    expect(counts(again)).toEqual(NONE);
    expect(await names(again)).toEqual(served);
    await again.close();
  });

  test('a compaction marks the file it writes: after a change and a stop, the next start checks nothing', async () => {
    const first = await open({ fixtures });
    await first.close();
    const second = await open();
    await second.ctx.store.mutate((tx) => tx.update('huawei.koophone.instances', 'ph3', (d) => (d.instance_name = 'renamed')));
    await second.close();
    expect(second.ctx.store.stats.compactions).toBe(1);

    const third = await open();
    expect(counts(third)).toEqual(NONE);
    expect((await names(third))[3]).toBe('renamed');
    await third.close();
  });
});

describe('anything else is checked, as before', () => {
  async function written(): Promise<void> {
    const first = await open({ fixtures });
    await first.close();
  }

  test('an edited data file (same size, other bytes) is checked; an invalid edit is refused even with the old mark beside it', async () => {
    await written();
    const text = fs.readFileSync(file, 'latin1');
    // A valid edit of the same length: the mark's size matches, its SHA-1 does not.
    fs.writeFileSync(file, text.replace('"instance_name":"one-7"', '"instance_name":"two-7"'));
    const edited = await open();
    expect(counts(edited).loadChecks).toBe(1);
    expect(counts(edited).entries).toBe(ENTRIES);
    expect((await names(edited))[7]).toBe('two-7');
    await edited.close();
    // It passed: the mark now describes it, and the next start checks nothing.
    const next = await open();
    expect(counts(next)).toEqual(NONE);
    await next.close();

    // running_status 2 -> 7 keeps the size; 7 is outside the schema's 0..5.
    const valid = fs.readFileSync(file, 'latin1');
    fs.writeFileSync(file, valid.replace('"running_status":2', '"running_status":7'));
    expect(fs.statSync(file).size).toBe(valid.length);
    await expect(open()).rejects.toThrow(/is not a valid state document: .*running_status must be <= 5/);
  });

  test('a missing, torn or foreign mark: the file is checked (then marked)', async () => {
    await written();
    const good = fs.readFileSync(mark, 'latin1');
    const variants = [undefined, good.slice(0, 20), good.replace(/"check":"[0-9a-f]+"/, '"check":"other-schemas"'), good.replace(/"bytes":\d+/, '"bytes":1')];
    for (const variant of variants) {
      if (variant === undefined) fs.rmSync(mark);
      else fs.writeFileSync(mark, variant);
      const e = await open();
      expect(counts(e).loadChecks).toBe(1);
      expect(counts(e).entries).toBe(ENTRIES);
      await e.close();
      expect(fs.readFileSync(mark, 'latin1')).toBe(good);
    }
  });

  test('a change log to replay (a stop without compaction): the state is checked, data file and log together', async () => {
    await written();
    const crashed = await open();
    await crashed.ctx.store.mutate((tx) => tx.update('huawei.koophone.instances', 'ph1', (d) => (d.instance_name = 'logged')));
    crashed.kill(); // what was acknowledged is in the log; nothing is compacted
    expect(fs.statSync(`${file}.log`).size).toBeGreaterThan(0);

    const after = await open();
    expect(counts(after).loadChecks).toBe(1);
    expect(counts(after).entries).toBe(ENTRIES);
    expect((await names(after))[1]).toBe('logged');
    await after.close();
  });

  test('an invalid record in the log is refused even when the data file is marked', async () => {
    await written();
    fs.appendFileSync(`${file}.log`, JSON.stringify({ p: 'huawei.koophone.instances', id: 'ph1', v: { instance_id: 'ph1', instance_name: 'x', project_id: PROJECT, running_status: 'up' } }) + '\n');
    await expect(open()).rejects.toThrow(/is not a valid state document: .*running_status must be integer/);
  });
});

describe('schemas are compiled on first use', () => {
  test('a fresh Schemas compiles nothing; a start from fixtures uses the state schemas alone', async () => {
    expect(new Schemas().stats.validators).toBe(0);
    const e = await startEmulator({ port: 0, logLevel: 'silent', clock: 'manual', fixtures });
    // The emulator part and one per provider: a fixed number, whatever the operations' schemas.
    expect(e.ctx.schemas.stats.validators).toBe(1 + e.ctx.providers.length);
    await e.close();
  });

  test('every schema file is a valid draft-07 schema and compiles (checked here, not at each start)', () => {
    const schemas = new Schemas();
    const meta = new Ajv({ strict: false });
    const files: string[] = [];
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.json')) files.push(full);
      }
    };
    walk(SCHEMAS_DIR);
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const schema = JSON.parse(fs.readFileSync(f, 'utf8'));
      const id = schema.$id ?? path.relative(SCHEMAS_DIR, f);
      expect([id, meta.validateSchema(schema), meta.errors ?? null]).toEqual([id, true, null]);
      expect(schemas.has(id)).toBe(true);
      expect(typeof schemas.validator(id)).toBe('function');
    }
    // The same meta check refuses a schema that is not one (the loop above can fail).
    expect(meta.validateSchema({ type: 'objekt', properties: { a: { minimum: 'one' } } })).toBe(false);
  });
});
