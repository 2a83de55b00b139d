/**
 * GET /_emulator/resources and /resources/{provider}/{id}: each provider's resources with their
 * provider-native id, status and next transition step, and the public view exactly as the
 * provider's own describe/get call answers it (compared here with that call, through HTTP).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { EmulatorClient, EmulatorClientError } from '../../src/client.js';
import type { ProviderProtocol } from '../../src/core/pipeline/protocol.js';
import type { ProviderModule } from '../../src/providers/provider.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { widgetsProvider, WIDGETS } from '../support/widgets-provider.js';
import { ACCESS_KEYS, ENS_VERSION, GROUP, group, queryString, signRpc } from '../support/worlds/alibaba.js';
import { ADMIN, DEP, seed as elasticSeed } from '../support/worlds/elastic.js';
import { huaweiWorld, instance, TOKEN } from '../support/worlds/huawei.js';

const ENS_ID = 'i-dashboard0000000000000001';
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
  await t.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP)] }, ens: { instances: [{ InstanceId: ENS_ID, InstanceName: 'edge-1', Status: 'Running', EnsRegionId: 'cn-hangzhou-telecom' }] } } });
  await t.seed(huaweiWorld([instance('phone-1'), instance('phone-2', { instance_name: 'second' })]));
  await t.seed(elasticSeed());
});
afterAll(() => t.close());

const rpc = (action: string, api: Record<string, string>, version?: string) => t.http.get(`/?${queryString(signRpc('GET', action, api, { version }))}`).expect(200);

test('every provider\'s resources, in provider order, each with its kind, service, id, status and region', async () => {
  const page = (await t.http.get('/_emulator/resources').expect(200)).body;
  expect(page).toMatchObject({ now: '2026-01-15T08:00:00.000Z', offset: 0, limit: 500 });
  const rows = page.resources.map((r: any) => [r.provider, r.service, r.kind, r.id, r.status]);
  expect(rows).toEqual(expect.arrayContaining([
    ['alibaba', 'eci', 'containerGroup', GROUP, 'Running'],
    ['alibaba', 'ens', 'instance', ENS_ID, 'Running'],
    ['huawei', 'koophone', 'phone-instance', 'phone-1', 2],
    ['huawei', 'koophone', 'phone-instance', 'phone-2', 2],
  ]));
  // ECE has no deployment status word: its resources' info.status, each named when they differ.
  expect(page.resources.find((r: any) => r.id === DEP).status).toBe('elasticsearch main-elasticsearch: started, kibana main-kibana: started, apm main-apm: started, appsearch main-appsearch: started, enterprise_search main-enterprise_search: started, integrations_server main-integrations_server: stopped');
  expect(page.total).toBe(page.resources.length);
  expect([...new Set(page.resources.map((r: any) => r.provider))]).toEqual(['elastic', 'huawei', 'alibaba']);
  expect(page.resources.find((r: any) => r.id === 'phone-2')).toMatchObject({ name: 'second', region: 'cn-north-4' });
  expect(page.resources.find((r: any) => r.id === ENS_ID)).toMatchObject({ name: 'edge-1', region: 'cn-hangzhou-telecom' });
  // Secrets are state, not resources: no token, key or user is listed.
  expect(JSON.stringify(page)).not.toContain(TOKEN);
});

test('the view is what the provider\'s describe call answers: ECI, ENS, ECE and KooPhone', async () => {
  const client = new EmulatorClient(t.url);
  const eci = (await rpc('DescribeContainerGroups', { RegionId: 'cn-hangzhou', ContainerGroupIds: JSON.stringify([GROUP]) })).body;
  expect((await client.resource('alibaba', GROUP)).view).toEqual(eci.ContainerGroups[0]);
  const ens = (await rpc('DescribeInstances', { InstanceIds: JSON.stringify([ENS_ID]) }, ENS_VERSION)).body;
  expect((await client.resource('alibaba', ENS_ID)).view).toEqual(ens.Instances.Instance[0]);
  const ece = (await t.http.get(`/api/v1/deployments/${DEP}`).set(ADMIN).expect(200)).body;
  expect((await client.resource('elastic', DEP)).view).toEqual(ece);
  const phones = (await t.http.get('/v1/instances/batch-query?x-request-id=r1&page_no=1&page_size=10').set('X-Auth-Token', TOKEN).expect(200)).body;
  const listed = (await client.resources({ provider: 'huawei' })).resources;
  expect(listed.map((r) => r.view)).toEqual(phones.data.result);
});

test('next: the earliest pending step, which moves as the clock does (KooPhone reboot 2 -> 4 -> 2)', async () => {
  const client = new EmulatorClient(t.url);
  expect((await client.resource('huawei', 'phone-1')).next).toBeUndefined();
  await t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'r2').send({ instance_ids: ['phone-1'] }).expect(200);
  const rebooting = await client.resource('huawei', 'phone-1');
  expect(rebooting.status).toBe(4);
  const [pending] = await client.pending({ resource: 'phone-1' });
  expect(rebooting.next).toEqual({ transition: pending!.transition, due: pending!.due, dueAt: pending!.dueAt, ...(pending!.to ? { to: pending!.to } : {}) });
  expect(rebooting.next!.dueAt).toBe(Date.parse('2026-01-15T08:00:02.000Z'));
  await t.advance(2000);
  const back = await client.resource('huawei', 'phone-1');
  expect(back.status).toBe(2);
  expect(back.next).toBeUndefined();
});

test('a stuck transition shows a next step with no due time', async () => {
  await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance', transition: 'stuck', count: 1 }).expect(201);
  await t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'r2').send({ instance_ids: ['phone-2'] }).expect(200);
  const stuck = (await t.http.get('/_emulator/resources/huawei/phone-2').expect(200)).body;
  expect(stuck.next).toMatchObject({ due: null, dueAt: null });
  await t.http.delete('/_emulator/faults').expect(200);
});

test('one resource that is not there, or of a provider that is not: 404 in the control plane\'s error shape', async () => {
  const missing = await t.http.get('/_emulator/resources/huawei/no-such-phone').expect(404);
  expect(missing.body).toEqual({ errors: [{ message: 'no huawei resource "no-such-phone"' }] });
  // A secret's id is not a resource: a token is not found by the route.
  await t.http.get(`/_emulator/resources/huawei/${TOKEN}`).expect(404);
  expect((await t.http.get('/_emulator/resources/nobody/x').expect(404)).body.errors[0].message).toContain('no provider "nobody"');
  await expect(new EmulatorClient(t.url).resource('alibaba', 'eci-none')).rejects.toBeInstanceOf(EmulatorClientError);
});

test('bad paging and filters are 400s naming the range', async () => {
  for (const q of ['limit=0', 'limit=5001', 'limit=ten', 'offset=-1', 'offset=1000000001', 'limit=1&limit=2', 'provider=nobody', 'resource=x']) {
    const res = await t.http.get(`/_emulator/resources?${q}`).expect(400);
    expect(res.body.errors[0].message).toEqual(expect.any(String));
  }
  expect((await t.http.get('/_emulator/resources?limit=5001').expect(400)).body.errors[0].message).toBe('"limit" must be a whole number from 1 to 5000');
});

/** The widgets provider with a resource type that counts its describe calls. */
function countingWidgets(): { module: ProviderModule; described: () => number } {
  let n = 0;
  const module: ProviderModule = {
    ...widgetsProvider,
    protocol: (ctx) => {
      const base = widgetsProvider.protocol(ctx) as ProviderProtocol;
      return Object.assign(Object.create(Object.getPrototypeOf(base)), base, {
        resources: [{ collection: WIDGETS, kind: 'widget', service: 'widgets', describe: (e: any) => (n++, { status: e.status, view: { id: e.id, status: e.status } }) }],
      });
    },
  };
  return { module, described: () => n };
}

test('a page describes only its own resources: 12,000 held, 500 rendered by default, at most 5000', async () => {
  const { module, described } = countingWidgets();
  const items = Array.from({ length: 12_000 }, (_, i) => ({ id: `w${String(i).padStart(5, '0')}` }));
  const w = await startTestEmulator({ providers: [module], fixtures: { widgets: { items } } });
  try {
    const first = (await w.http.get('/_emulator/resources').expect(200)).body;
    expect(first.total).toBe(12_000);
    expect(first.resources).toHaveLength(500);
    expect(described()).toBe(500);
    const last = (await w.http.get('/_emulator/resources?offset=11990&limit=5000').expect(200)).body;
    expect(last.resources.map((r: any) => r.id)).toEqual(items.slice(11_990).map((i) => i.id));
    expect(described()).toBe(510);
    const big = (await w.http.get('/_emulator/resources?offset=1000&limit=5000&provider=widgets').expect(200)).body;
    expect(big.resources[0]).toEqual({ provider: 'widgets', service: 'widgets', kind: 'widget', id: 'w01000', status: 'running', view: { id: 'w01000', status: 'running' } });
    expect(described()).toBe(5510);
    expect((await w.http.get('/_emulator/resources?offset=20000').expect(200)).body).toMatchObject({ total: 12_000, resources: [] });
    expect(described()).toBe(5510);
  } finally {
    await w.close();
  }
});
