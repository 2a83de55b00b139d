/**
 * Every number a user sets has a documented range and is refused outside it (400 on the control
 * plane, a one-line error and exit 2 on the command line, EmulatorError from startEmulator).
 */
import { parseCli } from '../../src/config.js';
import { Clock, CLOCK_MAX_MS, CLOCK_MIN_MS } from '../../src/core/clock.js';
import { startEmulator } from '../../src/index.js';
import { runCli } from '../support/child.js';
import { SILENT, startTestEmulator, type TestEmulator } from '../support/emulator.js';

describe('the clock never holds an instant it cannot print', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(() => t.close());

  test.each([{ set: 1e300 }, { advanceMs: 9007199254740991 }, { set: 8640000000000001 }, { set: -1 }, { set: '+275760-09-13T00:00:00.001Z' }, { set: '+010000-01-01T00:00:00.000Z' }, { set: 1.5 }])(
    'POST /_emulator/clock %j → 400; the clock, /health and the providers carry on',
    async (body) => {
      const res = await t.http.post('/_emulator/clock').send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toContain('1970-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z');
      expect((await t.http.get('/_emulator/clock')).body).toEqual({ now: '2026-01-15T08:00:00.000Z', mode: 'manual' });
      expect((await t.http.get('/_emulator/health')).status).toBe(200);
      // The journal's finish handler prints the clock: a provider request must not crash the process.
      expect((await t.http.get('/api/v1/deployments')).status).toBe(401);
      expect((await t.http.get('/_emulator/requests')).body.requests[0].at).toBe('2026-01-15T08:00:00.000Z');
    },
  );

  test('the edges themselves are accepted, in both modes', async () => {
    expect((await t.http.post('/_emulator/clock').send({ set: '9999-12-31T23:59:59.999Z' }).expect(200)).body.now).toBe('9999-12-31T23:59:59.999Z');
    await t.http.post('/_emulator/clock').send({ advanceMs: 1 }).expect(400);
    expect((await t.http.post('/_emulator/clock').send({ set: 0 }).expect(200)).body.now).toBe('1970-01-01T00:00:00.000Z');
    await t.http.post('/_emulator/clock').send({ mode: 'system', set: CLOCK_MAX_MS }).expect(200);
    // Real time runs on past the last instant: the clock stops there rather than leaving its range.
    expect((await t.http.get('/_emulator/health').expect(200)).body.now).toBe('9999-12-31T23:59:59.999Z');
  });

  test('Clock itself refuses, whoever calls it (start, set, advance), and keeps its instant', () => {
    expect(CLOCK_MIN_MS).toBe(0);
    expect(CLOCK_MAX_MS).toBe(Date.parse('9999-12-31T23:59:59.999Z'));
    expect(() => new Clock('manual', 1e300)).toThrow(RangeError);
    expect(() => new Clock('system', NaN)).toThrow(RangeError);
    const c = new Clock('manual', CLOCK_MAX_MS - 10);
    expect(() => c.set(8640000000000001)).toThrow(RangeError);
    expect(() => c.advance(11)).toThrow(RangeError);
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(c.now()).toBe(CLOCK_MAX_MS - 10);
    c.advance(10);
    expect(c.nowIso()).toBe('9999-12-31T23:59:59.999Z');
  });

  test('a clock start out of range is refused by startEmulator and by the CLI (exit 2)', async () => {
    await expect(startEmulator({ port: 0, inMemory: true, clockStart: 1e300, logger: SILENT })).rejects.toThrow(/clock start/);
    await expect(startEmulator({ port: 0, inMemory: true, clockStart: '+100000-01-01T00:00:00Z', logger: SILENT })).rejects.toThrow(/9999-12-31T23:59:59.999Z/);
    const run = await runCli(['--in-memory', '--port', '0', '--clock-start', '+100000-01-01T00:00:00Z']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/clock start/);
  });
});

describe('settings, transitions and fault rules have ranges', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
    await t.seed({ elastic: { users: [{ username: 'u', password: 'p', role: 'platform_admin' }] } });
  });
  afterEach(() => t.close());

  test('elastic.tokenTtlMs = 2^53-1 is refused (it made every login 500), and logins still work', async () => {
    const res = await t.http.patch('/_emulator/settings').send({ 'elastic.tokenTtlMs': 9007199254740991 }).expect(400);
    expect(res.body.errors[0].message).toMatch(/elastic\.tokenTtlMs.*from 1000 to 31536000000/);
    const login = await t.http.post('/api/v1/users/auth/_login').send({ username: 'u', password: 'p' });
    expect(login.status).toBe(200);
  });

  test('every integer setting of every provider declares a range, and both edges are accepted', async () => {
    const { BUILTIN_PROVIDERS } = await import('../../src/providers/index.js');
    const ints = BUILTIN_PROVIDERS.flatMap((p) => p.settings ?? []).filter((s) => s.type === 'integer' && !s.choices);
    expect(ints.length).toBeGreaterThanOrEqual(4);
    for (const s of ints) {
      expect({ key: s.key, min: typeof s.min, max: typeof s.max }).toEqual({ key: s.key, min: 'number', max: 'number' });
      await t.http.patch('/_emulator/settings').send({ [s.key]: s.min }).expect(200);
      await t.http.patch('/_emulator/settings').send({ [s.key]: s.max }).expect(200);
      await t.http.patch('/_emulator/settings').send({ [s.key]: s.min! - 1 }).expect(400);
      await t.http.patch('/_emulator/settings').send({ [s.key]: s.max! + 1 }).expect(400);
    }
    await expect(startEmulator({ port: 0, inMemory: true, settings: { 'huawei.iam.tokenLifetimeSeconds': 1e12 }, logger: SILENT })).rejects.toThrow(/tokenLifetimeSeconds/);
  });

  test('a transition duration beyond 365 days is refused, from the control plane, the options and the CLI', async () => {
    await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 31536000001 }).expect(400);
    await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 31536000000 }).expect(200);
    await expect(startEmulator({ port: 0, inMemory: true, transitions: { 'elastic.restart': 2 ** 53 }, logger: SILENT })).rejects.toThrow(/elastic\.restart/);
    const run = await runCli(['--in-memory', '--port', '0', '--transition', 'elastic.restart=99999999999h']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/elastic\.restart/);
  });

  test.each([
    [{ latencyMs: 2 ** 31 }, 'latencyMs'],
    [{ latencyMs: 300_001 }, 'latencyMs'],
    [{ count: 1e12 }, 'count'],
    [{ code: 'a\nb' }, 'code'],
    [{ code: 'c'.repeat(129) }, 'code'],
    [{ message: 'm'.repeat(4097) }, 'message'],
    [{ id: 'i'.repeat(129) }, 'id'],
    [{ resourceId: 'r'.repeat(257) }, 'resourceId'],
  ])('fault rule %j → 400 naming %s', async (rule, field) => {
    const res = await t.http.post('/_emulator/faults').send({ provider: 'elastic', ...rule }).expect(400);
    expect(res.body.errors[0].message).toContain(`"${field}"`);
    expect((await t.http.get('/_emulator/faults')).body.faults).toEqual([]);
  });

  test('GET /_emulator/requests?limit is bounded', async () => {
    await t.http.get('/_emulator/requests?limit=100000').expect(200);
    await t.http.get('/_emulator/requests?limit=100001').expect(400);
  });
});

describe('options', () => {
  test.each([
    [{ journalSize: 1e9 }, /journal size/],
    [{ journalSize: 100_001 }, /journal size/],
    [{ bodyLimit: 2 ** 40 }, /body limit/],
    [{ bodyLimit: 1023 }, /body limit/],
    [{ controlBodyLimit: 2 ** 31 }, /control body limit/],
    [{ controlBodyLimit: 100 }, /control body limit/],
    [{ compactBytes: 10 }, /compaction/],
    [{ compactBytes: 2 ** 50 }, /compaction/],
    [{ port: 65536 }, /port/],
  ])('startEmulator(%j) is refused', async (options, message) => {
    await expect(startEmulator({ inMemory: true, port: 0, logger: SILENT, ...options })).rejects.toThrow(message);
  });

  test('--help shows each numeric flag with its range', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const line of ['--body-limit BYTES', '--control-body-limit BYTES', '--journal-size N', '--port N']) {
      expect(run.stdout.split('\n').find((l) => l.includes(line))).toMatch(/range \d+-\d+/);
    }
    expect(run.stdout).toMatch(/--allowed-hosts/);
    expect(run.stdout).toMatch(/--control-token/);
  });

  test('the CLI refuses a value out of range with exit 2', async () => {
    expect(() => parseCli(['--journal-size', '100001'], {})).not.toThrow(); // checked when it starts
    const run = await runCli(['--in-memory', '--port', '0', '--journal-size', '100001']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/journal size/);
  });
});
