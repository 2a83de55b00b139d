import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { widgetsProvider } from '../support/widgets-provider.js';

const fixtures = { widgets: { items: [{ id: 'w1' }] } };

describe('control plane with a test provider', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator({ providers: [widgetsProvider], fixtures });
  });
  afterEach(() => t.close());

  test('GET /_emulator/health', async () => {
    const res = await t.http.get('/_emulator/health').expect(200).expect('content-type', /json/);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String), providers: ['widgets'], now: '2026-01-15T08:00:00.000Z' });
  });

  test('GET /_emulator/state returns the whole document, defaults filled in', async () => {
    const res = await t.http.get('/_emulator/state').expect(200);
    expect(res.body).toEqual({ emulator: { idempotency: [] }, widgets: { items: [{ id: 'w1', status: 'running' }] } });
  });

  test('PUT /_emulator/state replaces it; an invalid document changes nothing', async () => {
    await t.http.put('/_emulator/state').send({ widgets: { items: [{ id: 'x' }] } }).expect(200);
    expect((await t.state()).widgets.items).toEqual([{ id: 'x', status: 'running' }]);
    const bad = await t.http.put('/_emulator/state').send({ widgets: { items: [{ id: 42 }] } }).expect(400);
    expect(bad.body.errors[0]).toMatchObject({ path: '/widgets/items/0/id', message: expect.stringContaining('must be a string') });
    expect((await t.state()).widgets.items).toEqual([{ id: 'x', status: 'running' }]);
  });

  test('POST /_emulator/seed merges by id', async () => {
    await t.seed({ widgets: { items: [{ id: 'w2' }, { id: 'w1', status: 'stopped' }] } });
    expect((await t.state()).widgets.items).toEqual([
      { id: 'w1', status: 'stopped' },
      { id: 'w2', status: 'running' },
    ]);
    const bad = await t.http.post('/_emulator/seed').send({ widgets: { items: [{ id: null }] } }).expect(400);
    expect(bad.body.errors).toHaveLength(1);
    expect((await t.state()).widgets.items).toHaveLength(2);
  });

  test('a seed into a file-backed store writes the seeded entries, not the whole document', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
    const data = path.join(dir, 'state.json');
    const many = { widgets: { items: Array.from({ length: 2000 }, (_, i) => ({ id: `big${i}`, pad: 'x'.repeat(100) })) } };
    const f = await startTestEmulator({ providers: [widgetsProvider], fixtures: many, data });
    try {
      const logBefore = fs.statSync(`${data}.log`).size;
      const res = await f.http.post('/_emulator/seed').send({ widgets: { items: [{ id: 'new1' }, { id: 'big7', status: 'stopped' }] } }).expect(200);
      expect(res.body).toEqual({ status: 'seeded', entries: 2 });
      const appended = fs.readFileSync(`${data}.log`, 'utf8').slice(logBefore).trim().split('\n');
      // One line per transaction (issue 11: a torn line must never leave half a transaction).
      expect(appended.flatMap((l) => [JSON.parse(l)].flat().map((r: any) => r.id))).toEqual(['new1', 'big7']);
      expect(appended).toHaveLength(1);
      const state = await f.state();
      expect(state.widgets.items).toHaveLength(2001);
      expect(state.widgets.items[7]).toEqual({ id: 'big7', status: 'stopped' });
      expect(state.widgets.items[2000]).toEqual({ id: 'new1', status: 'running' });
    } finally {
      await f.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('POST /_emulator/reset goes back to the fixtures, or to empty', async () => {
    await t.seed({ widgets: { items: [{ id: 'w9' }] } });
    await t.http.post('/_emulator/reset').expect(200, { status: 'reset', empty: false });
    expect((await t.state()).widgets.items.map((w: any) => w.id)).toEqual(['w1']);
    await t.http.post('/_emulator/reset').send({ empty: true }).expect(200, { status: 'reset', empty: true });
    expect((await t.state()).widgets.items).toEqual([]);
    await t.http.post('/_emulator/reset').send({ empty: 'yes' }).expect(400);
  });

  test('the clock: read, manual/system, set, advance, and bad values', async () => {
    expect((await t.http.get('/_emulator/clock').expect(200)).body).toEqual({ now: '2026-01-15T08:00:00.000Z', mode: 'manual' });
    expect((await t.http.post('/_emulator/clock').send({ advanceMs: 1000 }).expect(200)).body.now).toBe('2026-01-15T08:00:01.000Z');
    expect((await t.http.post('/_emulator/clock').send({ set: '2027-03-01T00:00:00Z' }).expect(200)).body.now).toBe('2027-03-01T00:00:00.000Z');
    expect((await t.http.post('/_emulator/clock').send({ mode: 'system' }).expect(200)).body.mode).toBe('system');
    expect((await t.http.post('/_emulator/clock').send({ mode: 'manual' }).expect(200)).body.mode).toBe('manual');
    for (const bad of [{}, { mode: 'fast' }, { set: 'yesterday' }, { advanceMs: -1 }, { advanceMs: 1.5 }, { advanceMs: '5' }, { jump: 1 }]) {
      const res = await t.http.post('/_emulator/clock').send(bad).expect(400);
      expect(res.body.errors[0].message).toEqual(expect.any(String));
    }
  });

  test('advancing the clock settles due transitions before it answers', async () => {
    await t.http.post('/widgets/w1/restart').expect(202);
    await t.http.post('/_emulator/clock').send({ advanceMs: 1000 }).expect(200);
    expect(t.ctx.store.get('widgets.items', 'w1')!.status).toBe('running');
  });

  test('transitions: read and change durations; bad ones are refused whole', async () => {
    expect((await t.http.get('/_emulator/transitions').expect(200)).body).toEqual({ 'widgets.restart': 1000 });
    expect((await t.http.put('/_emulator/transitions').send({ 'widgets.restart': null }).expect(200)).body).toEqual({ 'widgets.restart': null });
    await t.http.put('/_emulator/transitions').send({ 'widgets.restart': 5, nope: 1 }).expect(400);
    await t.http.put('/_emulator/transitions').send({ 'widgets.restart': -5 }).expect(400);
    await t.http.put('/_emulator/transitions').send([1]).expect(400);
    expect((await t.http.get('/_emulator/transitions')).body).toEqual({ 'widgets.restart': null });
  });

  test('settings: read and patch; bad ones refused', async () => {
    expect((await t.http.get('/_emulator/settings').expect(200)).body).toEqual({ 'widgets.loud': false });
    expect((await t.http.patch('/_emulator/settings').send({ 'widgets.loud': true }).expect(200)).body).toEqual({ 'widgets.loud': true });
    await t.http.patch('/_emulator/settings').send({ 'widgets.loud': 'maybe' }).expect(400);
    await t.http.patch('/_emulator/settings').send({ other: 1 }).expect(400);
  });

  test('faults: add, match with a count, list, delete; bad rules refused', async () => {
    const added = await t.http.post('/_emulator/faults').send({ provider: 'widgets', operation: 'RestartWidget', httpStatus: 503, code: 'Busy', count: 1 }).expect(201);
    const id = added.body.faults[0].id;
    expect((await t.http.post('/widgets/w1/restart')).status).toBe(503);
    expect((await t.http.post('/widgets/w1/restart')).status).toBe(202);
    expect((await t.http.get('/_emulator/faults')).body.faults).toEqual([expect.objectContaining({ id, count: 0 })]);
    await t.http.delete(`/_emulator/faults/${id}`).expect(200, { faults: [] });
    await t.http.delete('/_emulator/faults/nope').expect(404);
    for (const bad of [{ httpStatus: 200 }, { probability: 2 }, { count: -1 }, { what: 1 }]) {
      await t.http.post('/_emulator/faults').send(bad as object).expect(400);
    }
    // Not an object: sent as JSON (a body of another type is refused before it is read: 415, test/security).
    await t.http.post('/_emulator/faults').set('Content-Type', 'application/json').send('"x"').expect(400);
    // A batch with one bad rule adds none of them.
    await t.http.post('/_emulator/faults').send([{ code: 'A' }, { httpStatus: 1 }]).expect(400);
    expect((await t.http.get('/_emulator/faults')).body.faults).toEqual([]);
  });

  test('requests: the journal records provider calls', async () => {
    await t.http.get('/widgets/w1').expect(200);
    await t.http.get('/widgets/none').expect(404);
    const res = await t.http.get('/_emulator/requests').query({ provider: 'widgets' }).expect(200);
    expect(res.body.requests.map((r: any) => [r.operation, r.status])).toEqual([
      ['GetWidget', 200],
      ['GetWidget', 404],
    ]);
    expect((await t.http.get('/_emulator/requests').query({ limit: 1 })).body.requests).toHaveLength(1);
    await t.http.get('/_emulator/requests').query({ limit: 'x' }).expect(400);
    await t.http.delete('/_emulator/requests').expect(200);
    expect((await t.http.get('/_emulator/requests')).body.requests).toEqual([]);
  });

  test('unknown routes and malformed JSON get JSON errors, never HTML or 500', async () => {
    const unknownControl = await t.http.get('/_emulator/nope').expect(404).expect('content-type', /json/);
    expect(unknownControl.body.errors[0].message).toMatch(/no control route/);
    const unknown = await t.http.get('/somewhere/else').expect(404).expect('content-type', /json/);
    expect(unknown.body.errors[0].code).toBe('not_found');
    for (const [method, url] of [
      ['put', '/_emulator/state'],
      ['post', '/_emulator/seed'],
      ['post', '/_emulator/clock'],
      ['put', '/_emulator/transitions'],
      ['post', '/_emulator/faults'],
      ['post', '/_emulator/reset'],
    ] as const) {
      const res = await t.http[method](url).set('content-type', 'application/json').send('{"broken": ').expect(400).expect('content-type', /json/);
      expect(res.body.errors[0].message).toMatch(/not valid JSON/);
    }
    await t.http.put('/_emulator/state').send('[1,2]').set('content-type', 'application/json').expect(400);
    await t.http.delete('/_emulator/state').expect(404);
  });
});

describe('control plane with the built-in providers', () => {
  test('schemas/state.schema.json describes the document the built-in providers check, part by part', async () => {
    const fs = await import('node:fs');
    const { BUILTIN_PROVIDERS } = await import('../../src/providers/index.js');
    const { SCHEMAS_DIR } = await import('../../src/core/schemas.js');
    const whole = JSON.parse(fs.readFileSync(`${SCHEMAS_DIR}/state.schema.json`, 'utf8'));
    const parts = Object.fromEntries(BUILTIN_PROVIDERS.map((p) => [p.name, { $ref: p.stateSchema }]));
    expect(Object.fromEntries(Object.entries(whole.properties).filter(([k]) => k !== 'emulator'))).toEqual(parts);
    expect(whole.additionalProperties).toBe(false);
  });


  test('the state document is checked against schemas/state.schema.json', async () => {
    const t = await startTestEmulator();
    try {
      const res = await t.http.post('/_emulator/seed').send({ nonsense: {} }).expect(400);
      expect(res.body.errors[0].message).toMatch(/additional properties.*nonsense/);
      const health = await t.http.get('/_emulator/health').expect(200);
      expect(health.body.providers).toEqual(['elastic', 'huawei', 'alibaba']);
      const state = await t.state();
      expect(Object.keys(state).sort()).toEqual(['alibaba', 'elastic', 'emulator', 'huawei']);
    } finally {
      await t.close();
    }
  });
});
