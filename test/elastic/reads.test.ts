/** The calls around the restart: deployment and resource reads, plan activity, cancelling a pending plan, unknown routes. */
import type { TestEmulator } from '../support/emulator.js';
import { ACTIVITY, CANCEL, DEP, DEP2, GET_DEPLOYMENT, MISSING, NO_ROUTE, RESTART, call, errorCode, restartPath, startElastic } from './support.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startElastic();
});
afterEach(async () => {
  await t.close();
});

const INFO_OPS: Array<[string, string, string]> = [
  ['kibana', 'main-kibana', 'get-deployment-kib-resource-info'],
  ['apm', 'main-apm', 'get-deployment-apm-resource-info'],
  ['appsearch', 'main-appsearch', 'get-deployment-appsearch-resource-info'],
  ['enterprise_search', 'main-enterprise_search', 'get-deployment-enterprise-search-resource-info'],
  ['integrations_server', 'main-integrations_server', 'get-deployment-integrations-server-resource-info'],
];

describe('GET /deployments/{id}', () => {
  test('all six resource arrays, health as the AND of the resources', async () => {
    const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP2}`);
    expect(Object.keys(res.body.resources).sort()).toEqual(['apm', 'appsearch', 'elasticsearch', 'enterprise_search', 'integrations_server', 'kibana']);
    expect(res.body.resources.apm).toEqual([]);
    expect(res.body.healthy).toBe(false); // kibana-a is reconfiguring
    expect(res.headers['x-cloud-resource-created']).toBe('2026-01-15T08:00:00.000Z');
  });

  test('show_plans=false leaves out current and pending plans', async () => {
    const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP2}?show_plans=false`);
    const pi = res.body.resources.kibana[0].info.plan_info;
    expect(pi).toEqual({ healthy: true, history: [] });
  });

  test('show_plan_logs and show_plan_history fill what is otherwise empty', async () => {
    await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
    await t.advance(3000);
    const bare = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}`);
    const k = bare.body.resources.kibana[0].info.plan_info;
    expect(k.history).toEqual([]);
    expect(k.current.plan_attempt_log).toEqual([]);
    const full = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_plan_logs=true&show_plan_history=true`);
    const f = full.body.resources.kibana[0].info.plan_info;
    expect(f.history).toHaveLength(1);
    expect(f.current.plan_attempt_log.length).toBeGreaterThan(0);
    expect(f.history[0].plan_attempt_log.length).toBeGreaterThan(0);
  });

  test('clear_transient removes the transient section of plans', async () => {
    await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'));
    const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?clear_transient=true`);
    expect(res.body.resources.kibana[0].info.plan_info.pending.plan.transient).toBeUndefined();
  });

  test('unknown deployment → 404 deployments.deployment_not_found; bad flags → 400', async () => {
    const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${MISSING}`);
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe('deployments.deployment_not_found');
    const bad = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_plans=maybe`);
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('root.malformed_query_param');
    const badInt = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_system_alerts=two`);
    expect(badInt.status).toBe(400);
    expect(badInt.body.errors[0].message).toBe("The value for show_system_alerts was malformed. 'two' is not a valid Integer value");
    expect((await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_system_alerts=3&show_security=true`)).status).toBe(200);
  });
});

describe('kind-specific resource info', () => {
  test.each(INFO_OPS.filter(([k]) => k !== 'appsearch'))('%s', async (kind, ref, op) => {
    const res = await call(t, op, 'get', `/api/v1/deployments/${DEP}/${kind}/${ref}?show_plan_logs=true`);
    expect(res.status).toBe(200);
    expect(res.body.ref_id).toBe(ref);
    expect(res.body.elasticsearch_cluster_ref_id).toBe('main-elasticsearch');
    expect(res.body.id).toMatch(/^[0-9a-f]{32}$/);
    const viaMain = await call(t, op, 'get', `/api/v1/deployments/${DEP}/${kind}/_main`);
    expect(viaMain.body.id).toBe(res.body.id);
  });

  test('kibana names itself cluster_id/cluster_name, the others id/name', async () => {
    const kib = await call(t, 'get-deployment-kib-resource-info', 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana`);
    expect(kib.body.info.cluster_name).toBe('search-prod');
    const apm = await call(t, 'get-deployment-apm-resource-info', 'get', `/api/v1/deployments/${DEP}/apm/main-apm`);
    expect(apm.body.info.name).toBe('search-prod');
    expect(apm.body.info.cluster_name).toBeUndefined();
  });

  test('a gone resource → 500; unknown deployment and ref_id → 404', async () => {
    const gone = await call(t, 'get-deployment-appsearch-resource-info', 'get', `/api/v1/deployments/${DEP}/appsearch/main-appsearch`);
    expect(gone.status).toBe(500);
    expect(errorCode(gone)).toBe('deployments.deployment_resource_no_longer_exists');
    const noDep = await call(t, 'get-deployment-apm-resource-info', 'get', `/api/v1/deployments/${MISSING}/apm/main-apm`);
    expect(errorCode(noDep)).toBe('deployments.deployment_not_found');
    const noRef = await call(t, 'get-deployment-apm-resource-info', 'get', `/api/v1/deployments/${DEP}/apm/other`);
    expect(noRef.status).toBe(404);
    expect(errorCode(noRef)).toBe('deployments.deployment_resource_not_found');
  });
});

describe('plan activity', () => {
  test('by attempt id, for any resource kind including elasticsearch', async () => {
    const d = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}`);
    const es = d.body.resources.elasticsearch[0].info.plan_info.current;
    const res = await call(t, ACTIVITY, 'get', `/api/v1/deployments/${DEP}/elasticsearch/main-elasticsearch/activity/${es.plan_attempt_id}`);
    expect(res.status).toBe(200);
    expect(res.body.plan_attempt_id).toBe(es.plan_attempt_id);
    expect(res.body.plan_attempt_log.at(-1).step_id).toBe('plan-completed');
  });

  test('a pending attempt shows its log so far', async () => {
    await call(t, RESTART, 'post', restartPath(DEP, 'apm', 'main-apm'));
    const d = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}`);
    const pending = d.body.resources.apm[0].info.plan_info.pending;
    const res = await call(t, ACTIVITY, 'get', `/api/v1/deployments/${DEP}/apm/main-apm/activity/${pending.plan_attempt_id}`);
    expect(res.body.plan_attempt_log.map((s: any) => s.step_id)).toEqual(['set-maintenance']);
    expect(res.body.attempt_end_time).toBeUndefined();
  });

  test('404s: deployment, ref_id, attempt; an unknown kind is no route', async () => {
    expect(errorCode(await call(t, ACTIVITY, 'get', `/api/v1/deployments/${MISSING}/kibana/main-kibana/activity/x`))).toBe('deployments.deployment_not_found');
    expect(errorCode(await call(t, ACTIVITY, 'get', `/api/v1/deployments/${DEP}/kibana/nope/activity/x`))).toBe('deployments.deployment_resource_not_found');
    const attempt = await call(t, ACTIVITY, 'get', `/api/v1/deployments/${DEP}/kibana/main-kibana/activity/no-such-attempt`);
    expect(attempt.status).toBe(404);
    expect(attempt.body.errors[0].message).toContain('no-such-attempt');
    expect(errorCode(await call(t, NO_ROUTE, 'get', `/api/v1/deployments/${DEP}/agent/main-agent/activity/x`))).toBe('root.resource_not_found');
  });
});

describe('DELETE .../plan/pending', () => {
  const path = (dep: string, kind: string, ref: string, q = '') => `/api/v1/deployments/${dep}/${kind}/${ref}/plan/pending${q}`;

  test('no pending plan → 400 deployments.resource_does_not_have_a_pending_plan; ignore_missing=true → 200', async () => {
    const res = await call(t, CANCEL, 'delete', path(DEP, 'kibana', 'main-kibana'));
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('deployments.resource_does_not_have_a_pending_plan');
    const ok = await call(t, CANCEL, 'delete', path(DEP, 'kibana', '_main', '?ignore_missing=true'));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ id: DEP, kind: 'kibana', ref_id: 'main-kibana' });
  });

  test('graceful cancellation keeps the attempt in history; force_delete drops it', async () => {
    const graceful = await call(t, CANCEL, 'delete', path(DEP2, 'kibana', 'kibana-a'));
    expect(graceful.status).toBe(200);
    let info = (await call(t, 'get-deployment-kib-resource-info', 'get', `/api/v1/deployments/${DEP2}/kibana/kibana-a?show_plan_history=true`)).body.info;
    expect(info.plan_info.pending).toBeUndefined();
    expect(info.plan_info.history).toHaveLength(1);
    expect(info.plan_info.history[0].error.message).toContain('cancelled');

    await call(t, RESTART, 'post', restartPath(DEP2, 'kibana', 'kibana-a'));
    const forced = await call(t, CANCEL, 'delete', path(DEP2, 'kibana', 'kibana-a', '?force_delete=true'));
    expect(forced.status).toBe(200);
    info = (await call(t, 'get-deployment-kib-resource-info', 'get', `/api/v1/deployments/${DEP2}/kibana/kibana-a?show_plan_history=true`)).body.info;
    expect(info.plan_info.pending).toBeUndefined();
    expect(info.plan_info.history).toHaveLength(1);
    expect(info.status).toBe('started');
    expect(info.healthy).toBe(true);
  });

  test('a cancelled start leaves the resource stopped', async () => {
    await call(t, RESTART, 'post', restartPath(DEP, 'integrations_server', 'main-integrations_server'));
    await call(t, CANCEL, 'delete', path(DEP, 'integrations_server', 'main-integrations_server'));
    const info = (await call(t, 'get-deployment-integrations-server-resource-info', 'get', `/api/v1/deployments/${DEP}/integrations_server/main-integrations_server`)).body.info;
    expect(info.status).toBe('stopped');
    expect(info.topology.instances).toEqual([]);
  });

  test('errors: unknown deployment, unknown ref, gone, bad flag', async () => {
    expect(errorCode(await call(t, CANCEL, 'delete', path(MISSING, 'kibana', 'main-kibana')))).toBe('deployments.deployment_not_found');
    expect(errorCode(await call(t, CANCEL, 'delete', path(DEP, 'kibana', 'nope')))).toBe('deployments.deployment_resource_not_found');
    const gone = await call(t, CANCEL, 'delete', path(DEP, 'appsearch', 'main-appsearch'));
    expect(gone.status).toBe(500);
    expect(errorCode(gone)).toBe('deployments.deployment_resource_no_longer_exists');
    expect((await call(t, CANCEL, 'delete', path(DEP2, 'kibana', 'kibana-a', '?force_delete=please'))).status).toBe(400);
  });
});

describe('routes', () => {
  test.each([
    ['get', '/api/v1/nothing-here'],
    ['get', '/api/v1'],
    ['get', '/api'],
    ['post', `/api/v1/deployments/${DEP}`],
    ['delete', `/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`],
    ['get', `/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`],
    ['get', '/api/v2/deployments'],
    ['get', '/api/v1/deployments/%E0%A4%A'],
  ])('%s %s → 404 root.resource_not_found, with or without credentials', async (method, path) => {
    for (const headers of [{}, { Authorization: 'ApiKey admin-key' }] as Array<Record<string, string>>) {
      const res = await call(t, NO_ROUTE, method as 'get', path, headers);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ code: 'root.resource_not_found', message: expect.stringMatching(/^The requested resource could not be found( \(cloud-api-emulator does not emulate .+\))?$/) }] });
    }
  });

  test('a body over the limit → 413 in the ECE envelope', async () => {
    const big = JSON.stringify({ username: 'a', password: 'x'.repeat(2 * 1024 * 1024) });
    const res = await call(t, NO_ROUTE, 'post', '/api/v1/users/auth/_login', {}, big);
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe('root.request_entity_too_large');
  });

  test('paths outside /api are left to the other providers', async () => {
    const res = await t.http.get('/apix/v1/deployments');
    expect(res.headers['x-cloud-error-codes']).toBeUndefined();
  });
});

test('a seeded pending plan with a sparse log can still be cancelled', async () => {
  const id = 'e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0';
  await t.seed({ elastic: { deployments: [{ id, resources: { kibana: [{ ref_id: 'k', info: { status: 'rebooting', plan_info: { pending: { plan_attempt_log: [{ step_id: 'wait-until-running', stage: 'in_progress' }] } } } }] } }] } });
  const seeded = await call(t, 'get-deployment-kib-resource-info', 'get', `/api/v1/deployments/${id}/kibana/k?show_plan_logs=true`);
  expect(seeded.body.info.plan_info.pending.plan_attempt_log[0]).toMatchObject({ step_id: 'wait-until-running', status: 'pending', info_log: [] });
  const res = await call(t, CANCEL, 'delete', `/api/v1/deployments/${id}/kibana/k/plan/pending`);
  expect(res.status).toBe(200);
  const info = (await call(t, 'get-deployment-kib-resource-info', 'get', `/api/v1/deployments/${id}/kibana/k?show_plan_history=true&show_plan_logs=true`)).body.info;
  expect(info.plan_info.history[0].plan_attempt_log.map((s: any) => [s.step_id, s.status])).toEqual([['wait-until-running', 'error'], ['plan-completed', 'error']]);
  expect(info.status).toBe('started');
});
