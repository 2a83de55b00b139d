/** Seeds in the GET shape with defaults filled in, bad seeds refused, and the sandbox fixtures. */
import request from 'supertest';
import { DEFAULT_FIXTURES } from '../../src/config.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { DEP, GET_DEPLOYMENT, KIBANA_INFO, LIST, RESTART, call, restartPath, startElastic } from './support.js';

const ID = '0123456789abcdef0123456789abcdef';

let t: TestEmulator;
afterEach(async () => {
  await t?.close();
});

test('a resource needs only ref_id and info.status; the rest is filled in', async () => {
  t = await startTestEmulator();
  await t.seed({ elastic: { apiKeys: [{ key: 'k' }], deployments: [{ id: ID, resources: { apm: [{ ref_id: 'my-apm', info: { status: 'started' } }] } }] } });
  const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${ID}`, { Authorization: 'ApiKey k' });
  expect(res.status).toBe(200);
  expect(res.body.name).toBe('deployment-012345');
  const [es] = res.body.resources.elasticsearch;
  const [apm] = res.body.resources.apm;
  expect(es.ref_id).toBe('main-elasticsearch');
  expect(es.info.associated_apm_clusters).toEqual([{ apm_id: apm.id, enabled: true }]);
  expect(apm).toMatchObject({ ref_id: 'my-apm', elasticsearch_cluster_ref_id: 'main-elasticsearch', region: 'ece-region' });
  expect(apm.info).toMatchObject({ id: apm.id, deployment_id: ID, status: 'started', healthy: true, elasticsearch_cluster: { elasticsearch_id: es.id } });
  expect(apm.info.plan_info.current.plan).toEqual({
    cluster_topology: [{ instance_configuration_id: 'apm', size: { resource: 'memory', value: 1024 }, zone_count: 1 }],
    apm: { version: '8.15.3' },
  });
  expect(apm.info.topology.instances).toHaveLength(1);
  // The default key is an admin.
  expect((await call(t, RESTART, 'post', restartPath(ID, 'apm', 'my-apm'), { Authorization: 'ApiKey k' })).status).toBe(202);
});

test('defaults are stable: the same seed gives the same ids, and re-seeding what GET returned changes nothing', async () => {
  t = await startElastic();
  const first = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_plan_logs=true&show_plan_history=true`);
  const other = await startElastic();
  try {
    const again = await call(other, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_plan_logs=true&show_plan_history=true`);
    expect(again.body).toEqual(first.body);
  } finally {
    await other.close();
  }
  await t.seed({ elastic: { deployments: [first.body] } });
  const reseeded = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${DEP}?show_plan_logs=true&show_plan_history=true`);
  expect(reseeded.body).toEqual(first.body);
});

test('a seed can give its own plans and settings in the GET shape', async () => {
  t = await startTestEmulator();
  await t.seed({
    elastic: {
      apiKeys: [{ key: 'k' }],
      deployments: [
        {
          id: ID,
          name: 'pasted',
          resources: {
            kibana: [
              {
                ref_id: 'main-kibana',
                info: {
                  status: 'started',
                  plan_info: { current: { plan: { kibana: { version: '7.17.9' }, cluster_topology: [{ size: { resource: 'memory', value: 2048 }, zone_count: 2 }] } } },
                },
              },
            ],
          },
        },
      ],
    },
  });
  const res = await call(t, KIBANA_INFO, 'get', `/api/v1/deployments/${ID}/kibana/main-kibana`, { Authorization: 'ApiKey k' });
  expect(res.body.info.plan_info.current.plan.kibana.version).toBe('7.17.9');
  expect(res.body.info.topology.instances).toHaveLength(2);
  expect(res.body.info.topology.instances[0].service_version).toBe('7.17.9');
});

describe('bad seeds are refused whole', () => {
  const bad: Array<[string, unknown]> = [
    ['a deployment id that is not 32 hex', { deployments: [{ id: 'abc' }] }],
    ['a deployment without id', { deployments: [{ name: 'x' }] }],
    ['a resource without ref_id', { deployments: [{ id: ID, resources: { kibana: [{ info: { status: 'started' } }] } }] }],
    ['an unknown status', { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k', info: { status: 'running' } }] } }] }],
    ['an unknown resource kind', { deployments: [{ id: ID, resources: { agent: [{ ref_id: 'a' }] } }] }],
    ['an unknown role', { apiKeys: [{ key: 'k', role: 'root' }] }],
    ['a user without password', { users: [{ username: 'u' }] }],
    ['a duplicate ref_id', { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k' }, { ref_id: 'k' }] } }] }],
    ['a stateless resource pointing at no elasticsearch', { deployments: [{ id: ID, resources: { elasticsearch: [{ ref_id: 'es' }], kibana: [{ ref_id: 'k', elasticsearch_cluster_ref_id: 'other' }] } }] }],
    ['topology instances that are not a list', { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k', info: { topology: { instances: 'x' } } }] } }] }],
    ['a plan topology that is not a list', { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k', info: { plan_info: { current: { plan: { cluster_topology: 1 } } } } }] } }] }],
    ['a metadata version that is not a number', { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k', info: { metadata: { version: 'one' } } }] } }] }],
    ['emulator defaults of the wrong shape', { deployments: [{ id: ID, _emulator: { defaults: { at: 'yesterday' } }, resources: { kibana: [{ ref_id: 'k' }] } }] }],
    ['a pending plan that is not an object', { deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'k', info: { plan_info: { pending: 5 } } }] } }] }],
  ];
  test.each(bad)('%s', async (_name, part) => {
    t = await startElastic();
    const before = await t.state();
    const res = await request(t.url).post('/_emulator/seed').send({ elastic: part });
    expect(res.status).toBe(400);
    expect(await t.state()).toEqual(before);
  });
});

test('the sandbox fixtures give usable credentials and deployments', async () => {
  t = await startTestEmulator({ fixtures: DEFAULT_FIXTURES });
  const admin = { Authorization: 'ApiKey ece-sandbox-admin-key' };
  const list = await call(t, LIST, 'get', '/api/v1/deployments', admin);
  expect(list.body.deployments.length).toBeGreaterThanOrEqual(2);
  for (const d of list.body.deployments) {
    const res = await call(t, GET_DEPLOYMENT, 'get', `/api/v1/deployments/${d.id}`, admin);
    expect(res.status).toBe(200);
  }
  const viewer = await call(t, RESTART, 'post', restartPath(list.body.deployments[0].id, 'kibana', 'main-kibana'), { Authorization: 'ApiKey ece-sandbox-viewer-key' });
  expect(viewer.status).toBe(403);
  expect((await call(t, RESTART, 'post', restartPath(list.body.deployments[0].id, 'kibana', 'main-kibana'), admin)).status).toBe(202);
});

test('seeded history comes before the current attempt: attempt names follow on, and a restart continues them', async () => {
  t = await startTestEmulator();
  await t.seed({ elastic: { apiKeys: [{ key: 'k' }], deployments: [{ id: ID, resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'started', plan_info: { history: [{}, {}] } } }] } }] } });
  const path = `/api/v1/deployments/${ID}/kibana/main-kibana?show_plan_history=true`;
  const pi = (await call(t, KIBANA_INFO, 'get', path, { Authorization: 'ApiKey k' })).body.info.plan_info;
  expect(pi.history.map((h: any) => h.plan_attempt_name)).toEqual(['attempt-0000000000', 'attempt-0000000001']);
  expect(pi.current.plan_attempt_name).toBe('attempt-0000000002');
  expect((await call(t, RESTART, 'post', restartPath(ID, 'kibana', 'main-kibana'), { Authorization: 'ApiKey k' })).status).toBe(202);
  const after = (await call(t, KIBANA_INFO, 'get', path, { Authorization: 'ApiKey k' })).body.info.plan_info;
  expect(after.pending.plan_attempt_name).toBe('attempt-0000000003');
});
