/**
 * Issue 15's ECE findings, each first seen failing: the Elasticsearch `_restart` answered that
 * elasticsearch is not a stateless kind; its info GET, the instances and maintenance-mode commands
 * and GET /users/auth answered 404 root.resource_not_found; GET deployment ignored
 * show_instance_configurations, show_settings, show_metadata and show_system_alerts, and carried no
 * endpoint, service_url, ports or cloud_id; a seeded history and the kept one read as one.
 */
import type { TestEmulator } from '../support/emulator.js';
import { ADMIN, DEP, DEP2, GET_DEPLOYMENT, SUDO, call, errorCode, startElastic } from './support.js';

const ES_RESTART = 'restart-deployment-es-resource';
const ES_INFO = 'get-deployment-es-resource-info';
const AUTH_INFO = 'get-authentication-info';
const ES = '/elasticsearch/main-elasticsearch';
const dep = (rest = '', id = DEP) => `/api/v1/deployments/${id}${rest}`;

let t: TestEmulator;
beforeEach(async () => {
  t = await startElastic();
});
afterEach(async () => {
  await t.close();
});

const esInfo = async (q = '?show_plan_logs=true&show_plan_history=true', id = DEP) => (await call(t, ES_INFO, 'get', dep(`${ES}${q}`, id))).body;

describe('POST .../elasticsearch/{ref_id}/_restart (restart-deployment-es-resource)', () => {
  test('restarts an existing cluster: a forced reboot rolled by zone, 202, rebooting → started', async () => {
    const res = await call(t, ES_RESTART, 'post', dep(`${ES}/_restart`));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    let info = await esInfo();
    expect(info.info.status).toBe('rebooting');
    expect(info.info.plan_info.pending.plan.transient).toEqual({
      plan_configuration: { cluster_reboot: 'forced', skip_snapshot: true },
      strategy: { rolling: { group_by: '__zone__', shard_init_wait_time: 600 } },
    });
    expect(info.info.plan_info.pending.source.action).toBe('deployments.restart-es-resource');
    await t.advance(3000);
    info = await esInfo();
    expect(info.info.status).toBe('started');
    expect(info.info.plan_info.current.plan_attempt_log.map((s: any) => s.step_id)).toEqual(['set-maintenance', 'wait-until-stopped', 'wait-until-running', 'plan-completed']);
    expect(info.info.plan_info.history).toHaveLength(1);
    expect(info.info.snapshots.count).toBe(0);
  });

  test('skip_snapshot=false takes a snapshot first; group_attribute and shard_init_wait_time become the rolling strategy', async () => {
    await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0 }).expect(200);
    expect((await call(t, ES_RESTART, 'post', dep(`${ES}/_restart?skip_snapshot=false&group_attribute=__name__&shard_init_wait_time=30`))).status).toBe(202);
    const info = await esInfo();
    expect(info.info.plan_info.current.plan_attempt_log[0].step_id).toBe('snapshot');
    expect(info.info.plan_info.current.plan.transient.strategy.rolling).toEqual({ group_by: '__name__', shard_init_wait_time: 30 });
    expect(info.info.snapshots).toMatchObject({ count: 1, recent_success: true, latest_successful: true });
  });

  test('a stopped cluster starts from its last plan, restored from its latest snapshot unless restore_snapshot=false', async () => {
    const STOPPED = 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0';
    await t.seed({ elastic: { deployments: [{ id: STOPPED, resources: { elasticsearch: [{ ref_id: 'main-elasticsearch', info: { status: 'stopped', snapshots: { healthy: true, count: 3, recent_success: true } } }] } }] } });
    await t.http.put('/_emulator/transitions').send({ 'elastic.start': 0 }).expect(200);
    expect((await call(t, ES_RESTART, 'post', dep(`${ES}/_restart`, STOPPED))).status).toBe(202);
    let info = await esInfo('', STOPPED);
    expect(info.info.status).toBe('started');
    expect(info.info.plan_info.current.plan.transient.restore_snapshot).toEqual({ snapshot_name: '__latest_success__', source_cluster_id: info.id });
    await t.seed({ elastic: { deployments: [{ id: STOPPED, resources: { elasticsearch: [{ ref_id: 'main-elasticsearch', info: { status: 'stopped', snapshots: { healthy: true, count: 3, recent_success: true } } }] } }] } });
    expect((await call(t, ES_RESTART, 'post', dep(`${ES}/_restart?restore_snapshot=false`, STOPPED))).status).toBe(202);
    info = await esInfo('', STOPPED);
    expect(info.info.plan_info.current.plan.transient).toBeUndefined();
  });

  test('a pending plan: 422 unless cancel_pending=true; bad parameters: 400 naming the field; viewers 403, sudo 449', async () => {
    await call(t, ES_RESTART, 'post', dep(`${ES}/_restart`));
    let res = await call(t, ES_RESTART, 'post', dep(`${ES}/_restart`));
    expect([res.status, errorCode(res)]).toEqual([422, 'deployments.deployment_resource_plan_change_error']);
    res = await call(t, ES_RESTART, 'post', dep(`${ES}/_restart?cancel_pending=true`));
    expect(res.status).toBe(202);
    expect((await esInfo()).info.plan_info.history.at(-1).error.failure_type).toBe('ClusterFailure:PlanCancelled');
    for (const q of ['shard_init_wait_time=-1', 'shard_init_wait_time=2147483648', 'shard_init_wait_time=soon', 'group_attribute=', 'group_attribute=a,,b', `group_attribute=${'x'.repeat(257)}`, 'skip_snapshot=maybe']) {
      res = await call(t, ES_RESTART, 'post', dep(`${ES}/_restart?cancel_pending=true&${q}`));
      expect([q, res.status, errorCode(res), res.body.errors[0].fields]).toEqual([q, 400, 'root.malformed_query_param', [q.split('=')[0]]]);
    }
    expect((await call(t, ES_RESTART, 'post', dep(`${ES}/_restart`), { Authorization: 'ApiKey viewer-key' })).status).toBe(403);
    expect((await call(t, ES_RESTART, 'post', dep(`${ES}/_restart`), SUDO)).status).toBe(449);
    expect(errorCode(await call(t, ES_RESTART, 'post', dep('/elasticsearch/nope/_restart')))).toBe('deployments.deployment_resource_not_found');
  });
});

describe('the calls next door', () => {
  test('GET .../elasticsearch/{ref_id}: the ElasticsearchResourceInfo; an unknown ref_id 404', async () => {
    const info = await esInfo('');
    expect(info).toMatchObject({ ref_id: 'main-elasticsearch', region: 'ece-region', info: { status: 'started', healthy: true } });
    expect(info.info.elasticsearch).toMatchObject({ healthy: true, shard_info: { healthy: true }, master_info: { healthy: true } });
    const res = await call(t, ES_INFO, 'get', dep('/elasticsearch/nope'));
    expect([res.status, errorCode(res)]).toEqual([404, 'deployments.deployment_resource_not_found']);
  });

  test('instances/_stop and _start, all or by id; maintenance mode on and off; missing ids 404 unless ignore_missing; refused during a plan', async () => {
    const kib = async () => (await call(t, 'get-deployment-kib-resource-info', 'get', dep('/kibana/main-kibana'))).body.info;
    expect((await call(t, 'stop-deployment-resource-instances-all', 'post', dep('/kibana/main-kibana/instances/_stop'))).status).toBe(202);
    let info = await kib();
    expect(info.topology.instances.map((x: any) => [x.service_running, x.container_started, x.healthy])).toEqual([[false, false, false]]);
    expect([info.healthy, info.topology.healthy]).toEqual([false, false]);
    expect((await call(t, 'start-deployment-resource-instances', 'post', dep('/kibana/main-kibana/instances/instance-0000000000/_start'))).status).toBe(202);
    info = await kib();
    expect([info.healthy, info.topology.instances[0].service_running]).toEqual([true, true]);
    expect((await call(t, 'start-deployment-resource-instances-all-maintenance-mode', 'post', dep('/kibana/main-kibana/instances/maintenance-mode/_start'))).status).toBe(202);
    expect((await kib()).topology.instances[0].maintenance_mode).toBe(true);
    expect((await call(t, 'stop-deployment-resource-maintenance-mode', 'post', dep('/kibana/main-kibana/instances/instance-0000000000/maintenance-mode/_stop'))).status).toBe(202);
    expect((await kib()).topology.instances[0].maintenance_mode).toBe(false);

    let res = await call(t, 'stop-deployment-resource-instances', 'post', dep('/kibana/main-kibana/instances/instance-0000000000,instance-0000000007/_stop'));
    expect([res.status, errorCode(res), res.body.errors[0].message]).toEqual([404, 'deployments.instances_missing_on_update_error', 'Instances [instance-0000000007] of Kibana resource [main-kibana] cannot be found']);
    expect((await kib()).topology.instances[0].service_running).toBe(true);
    res = await call(t, 'stop-deployment-resource-instances', 'post', dep('/kibana/main-kibana/instances/instance-0000000000,instance-0000000007/_stop?ignore_missing=true'));
    expect(res.status).toBe(202);
    expect((await kib()).topology.instances[0].service_running).toBe(false);

    res = await call(t, 'start-deployment-resource-instances-all', 'post', dep('/kibana/kibana-a/instances/_start', DEP2));
    expect([res.status, errorCode(res)]).toEqual([403, 'deployments.instance_update_prohibited_error']);
    res = await call(t, 'stop-deployment-resource-instances-all', 'post', dep('/appsearch/main-appsearch/instances/_stop'));
    expect([res.status, errorCode(res)]).toEqual([500, 'deployments.deployment_resource_no_longer_exists']);
    res = await call(t, 'stop-deployment-resource-instances-all', 'post', dep('/kibana/main-kibana/instances/_stop'), { Authorization: 'ApiKey viewer-key' });
    expect([res.status, errorCode(res)]).toEqual([403, 'root.unauthorized.rbac']);
  });

  test('GET /users/auth: elevation and its expiry, the refresh URL, and a bearer token’s expiry', async () => {
    let res = await call(t, AUTH_INFO, 'get', '/api/v1/users/auth', ADMIN);
    expect(res.body).toEqual({ has_elevated_permissions: false, has_totp_device: false, refresh_token_url: '/api/v1/users/auth/_refresh' });
    await call(t, 'elevate-permissions', 'post', '/api/v1/users/auth/_elevate', SUDO, { token: '123456' });
    res = await call(t, AUTH_INFO, 'get', '/api/v1/users/auth', SUDO);
    expect(res.body).toMatchObject({ has_elevated_permissions: true, elevated_permissions_expire_at: '2026-01-15T08:15:00.000Z' });
    const login = await call(t, 'login', 'post', '/api/v1/users/auth/_login', {}, { username: 'admin', password: 's3cret' });
    res = await call(t, AUTH_INFO, 'get', '/api/v1/users/auth', { Authorization: `Bearer ${login.body.token}` });
    expect(res.body.expires_at).toBe(login.body.session_expiration_time);
    expect((await call(t, AUTH_INFO, 'get', '/api/v1/users/auth', {})).status).toBe(401);
  });
});

describe('GET /deployments/{id} flags and endpoint fields', () => {
  const get = async (q = '') => (await call(t, GET_DEPLOYMENT, 'get', dep(q))).body;

  test('instance configurations by default (show_instance_configurations=false leaves them out)', async () => {
    const body = await get();
    expect(body.instance_configurations.map((c: any) => c.id).sort()).toEqual(['apm', 'appsearch', 'data.default', 'enterprise.search', 'integrations.server', 'kibana']);
    expect(body.instance_configurations.find((c: any) => c.id === 'data.default')).toMatchObject({ instance_type: 'elasticsearch', discrete_sizes: { default_size: 4096, resource: 'memory' } });
    expect((await get('?show_instance_configurations=false')).instance_configurations).toBeUndefined();
  });

  test('endpoint, service_url, ports always; cloud_id on Elasticsearch; raw only with show_metadata', async () => {
    const body = await get();
    const es = body.resources.elasticsearch[0].info.metadata;
    const kib = body.resources.kibana[0];
    expect(es.endpoint).toBe(`${body.resources.elasticsearch[0].id}.127.0.0.1.ip.es.io`);
    expect(es.service_url).toBe(`https://${es.endpoint}:9243`);
    expect(es.ports).toEqual({ http: 9200, https: 9243, transport_passthrough: 9400 });
    const [name, encoded] = es.cloud_id.split(':');
    expect(name).toBe('search-prod');
    expect(Buffer.from(encoded, 'base64').toString()).toBe(`127.0.0.1.ip.es.io:9243$${body.resources.elasticsearch[0].id}$${kib.id}`);
    expect(kib.info.metadata.endpoint).toBe(`${kib.id}.127.0.0.1.ip.es.io`);
    expect(kib.info.metadata.cloud_id).toBeUndefined();
    expect(es.raw).toBeUndefined();
    expect((await get('?show_metadata=true')).resources.elasticsearch[0].info.metadata.raw).toMatchObject({ ref_id: 'main-elasticsearch', kind: 'elasticsearch' });
    await t.http.patch('/_emulator/settings').send({ 'elastic.endpointDomain': 'ece.example' }).expect(200);
    expect((await get()).resources.kibana[0].info.metadata.service_url).toBe(`https://${kib.id}.ece.example:9243`);
  });

  test('show_settings adds deployment and resource settings; show_system_alerts the newest N seeded alerts (0 or less: none)', async () => {
    expect((await get()).settings).toBeUndefined();
    const withSettings = await get('?show_settings=true');
    expect(withSettings.settings).toEqual({ autoscaling_enabled: false, auto_ops: { status: 'not_connected' } });
    expect(withSettings.resources.kibana[0].info.settings).toEqual({ metadata: { name: 'search-prod' } });
    const alerts = [1, 2, 3].map((i) => ({ timestamp: `2026-01-1${i}T00:00:00.000Z`, instance_name: 'instance-0000000000', alert_type: 'automatic_restart' }));
    await t.seed({ elastic: { deployments: [{ id: DEP, resources: { elasticsearch: [{ ref_id: 'main-elasticsearch', info: { system_alerts: alerts } }] } }] } });
    expect((await get('?show_system_alerts=2')).resources.elasticsearch[0].info.system_alerts).toEqual(alerts.slice(1));
    expect((await get('?show_system_alerts=0')).resources.elasticsearch[0].info.system_alerts).toBeUndefined();
    expect((await get()).resources.elasticsearch[0].info.system_alerts).toBeUndefined();
    const res = await call(t, GET_DEPLOYMENT, 'get', dep('?show_system_alerts=99999999999'));
    expect([res.status, errorCode(res)]).toEqual([400, 'root.malformed_query_param']);
  });

  test('a seeded inline history comes first, then the attempts kept apart, and activity finds both', async () => {
    const ID = 'd1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1';
    await t.seed({ elastic: { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k', info: { plan_info: { history: [{}, {}] } } }] } }] } });
    await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0 }).expect(200);
    for (let i = 0; i < 3; i++) await call(t, 'restart-deployment-stateless-resource', 'post', dep('/kibana/k/_restart', ID));
    const pi = (await call(t, GET_DEPLOYMENT, 'get', dep('?show_plan_history=true', ID))).body.resources.kibana[0].info.plan_info;
    expect(pi.history.map((h: any) => h.plan_attempt_name)).toEqual([0, 1, 2, 3, 4].map((n) => `attempt-000000000${n}`));
    expect(pi.current.plan_attempt_name).toBe('attempt-0000000005');
    for (const n of [0, 3]) expect((await call(t, 'get-deployment-resource-plan-activity', 'get', dep(`/kibana/k/activity/attempt-000000000${n}`, ID))).status).toBe(200);
  });
});
