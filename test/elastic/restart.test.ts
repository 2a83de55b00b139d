/** Every answer of the stateless restart, and the lifecycles it starts (active, inactive, failing). */
import type { TestEmulator } from '../support/emulator.js';
import { DEP, DEP2, GET_DEPLOYMENT, KIBANA_INFO, MISSING, RESTART, SHUTDOWN, call, errorCode, restartPath, startElastic } from './support.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startElastic();
});
afterEach(async () => {
  await t.close();
});

const resource = async (kind: string, ref: string, dep = DEP) => {
  const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${dep}?show_plan_logs=true&show_plan_history=true`);
  return res.body.resources[kind].find((r: any) => r.ref_id === ref);
};

describe('errors, each leaving the state as it was', () => {
  let before: Record<string, any>;
  beforeEach(async () => {
    before = await t.state();
  });
  afterEach(async () => {
    expect(await t.state()).toEqual(before);
  });

  test('unknown deployment → 404 deployments.deployment_not_found', async () => {
    const res = await call(t, RESTART, 'post', restartPath(MISSING, 'kibana', 'main-kibana'));
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('deployments.deployment_not_found');
    expect(res.body.errors[0].message).toContain(MISSING);
  });

  test('unknown ref_id → 404 deployments.deployment_resource_not_found', async () => {
    const res = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'other-kibana'));
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('deployments.deployment_resource_not_found');
    expect(res.body.errors[0].message).toBe('Kibana resource [other-kibana] cannot be found');
  });

  test.each(['elasticsearch', 'agent', 'KIBANA'])('kind %s is not a stateless kind → 404 deployments.deployment_resource_not_found', async (kind) => {
    const res = await call(t, RESTART, 'post', restartPath(DEP, kind, 'main-kibana'));
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('deployments.deployment_resource_not_found');
  });

  test('with elastic.unknownKindError=route_not_found a bad kind is no route at all', async () => {
    await t.http.patch('/_emulator/settings').send({ 'elastic.unknownKindError': 'route_not_found' }).expect(200);
    const res = await call(t, 'common-errors', 'post', restartPath(DEP, 'agent', 'main-agent'));
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('root.resource_not_found');
  });

  test.each(['yes', '1', '', 'TRUE!'])('cancel_pending=%s → 400 root.malformed_query_param', async (value) => {
    const res = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', `?cancel_pending=${encodeURIComponent(value)}`));
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({
      code: 'root.malformed_query_param',
      message: `The value for cancel_pending was malformed. '${value.toLowerCase()}' is not a valid Boolean value`,
      fields: ['cancel_pending'],
    });
  });

  test('a seeded pending plan → 422 deployments.deployment_resource_plan_change_error', async () => {
    const res = await call(t, RESTART, 'post', restartPath(DEP2, 'kibana', 'kibana-a'));
    expect(res.status).toBe(422);
    expect(errorCode(res)).toBe('deployments.deployment_resource_plan_change_error');
  });

  test('a resource that is gone → 500 deployments.deployment_resource_no_longer_exists', async () => {
    const res = await call(t, RESTART, 'post', restartPath(DEP, 'appsearch', 'main-appsearch', '?cancel_pending=true'));
    expect(res.status).toBe(500);
    expect(errorCode(res)).toBe('deployments.deployment_resource_no_longer_exists');
  });

  test('_main with several resources of the kind → 404', async () => {
    const res = await call(t, RESTART, 'post', restartPath(DEP2, 'kibana', '_main'));
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('deployments.deployment_resource_not_found');
  });

  // Injected faults are the user's own, outside the spec's enums: checked as gateway errors.
  test('an injected fault answers in the ECE envelope', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'elastic', operation: RESTART, resourceId: DEP, count: 1 }).expect(201);
    const res = await call(t, 'common-errors', 'post', restartPath(DEP, 'kibana', 'main-kibana'));
    expect(res.status).toBe(500);
    expect(errorCode(res)).toBe('root.unexpected_error');
    await t.http.post('/_emulator/faults').send({ provider: 'elastic', operation: RESTART, httpStatus: 503, code: 'root.service_unavailable', message: 'try later', count: 1 }).expect(201);
    const custom = await call(t, 'common-errors', 'post', restartPath(DEP, 'kibana', 'main-kibana'));
    expect(custom.status).toBe(503);
    expect(custom.body.errors[0]).toEqual({ code: 'root.service_unavailable', message: 'try later' });
  });
});

test('cancel_pending=true cancels a seeded pending plan into history, then restarts', async () => {
  const seeded = (await resource('kibana', 'kibana-a', DEP2)).info.plan_info.pending.plan_attempt_id;
  const res = await call(t, RESTART, 'post', restartPath(DEP2, 'kibana', 'kibana-a', '?cancel_pending=true'));
  expect(res.status).toBe(202);
  const r = await resource('kibana', 'kibana-a', DEP2);
  expect(r.info.plan_info.history.at(-1)).toMatchObject({ plan_attempt_id: seeded, healthy: false });
  expect(r.info.plan_info.history.at(-1).plan_attempt_log.at(-1)).toMatchObject({ step_id: 'plan-completed', status: 'error' });
  expect(r.info.plan_info.pending.plan.transient.plan_configuration.cluster_reboot).toBe('forced');
  expect(r.info.status).toBe('rebooting');
});

test('_main resolves the only resource of a kind', async () => {
  expect((await call(t, RESTART, 'post', restartPath(DEP, 'apm', '_main'))).status).toBe(202);
  expect((await resource('apm', 'main-apm')).info.status).toBe('rebooting');
});

test('every stateless kind can be restarted', async () => {
  for (const [kind, ref] of [['kibana', 'main-kibana'], ['apm', 'main-apm'], ['enterprise_search', 'main-enterprise_search'], ['integrations_server', 'main-integrations_server']]) {
    expect((await call(t, RESTART, 'post', restartPath(DEP, kind!, ref!))).status).toBe(202);
  }
});

test('an inactive (stopped) resource starts with its most recent successful plan: initializing → started', async () => {
  const stopped = await resource('integrations_server', 'main-integrations_server');
  expect(stopped.info.status).toBe('stopped');
  expect(stopped.info.topology.instances).toEqual([]);
  expect((await call(t, RESTART, 'post', restartPath(DEP, 'integrations_server', 'main-integrations_server'))).status).toBe(202);
  const starting = await resource('integrations_server', 'main-integrations_server');
  expect(starting.info.status).toBe('initializing');
  expect(starting.info.healthy).toBe(false);
  expect(starting.info.plan_info.pending.plan).toEqual(stopped.info.plan_info.current.plan);
  expect(starting.info.plan_info.pending.plan.transient).toBeUndefined();
  await t.advance(2999);
  expect((await resource('integrations_server', 'main-integrations_server')).info.status).toBe('initializing');
  await t.advance(1);
  const started = await resource('integrations_server', 'main-integrations_server');
  expect(started.info.status).toBe('started');
  expect(started.info.healthy).toBe(true);
  expect(started.info.topology.instances).toHaveLength(1);
});

test('_shutdown → stopping → stopped, then _restart starts it again from the plan before the shutdown', async () => {
  const path = `/api/v1/deployments/${DEP}/kibana/main-kibana/_shutdown`;
  const original = (await resource('kibana', 'main-kibana')).info.plan_info.current.plan;
  const res = await call(t, SHUTDOWN, 'post', path);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({});
  expect((await resource('kibana', 'main-kibana')).info.status).toBe('stopping');
  expect((await call(t, SHUTDOWN, 'post', path)).status).toBe(422);
  await t.advance(2000);
  const stopped = await resource('kibana', 'main-kibana');
  expect(stopped.info.status).toBe('stopped');
  expect(stopped.info.topology.instances).toEqual([]);
  expect(stopped.info.plan_info.current.plan.cluster_topology[0].size.value).toBe(0);
  expect((await call(t, SHUTDOWN, 'post', path)).status).toBe(200); // already stopped: nothing to do

  expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'))).status).toBe(202);
  const starting = await resource('kibana', 'main-kibana');
  expect(starting.info.status).toBe('initializing');
  expect(starting.info.plan_info.pending.plan).toEqual(original);
  await t.advance(3000);
  const started = await resource('kibana', 'main-kibana');
  expect(started.info.status).toBe('started');
  expect(started.info.plan_info.history).toHaveLength(2);
});

test('failNextPlan: the attempt ends with plan-completed in error, plan_info unhealthy; the next one succeeds', async () => {
  expect((await call(t, RESTART, 'post', restartPath(DEP, 'enterprise_search', 'main-enterprise_search'))).status).toBe(202);
  await t.advance(3000);
  const failed = await resource('enterprise_search', 'main-enterprise_search');
  expect(failed.info.plan_info.pending).toBeUndefined();
  expect(failed.info.plan_info.healthy).toBe(false);
  expect(failed.info.healthy).toBe(false);
  expect(failed.info.plan_info.current.healthy).toBe(false);
  expect(failed.info.plan_info.current.error.message).toContain('wait-until-running');
  expect(failed.info.plan_info.current.plan_attempt_log.at(-1)).toMatchObject({ step_id: 'plan-completed', status: 'error', stage: 'completed' });
  const deployment = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}`);
  expect(deployment.body.healthy).toBe(false);

  expect((await call(t, RESTART, 'post', restartPath(DEP, 'enterprise_search', 'main-enterprise_search'))).status).toBe(202);
  await t.advance(3000);
  const ok = await resource('enterprise_search', 'main-enterprise_search');
  expect(ok.info.plan_info.healthy).toBe(true);
  expect(ok.info.healthy).toBe(true);
  expect(ok.info.plan_info.current.plan_attempt_log.at(-1)).toMatchObject({ step_id: 'plan-completed', status: 'success' });
});

test('durations are per transition; null keeps the plan pending forever', async () => {
  await t.http.put('/_emulator/transitions').send({ 'elastic.restart': null, 'elastic.start': 500 }).expect(200);
  await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
  await call(t, RESTART, 'post', restartPath(DEP, 'integrations_server', 'main-integrations_server'));
  await t.advance(500);
  expect((await resource('integrations_server', 'main-integrations_server')).info.status).toBe('started');
  await t.advance(24 * 60 * 60 * 1000);
  expect((await resource('kibana', 'main-kibana')).info.status).toBe('rebooting');
});

test('plans of two resources of one deployment run side by side, each on its own schedule', async () => {
  await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 4000, 'elastic.start': 1000 }).expect(200);
  await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
  await call(t, RESTART, 'post', restartPath(DEP, 'integrations_server', 'main-integrations_server'));
  await t.advance(1000);
  expect((await resource('integrations_server', 'main-integrations_server')).info.status).toBe('started');
  expect((await resource('kibana', 'main-kibana')).info.status).toBe('rebooting');
  await t.advance(3000);
  expect((await resource('kibana', 'main-kibana')).info.status).toBe('started');
});

test('a cancelled plan never completes later', async () => {
  await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
  await call(t, 'cancel-deployment-resource-pending-plan', 'delete', `/api/v1/deployments/${DEP}/kibana/main-kibana/plan/pending`);
  await t.advance(10_000);
  const r = await call(t, KIBANA_INFO, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana?show_plan_history=true`);
  expect(r.body.info.status).toBe('started');
  expect(r.body.info.plan_info.current.plan.transient).toBeUndefined();
  expect(r.body.info.plan_info.history).toHaveLength(1);
});

test('a stopped resource with no successful plan to start from → 422', async () => {
  await t.seed({
    elastic: {
      deployments: [{ id: 'c0ffee00c0ffee00c0ffee00c0ffee00', resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'stopped', plan_info: { current: { healthy: false } } } }] } }],
    },
  });
  const before = await t.state();
  const res = await call(t, RESTART, 'post', restartPath('c0ffee00c0ffee00c0ffee00c0ffee00', 'kibana', 'main-kibana'));
  expect(res.status).toBe(422);
  expect(errorCode(res)).toBe('deployments.deployment_resource_plan_change_error');
  expect(res.body.errors[0].message).toContain('no successful plan');
  expect(await t.state()).toEqual(before);
});

test('cancel_pending=true on a stopped resource with a seeded pending plan starts it (initializing)', async () => {
  const id = 'd00dd00dd00dd00dd00dd00dd00dd00d';
  await t.seed({ elastic: { deployments: [{ id, resources: { apm: [{ ref_id: 'main-apm', info: { status: 'stopped', plan_info: { pending: {} } } }] } }] } });
  expect((await call(t, RESTART, 'post', restartPath(id, 'apm', 'main-apm'))).status).toBe(422);
  expect((await call(t, RESTART, 'post', restartPath(id, 'apm', 'main-apm', '?cancel_pending=true'))).status).toBe(202);
  const apm = await resource('apm', 'main-apm', id);
  expect(apm.info.status).toBe('initializing');
  expect(apm.info.plan_info.history).toHaveLength(1);
});

test('elastic.restartStatus chooses what an active resource shows while it restarts', async () => {
  await t.http.patch('/_emulator/settings').send({ 'elastic.restartStatus': 'restarting' }).expect(200);
  expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'))).status).toBe(202);
  const during = await resource('kibana', 'main-kibana');
  expect(during.info.status).toBe('restarting');
  expect(during.info.healthy).toBe(false);
  await t.advance(3000);
  expect((await resource('kibana', 'main-kibana')).info.status).toBe('started');
  // A stopped resource still goes through initializing.
  expect((await call(t, RESTART, 'post', restartPath(DEP, 'integrations_server', 'main-integrations_server'))).status).toBe(202);
  expect((await resource('integrations_server', 'main-integrations_server')).info.status).toBe('initializing');
});
