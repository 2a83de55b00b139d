/**
 * Prototype pollution, as a class: no merge, path walk or lookup keyed by request data may reach an
 * inherited property. Every payload is refused with a 400 naming the key or path, and afterwards
 * Object.prototype and Array.prototype are as they were (in every realm the server code touches).
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { widgetsProvider, WIDGETS } from '../support/widgets-provider.js';
import { prototypeKeys, sendJson } from './support.js';

const CLEAN = { object: [], array: [] };
const ALIBABA_SEED = { alibaba: { accessKeys: [{ AccessKeyId: 'LTAI5tPOLLUTIONTEST001', AccessKeySecret: 'PollutionTestSecret000000000001' }] } };

describe('documents a control-plane request sends', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(async () => {
    await t.close();
    expect(prototypeKeys()).toEqual(CLEAN);
  });

  test.each([
    ['POST', '/_emulator/seed', '{"__proto__":{"x":true},"alibaba":5}', '__proto__'],
    ['POST', '/_emulator/seed', '{"alibaba":{"__proto__":{"x":true}}}', '/alibaba/__proto__'],
    ['POST', '/_emulator/seed', '{"alibaba":{"eci":{"containerGroups":[{"ContainerGroupId":"eci-1","__proto__":{"x":1}}]}}}', '/alibaba/eci/containerGroups/0/__proto__'],
    ['POST', '/_emulator/seed', '{"alibaba":{"constructor":{"prototype":{"x":true}}}}', '/alibaba/constructor'],
    ['PUT', '/_emulator/state', '{"__proto__":{"x":true}}', '__proto__'],
    ['PUT', '/_emulator/state', '{"huawei":{"koophone":{"prototype":{"x":true}}}}', '/huawei/koophone/prototype'],
    ['PATCH', '/_emulator/settings', '{"__proto__":{"x":true}}', '__proto__'],
    ['PUT', '/_emulator/transitions', '{"constructor":{"prototype":{"x":true}}}', 'constructor'],
    ['POST', '/_emulator/faults', '{"__proto__":{"x":true},"code":"A"}', '__proto__'],
    ['POST', '/_emulator/clock', '{"__proto__":{"x":true},"advanceMs":1}', '__proto__'],
    ['POST', '/_emulator/reset', '{"__proto__":{"empty":true}}', '__proto__'],
  ])('%s %s %s → 400 naming %s, nothing changes', async (method, path, body, where) => {
    const before = await t.state();
    const res = await sendJson(t, method.toLowerCase() as 'post', path, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.errors)).toContain(where);
    expect(prototypeKeys()).toEqual(CLEAN);
    expect(await t.state()).toEqual(before);
    // The process is not poisoned: seeds validate and providers answer.
    await t.seed(ALIBABA_SEED);
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
    expect((await t.http.get('/v1/instances/batch-query?page_no=1&page_size=10').set('X-Auth-Token', 'none')).status).toBe(401);
  });
});

describe('transition steps: a dotted `set` path never walks into a prototype', () => {
  let t: TestEmulator;
  const due = Date.parse('2026-01-15T08:00:01.000Z');
  beforeEach(async () => {
    t = await startTestEmulator({ providers: [widgetsProvider] });
  });
  afterEach(async () => {
    await t.close();
    expect(prototypeKeys()).toEqual(CLEAN);
  });

  test.each(['__proto__.polluted', 'constructor.prototype.polluted', 'status.__proto__.polluted', 'a.prototype'])('a seeded step setting "%s" is refused (400 naming the path)', async (path) => {
    const seed = { widgets: { items: [{ id: 'w1', _emulator: { steps: [{ dueAt: due, set: { [path]: true } }] } }] } };
    for (const [method, url] of [['post', '/_emulator/seed'], ['put', '/_emulator/state']] as const) {
      const res = await t.http[method](url).send(seed);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(path);
    }
    await t.advance(5000);
    expect(prototypeKeys()).toEqual(CLEAN);
    expect(t.ctx.store.list(WIDGETS)).toEqual([]);
  });

  test('a stored step that names a prototype (e.g. in an old data file) is dropped when it falls due, not applied', async () => {
    await t.seed({ widgets: { items: [{ id: 'w1' }, { id: 'w2' }] } });
    await t.ctx.store.mutate((tx) => {
      tx.put(WIDGETS, { id: 'w1', status: 'running', _emulator: { steps: [{ dueAt: due, set: { '__proto__.polluted': true } }] } });
      tx.put(WIDGETS, { id: 'w2', status: 'running', _emulator: { steps: [{ dueAt: due, set: { 'constructor.prototype.polluted': true, status: 'stopped' } }] } });
    });
    await t.advance(5000);
    expect(prototypeKeys()).toEqual(CLEAN);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The broken steps were dropped whole: nothing of them applied, the entries carry on.
    for (const id of ['w1', 'w2']) {
      const entry = t.ctx.store.get(WIDGETS, id)!;
      expect(entry).toMatchObject({ id, status: 'running' });
      expect(entry._emulator?.steps).toBeUndefined();
      expect(Object.keys(entry)).not.toContain('polluted');
    }
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
  });

  test('a legitimate dotted path still works', async () => {
    await t.seed({ widgets: { items: [{ id: 'w1', _emulator: { steps: [{ dueAt: due, set: { 'info.status': 'done', status: 'stopped' } }] } }] } });
    await t.advance(5000);
    expect(t.ctx.store.get(WIDGETS, 'w1')).toMatchObject({ id: 'w1', status: 'stopped', info: { status: 'done' } });
  });
});
