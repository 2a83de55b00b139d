/** DescribeContainerGroups / DescribeContainerGroupStatus through the generated SDK (its models must accept every shape), and seed defaults. */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { ACCESS_KEYS, coreCall, EciModels, eciSdk, expectSchema, failure, group, GROUP, popCall, startEci } from './support.js';
import { startTestEmulator } from '../../support/emulator.js';

const REGION = 'cn-hangzhou';
let t: TestEmulator;

const ids = (n: number) => Array.from({ length: n }, (_, i) => `eci-page${String(i).padStart(12, '0')}`);

beforeEach(async () => {
  t = await startEci({
    containerGroups: [
      group(GROUP, { CreationTime: '2024-01-01T00:00:00Z' }),
      group('eci-2zelg8vwnlzdhf8hv0002', { CreationTime: '2024-01-02T00:00:00Z', Status: 'Succeeded', Tags: [{ Key: 'env', Value: 'prod' }], ContainerGroupName: 'web' }),
      ...ids(25).map((id, i) => group(id, { CreationTime: `2024-02-01T00:00:${String(i).padStart(2, '0')}Z`, Tags: [{ Key: 'batch', Value: 'yes' }] })),
    ],
  });
});
afterEach(() => t.close());

const describeVia = (q: Record<string, string | number | boolean>) => coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, ...q });

test('the SDK model takes the whole group (arrays stay arrays) and the body matches the schema', async () => {
  const res = await eciSdk(t.url).describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: REGION, containerGroupIds: JSON.stringify([GROUP]) }));
  expect(res.body.totalCount).toBe(1);
  const g = res.body.containerGroups[0];
  expect(g).toMatchObject({ containerGroupId: GROUP, status: 'Running', regionId: REGION, tags: [{ key: 'env', value: 'test' }], events: [] });
  expect(g.containers[0]).toMatchObject({ name: 'nginx', ready: true, restartCount: 0, currentState: { state: 'Running' } });
  const raw = await describeVia({ ContainerGroupIds: JSON.stringify([GROUP]) });
  expectSchema('eci/DescribeContainerGroups.response.json', raw);
  expect(JSON.stringify(raw)).not.toContain('_emulator');
});

test('filters: ContainerGroupIds, Status, ContainerGroupName, Tag.N', async () => {
  const names = (b: any) => b.ContainerGroups.map((g: any) => g.ContainerGroupId);
  expect(names(await describeVia({ ContainerGroupIds: JSON.stringify(['eci-2zelg8vwnlzdhf8hv0002', 'eci-nosuch']) }))).toEqual(['eci-2zelg8vwnlzdhf8hv0002']);
  expect(names(await describeVia({ Status: 'Succeeded' }))).toEqual(['eci-2zelg8vwnlzdhf8hv0002']);
  expect(names(await describeVia({ ContainerGroupName: 'web' }))).toEqual(['eci-2zelg8vwnlzdhf8hv0002']);
  expect(names(await describeVia({ 'Tag.1.Key': 'env', 'Tag.1.Value': 'test' }))).toEqual([GROUP]);
  const sdk = await eciSdk(t.url).describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: REGION, tag: [new EciModels.DescribeContainerGroupsRequestTag({ key: 'env', value: 'prod' })] }));
  expect(sdk.body.containerGroups.map((g: any) => g.containerGroupId)).toEqual(['eci-2zelg8vwnlzdhf8hv0002']);
});

test('pages with Limit/NextToken, TotalCount counts every match', async () => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const body: any = await popCall(t.url)('DescribeContainerGroups', { RegionId: REGION, 'Tag.1.Key': 'batch', Limit: 10, ...(token ? { NextToken: token } : {}) });
    expectSchema('eci/DescribeContainerGroups.response.json', body);
    expect(body.TotalCount).toBe(25);
    seen.push(...body.ContainerGroups.map((g: any) => g.ContainerGroupId));
    token = body.NextToken || undefined;
  } while (token);
  expect(seen).toEqual(ids(25));
  const first = await describeVia({});
  expect(first.ContainerGroups).toHaveLength(20);
  expect(first.NextToken).not.toBe('');
});

test('bad filters → InvalidParameter', async () => {
  const bad: Array<Record<string, string | number>> = [{ ContainerGroupIds: 'eci-1' }, { ContainerGroupIds: '{"a":1}' }, { ContainerGroupIds: JSON.stringify(ids(21)) }, { Limit: 21 }, { Limit: 'ten' }, { NextToken: 'x' }, { WithEvent: 'maybe' }];
  for (const q of bad) {
    const err = await failure(describeVia(q));
    expect(err).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
  }
  const noRegion = await failure(coreCall(t.url)('DescribeContainerGroups', {}));
  expect(noRegion.code).toBe('MissingParameter');
});

test('WithEvent=false leaves the events out', async () => {
  await coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP });
  expect((await describeVia({ ContainerGroupIds: JSON.stringify([GROUP]) })).ContainerGroups[0].Events).toHaveLength(1);
  expect((await describeVia({ ContainerGroupIds: JSON.stringify([GROUP]), WithEvent: false })).ContainerGroups[0].Events).toEqual([]);
});

test('DescribeContainerGroupStatus: schema, SDK model, paging', async () => {
  const body = await coreCall(t.url)('DescribeContainerGroupStatus', { RegionId: REGION, Limit: 5 });
  expectSchema('eci/DescribeContainerGroupStatus.response.json', body);
  expect(body.TotalCount).toBe(27);
  expect(body.Data).toHaveLength(5);
  expect(body.Data[0]).toMatchObject({ ContainerGroupId: GROUP, Status: 'Running', PodStatus: { Phase: 'Running' } });
  expect(body.Data[1]).toMatchObject({ ContainerGroupId: 'eci-2zelg8vwnlzdhf8hv0002', Status: 'Succeeded', PodStatus: { Phase: 'Succeeded' } });
  const next = await eciSdk(t.url).describeContainerGroupStatus(new EciModels.DescribeContainerGroupStatusRequest({ regionId: REGION, limit: 5, nextToken: body.NextToken }));
  expect(next.body.data.map((d: any) => d.containerGroupId)).toEqual(ids(25).slice(3, 8));
  expect(next.body.data[0].podStatus.containerStatuses[0]).toMatchObject({ name: 'nginx', ready: true, state: { running: { startedAtstartedAt: '2024-01-01T00:00:10Z' } } });
});

test('a minimal seed is filled in to the full shape; a bad seed is refused whole', async () => {
  const e = await startTestEmulator();
  try {
    await e.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [{ ContainerGroupId: 'eci-minimal000000001' }] } } });
    const body = await coreCall(e.url)('DescribeContainerGroups', { RegionId: REGION });
    expectSchema('eci/DescribeContainerGroups.response.json', body);
    expect(body.ContainerGroups[0]).toMatchObject({ ContainerGroupId: 'eci-minimal000000001', ContainerGroupName: 'eci-minimal000000001', RegionId: REGION, Status: 'Running', CreationTime: '2026-01-15T08:00:00Z', Tags: [] });
    expect(body.ContainerGroups[0].Containers).toHaveLength(1);
    await coreCall(e.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-minimal000000001' });
    for (const bad of [{ containerGroups: [{ ContainerGroupName: 'no id' }] }, { containerGroups: [{ ContainerGroupId: 'eci-x', Status: 'Sleeping' }] }, { containerGroups: [{ ContainerGroupId: 'eci-x', Containers: [null] }] }, { containerGroups: [{ ContainerGroupId: 'eci-x', Events: {} }] }, { imageCaches: [{ ImageCacheId: 'imc-x', Tags: 'env=test' }] }]) {
      const res = await request(e.url).post('/_emulator/seed').send({ alibaba: { eci: bad } });
      expect(res.status).toBe(400);
    }
    const res = await request(e.url).post('/_emulator/seed').send({ alibaba: { accessKeys: [{ AccessKeyId: 'k' }] } });
    expect(res.status).toBe(400);
    expect((await coreCall(e.url)('DescribeContainerGroups', { RegionId: REGION })).ContainerGroups).toHaveLength(1);
  } finally {
    await e.close();
  }
});
