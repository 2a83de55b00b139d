/**
 * What keeps the restart cheap at 100,000 deployments: a seeded deployment is small in the store,
 * a restart touches only its own deployment, plan steps due at one instant settle in one change,
 * and plan history is bounded per resource (elastic.planHistoryLimit).
 */
import type { TestEmulator } from '../support/emulator.js';
import { startTestEmulator } from '../support/emulator.js';
import { KIBANA_INFO, RESTART, call } from './support.js';

const KEY = { Authorization: 'ApiKey bench' };
const id = (i: number) => i.toString(16).padStart(32, '0');
const ref = (i: number) => `k${i}`;

let t: TestEmulator;
beforeEach(async () => {
  t = await startTestEmulator();
  await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0, 'elastic.start': 0, 'elastic.shutdown': 0 }).expect(200);
});
afterEach(async () => {
  await t.close();
});

const seedMinimal = (n: number) =>
  t.seed({ elastic: { apiKeys: [{ key: 'bench' }], deployments: Array.from({ length: n }, (_, i) => ({ id: id(i), name: `bench-${i}`, resources: { kibana: [{ ref_id: ref(i), info: { status: 'started' } }] } })) } });

const restart = (i: number, query = '') => call(t, RESTART, 'post', `/api/v1/deployments/${id(i)}/kibana/${ref(i)}/_restart${query}`, KEY);
const info = (i: number) => call(t, KIBANA_INFO, 'get', `/api/v1/deployments/${id(i)}/kibana/${ref(i)}?show_plan_history=true&show_plan_logs=true`, KEY);

test('a minimal seeded deployment is stored as seeded (well under 1 KB) and served in full', async () => {
  await seedMinimal(2);
  const stored = (await t.state()).elastic.deployments[0];
  expect(JSON.stringify(stored).length).toBeLessThan(400);
  const served = await info(0);
  expect(served.body.info.plan_info.current.plan_attempt_log.at(-1).step_id).toBe('plan-completed');
  expect(JSON.stringify(served.body).length).toBeGreaterThan(1000);
  // A restart expands only the deployment it changes.
  expect((await restart(0)).status).toBe(202);
  const after = (await t.state()).elastic.deployments;
  expect(JSON.stringify(after[0]).length).toBeGreaterThan(2000);
  expect(JSON.stringify(after[1]).length).toBeLessThan(400);
});

test('with zero-length transitions a restart is settled in its own change, with every plan step logged', async () => {
  await seedMinimal(1);
  let changes = 0;
  const stop = t.ctx.store.onCommit((cs) => (changes += cs.filter((c) => c.collection === 'elastic.deployments').length));
  expect((await restart(0)).status).toBe(202);
  await t.http.get('/api/v1/deployments').set(KEY).expect(200);
  stop();
  expect(changes).toBe(1); // the plan is over before anyone can look: settled in the restart's own change
  const doc = (await t.state()).elastic.deployments[0];
  // Nothing left to settle on the entry.
  expect(doc._emulator.steps).toBeUndefined();
  const current = (await info(0)).body.info.plan_info.current;
  expect(current.plan_attempt_log.map((s: any) => [s.step_id, s.status, s.stage])).toEqual([
    ['set-maintenance', 'success', 'completed'],
    ['wait-until-stopped', 'success', 'completed'],
    ['wait-until-running', 'success', 'completed'],
    ['plan-completed', 'success', 'completed'],
  ]);
  expect(current.plan.transient.plan_configuration.cluster_reboot).toBe('forced');
});

// Issue 15 changes the default (10 kept → the spec's first 10 and last 90 shown) and issue 17 where
// history lives (its own collection): the bounds are the same kind of assertion, on the new figures.
test('plan history shows the first 10 and the last 90 attempts (the spec); force_all_plan_history all that are kept; numbering goes on', async () => {
  await seedMinimal(1);
  for (let i = 0; i < 120; i++) expect((await restart(0)).status).toBe(202);
  const names = (pi: any) => pi.history.map((h: any) => Number(h.plan_attempt_name.slice('attempt-'.length)));
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  let pi = (await info(0)).body.info.plan_info;
  expect(pi.current.plan_attempt_name).toBe('attempt-0000000120');
  expect(names(pi)).toEqual([...range(0, 10), ...range(30, 120)]);
  const dep = async (q: string) => (await call(t, 'get-deployment', 'get', `/api/v1/deployments/${id(0)}?show_plan_history=true${q}`, KEY)).body.resources.kibana[0].info.plan_info;
  expect(names(await dep(''))).toEqual([...range(0, 10), ...range(30, 120)]);
  // The default limit (100) keeps exactly what is shown: forcing all shows the same.
  expect(names(await dep('&force_all_plan_history=true'))).toEqual([...range(0, 10), ...range(30, 120)]);
  // Stored: 100 entries of the history collection, none on the deployment.
  let state = await t.state();
  expect(state.elastic.planHistory).toHaveLength(100);
  expect(state.elastic.deployments[0].resources.kibana[0].info.plan_info.history).toEqual([]);

  await t.http.patch('/_emulator/settings').send({ 'elastic.planHistoryLimit': -1 }).expect(200); // keep every attempt from now on
  for (let i = 0; i < 30; i++) await restart(0);
  expect(names(await dep(''))).toEqual([...range(0, 10), ...range(60, 150)]);
  expect(names(await dep('&force_all_plan_history=true'))).toEqual([...range(0, 10), ...range(30, 150)]);

  await t.http.patch('/_emulator/settings').send({ 'elastic.planHistoryLimit': 3 }).expect(200);
  expect((await restart(0)).status).toBe(202);
  pi = (await info(0)).body.info.plan_info;
  expect(names(pi)).toEqual([148, 149, 150]);
  state = await t.state();
  expect(state.elastic.planHistory).toHaveLength(3);
  const size = JSON.stringify(state).length;
  for (let i = 0; i < 20; i++) await restart(0);
  expect(JSON.stringify(await t.state()).length).toBeLessThanOrEqual(size + 200);
});

test('a restart writes what it changes: as many bytes after 150 restarts as after the second', async () => {
  await seedMinimal(1);
  const written: number[] = [];
  const stop = t.ctx.store.onCommit((cs) => written.push(cs.reduce((n, c) => n + JSON.stringify(c.entry ?? null).length, 0)));
  for (let i = 0; i < 150; i++) expect((await restart(0)).status).toBe(202);
  stop();
  expect(written).toHaveLength(150);
  // The second restart retires the first restart's attempt (the same size as every later one); the
  // history keeps growing to 100 kept attempts, the write does not (a few bytes for longer numbers).
  expect(written[149]!).toBeLessThan(written[1]! + 200);
  expect(written[149]!).toBeLessThan(12_000);
});

test('a restart does no work proportional to the store: no walk of any collection', async () => {
  await seedMinimal(500);
  const store = t.ctx.store;
  const scans: string[] = [];
  const list = store.list.bind(store);
  store.list = (collection: string) => {
    scans.push(collection);
    return list(collection);
  };
  for (let i = 0; i < 40; i++) expect((await restart(i % 20)).status).toBe(202);
  // Lookups by id only (the store's list is what a scan needs), whatever the number of deployments.
  expect(scans).toEqual([]);
  store.list = list;
});

test('a compact seed expands with the defaults of its seed time, whatever the settings are by then', async () => {
  await seedMinimal(1);
  await t.http.patch('/_emulator/settings').send({ 'elastic.defaultVersion': '7.17.0', 'elastic.region': 'elsewhere' }).expect(200);
  await t.advance(60_000);
  const before = (await info(0)).body;
  expect(before.info.plan_info.current.plan.kibana.version).toBe('8.15.3');
  expect(before.region).toBe('ece-region');
  expect(before.info.metadata.last_modified).toBe('2026-01-15T08:00:00.000Z');
  expect((await restart(0)).status).toBe(202);
  const after = (await info(0)).body;
  const { plan_end_time: _end, ...seeded } = before.info.plan_info.current;
  expect(after.info.plan_info.history[0]).toMatchObject(seeded);
  expect(after.info.plan_info.current.plan.kibana.version).toBe('8.15.3');
  expect(after.region).toBe('ece-region');
  expect((await t.state()).elastic.deployments[0]._emulator.defaults).toBeUndefined();
});

test('the listing of a compact deployment is the listing of its expanded form', async () => {
  await t.seed({
    elastic: {
      apiKeys: [{ key: 'bench' }],
      deployments: [
        { id: id(1), resources: { kibana: [{ ref_id: 'k' }], apm: [{ ref_id: 'a', region: 'r2' }] } },
        { id: id(2), name: 'with-es', resources: { elasticsearch: [{ ref_id: 'es-1' }], integrations_server: [{ ref_id: 'i' }] } },
      ],
    },
  });
  const listed = async () => (await call(t, 'list-deployments', 'get', '/api/v1/deployments', KEY)).body.deployments;
  const compact = await listed();
  for (const d of compact) {
    const full = (await call(t, 'get-deployment', 'get', `/api/v1/deployments/${d.id}`, KEY)).body;
    expect(d.name).toBe(full.name);
    const fromGet = Object.entries(full.resources).flatMap(([kind, rs]: [string, any]) =>
      rs.map((r: any) => ({ ref_id: r.ref_id, ...(r.elasticsearch_cluster_ref_id ? { elasticsearch_cluster_ref_id: r.elasticsearch_cluster_ref_id } : {}), id: r.id, kind, region: r.region })),
    );
    expect(d.resources).toEqual(expect.arrayContaining(fromGet));
    expect(d.resources).toHaveLength(fromGet.length);
  }
  // Expanding the deployments (a command on each) changes nothing in the listing.
  await call(t, RESTART, 'post', `/api/v1/deployments/${id(1)}/kibana/k/_restart`, KEY);
  await call(t, RESTART, 'post', `/api/v1/deployments/${id(2)}/integrations_server/i/_restart`, KEY);
  expect((await t.state()).elastic.deployments.every((d: any) => d._emulator.defaults === undefined)).toBe(true);
  expect(await listed()).toEqual(compact);
});

test('even a history limit of 0 keeps the plan a stopped resource starts from', async () => {
  await seedMinimal(1);
  await t.http.patch('/_emulator/settings').send({ 'elastic.planHistoryLimit': 0 }).expect(200);
  expect((await call(t, 'shutdown-deployment-stateless-resource', 'post', `/api/v1/deployments/${id(0)}/kibana/${ref(0)}/_shutdown`, KEY)).status).toBe(200);
  expect((await info(0)).body.info.status).toBe('stopped');
  expect((await restart(0)).status).toBe(202);
  const started = (await info(0)).body.info;
  expect(started.status).toBe('started');
  expect(started.plan_info.history).toHaveLength(1);
  expect(started.topology.instances).toHaveLength(1);
});
