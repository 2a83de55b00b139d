import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { widgetsProvider } from '../support/widgets-provider.js';
import { Clock } from '../../src/core/clock.js';
import { Lifecycle } from '../../src/core/lifecycle.js';
import { Store } from '../../src/core/store.js';

const seed = { widgets: { items: [{ id: 'w1' }, { id: 'w2' }] } };

describe('timed transitions over HTTP', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator({ providers: [widgetsProvider], fixtures: seed });
  });
  afterEach(() => t.close());

  test('a manual clock advance settles exactly what is due, with the step time as its time', async () => {
    expect((await t.http.post('/widgets/w1/restart')).status).toBe(202);
    expect((await t.http.get('/widgets/w1')).body.status).toBe('restarting');
    await t.advance(999);
    expect((await t.http.get('/widgets/w1')).body.status).toBe('restarting');
    await t.advance(1);
    const w = (await t.http.get('/widgets/w1')).body;
    expect(w).toEqual({ id: 'w1', status: 'running', restarts: 1, restartedAt: '2026-01-15T08:00:01.000Z' });
    // The bookkeeping never shows in a provider response, but is in the state document.
    expect(w._emulator).toBeUndefined();
  });

  test('a late settle still lands each step at its own due time', async () => {
    await t.http.post('/widgets/w1/restart');
    await t.advance(60_000);
    expect((await t.http.get('/widgets/w1')).body.restartedAt).toBe('2026-01-15T08:00:01.000Z');
  });

  test('a wrong-state request is refused while the transition runs', async () => {
    await t.http.post('/widgets/w1/restart');
    expect((await t.http.post('/widgets/w1/restart')).status).toBe(409);
  });

  test('duration 0 completes before the next read', async () => {
    await t.http.put('/_emulator/transitions').send({ 'widgets.restart': 0 }).expect(200);
    await t.http.post('/widgets/w1/restart').expect(202);
    expect((await t.http.get('/widgets/w1')).body).toMatchObject({ status: 'running', restarts: 1 });
  });

  test('duration never stays stuck however far the clock goes', async () => {
    await t.http.put('/_emulator/transitions').send({ 'widgets.restart': null }).expect(200);
    await t.http.post('/widgets/w1/restart').expect(202);
    await t.advance(10 * 365 * 24 * 3600 * 1000);
    expect((await t.http.get('/widgets/w1')).body.status).toBe('restarting');
    const state = await t.state();
    expect(state.widgets.items[0]._emulator.steps[0].dueAt).toBeNull();
  });

  test('a clock set to a later instant settles too', async () => {
    await t.http.post('/widgets/w2/restart');
    await t.http.post('/_emulator/clock').send({ set: '2026-01-15T09:00:00Z' }).expect(200);
    expect((await t.http.get('/widgets/w2')).body.status).toBe('running');
  });
});

describe('restart mid-transition', () => {
  test('an emulator restarted mid-restart finishes it on schedule', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
    const data = path.join(dir, 'state.json');
    try {
      const first = await startTestEmulator({ providers: [widgetsProvider], fixtures: seed, data });
      await first.http.post('/widgets/w1/restart').expect(202);
      first.kill(); // as if it crashed: no compaction
      const second = await startTestEmulator({ providers: [widgetsProvider], fixtures: seed, data, clockStart: '2026-01-15T08:00:00.500Z' });
      expect((await second.http.get('/widgets/w1')).body.status).toBe('restarting');
      await second.advance(500);
      expect((await second.http.get('/widgets/w1')).body).toMatchObject({ status: 'running', restartedAt: '2026-01-15T08:00:01.000Z' });
      await second.close();
      // Overdue at start: settled during start-up, before the first request.
      const third = await startTestEmulator({ providers: [widgetsProvider], fixtures: seed, data, clockStart: '2026-01-16T00:00:00Z' });
      expect(third.ctx.store.get('widgets.items', 'w1')!.status).toBe('running');
      await third.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('steps overdue when the emulator starts are settled at start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
    const data = path.join(dir, 'state.json');
    try {
      const first = await startTestEmulator({ providers: [widgetsProvider], fixtures: seed, data });
      await first.http.post('/widgets/w2/restart').expect(202);
      await first.close();
      const second = await startTestEmulator({ providers: [widgetsProvider], fixtures: seed, data, clockStart: '2026-02-01T00:00:00Z' });
      const w = second.ctx.store.get('widgets.items', 'w2')!;
      expect(w.status).toBe('running');
      expect(w._emulator?.steps).toBeUndefined();
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Lifecycle in system time', () => {
  test('the one timer settles a due step and persists it without any request', async () => {
    const store = Store.open({ collections: [{ path: 'w.items', idField: 'id' }] }, () => ({ w: { items: [{ id: 'a', s: 'x' }] } }));
    const clock = new Clock('system');
    const lifecycle = new Lifecycle(store, clock);
    const settled = new Promise<void>((resolve) => store.onCommit((changes) => changes.some((c) => c.entry?.s === 'y') && resolve()));
    await store.mutate((tx) => lifecycle.schedule(tx, 'w.items', 'a', [{ dueAt: clock.now(), set: { s: 'y' } }]));
    await settled;
    expect(store.get('w.items', 'a')!.s).toBe('y');
    lifecycle.stop();
  });

  test('steps across entries settle in global due order', () => {
    const store = Store.open({ collections: [{ path: 'w.items', idField: 'id' }] }, () => ({ w: { items: [{ id: 'a' }, { id: 'b' }] } }));
    const clock = new Clock('manual', 0);
    const lifecycle = new Lifecycle(store, clock);
    const order: string[] = [];
    lifecycle.registerHook('log', ({ entry, at }) => order.push(`${entry.id}@${at}`));
    store.mutateSync((tx) => {
      lifecycle.schedule(tx, 'w.items', 'a', [{ dueAt: 30, hook: 'log' }, { dueAt: 10, hook: 'log' }]);
      lifecycle.schedule(tx, 'w.items', 'b', [{ dueAt: 20, hook: 'log' }]);
    });
    clock.advance(100);
    // Steps of one entry run in their listed order; entries interleave by due time.
    expect(order).toEqual(['b@20', 'a@30', 'a@10']);
    lifecycle.stop();
  });

  test('a failing hook drops its step and later steps still run', () => {
    const store = Store.open({ collections: [{ path: 'w.items', idField: 'id' }] }, () => ({ w: { items: [{ id: 'a' }] } }));
    const clock = new Clock('manual', 0);
    const errors: unknown[] = [];
    const lifecycle = new Lifecycle(store, clock, (err) => errors.push(err));
    lifecycle.registerHook('bad', () => {
      throw new Error('bad hook');
    });
    store.mutateSync((tx) => lifecycle.schedule(tx, 'w.items', 'a', [{ dueAt: 1, hook: 'bad' }, { dueAt: 2, set: { ok: true } }]));
    clock.advance(5);
    expect(errors).toHaveLength(1);
    expect(store.get('w.items', 'a')!.ok).toBe(true);
    lifecycle.stop();
  });
});

test('supertest is wired to real HTTP', async () => {
  const t = await startTestEmulator({ providers: [widgetsProvider] });
  expect((await request(t.url).get('/_emulator/health')).status).toBe(200);
  await t.close();
});
