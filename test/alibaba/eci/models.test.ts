/**
 * Every ECI response body, held against the generated SDK's (eci20180808 2.0.3) response models
 * field by field: the types the models declare, and no field they do not know. Checked on the
 * capture-shaped seed, a minimal seed and a group in the middle of a restart.
 */
import type { TestEmulator } from '../../support/emulator.js';
import { modelProblems } from '../model-shape.js';
import { sdkModel } from '../sdk-models/index.js';
import { coreCall, EciModels, expectSchema, group, GROUP, startEci } from './support.js';

const REGION = 'cn-hangzhou';
let t: TestEmulator;

beforeAll(async () => {
  t = await startEci({
    containerGroups: [group(GROUP), { ContainerGroupId: 'eci-minimal000000001', Tags: [{ Key: 'only-key' }] }, group('eci-restarting000001')],
  });
  await coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-restarting000001' });
});
afterAll(() => t.close());

test.each([
  ['DescribeContainerGroups', 'DescribeContainerGroupsResponseBody'],
  ['DescribeContainerGroupStatus', 'DescribeContainerGroupStatusResponseBody'],
  ['RestartContainerGroup', 'RestartContainerGroupResponseBody'],
])('%s matches %s', async (action, model) => {
  const query: Record<string, string> = action === 'RestartContainerGroup' ? { RegionId: REGION, ContainerGroupId: GROUP } : { RegionId: REGION };
  const body = await coreCall(t.url)(action, query);
  expectSchema(`eci/${action}.response.json`, body);
  // The newest model (2.1.2: 2.0.3's fields plus ComputeCategory and DnsPolicy), which the group answers in full.
  expect(modelProblems(sdkModel('eci', model), body)).toEqual([]);
});

test('a tag seeded without a Value is answered with an empty Value', async () => {
  const body = await coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, ContainerGroupIds: JSON.stringify(['eci-minimal000000001']) });
  expect(body.ContainerGroups[0].Tags).toEqual([{ Key: 'only-key', Value: '' }]);
});

test('the check catches what the SDK chokes on: the capture\'s ContainerGroups object', () => {
  const captured = { RequestId: '5A3E1B2C-0000-4000-8000-000000000007', TotalCount: 1, ContainerGroups: { ContainerGroup: [{ ContainerGroupId: 'eci-x', Status: 'Running' }] } };
  expect(modelProblems(EciModels.DescribeContainerGroupsResponseBody, captured)).toEqual(['$.ContainerGroups: expected an array']);
  expect(modelProblems(EciModels.DescribeContainerGroupsResponseBody, { TotalCount: '1', Extra: 1 })).toEqual(['$.TotalCount: expected number, got string', '$.Extra: not in DescribeContainerGroupsResponseBody']);
});

test.each([
  ['a container state that is not an object', { Containers: [{ Name: 'c', CurrentState: 'Running' }] }],
  ['a command list that is a string', { Containers: [{ Name: 'c', Commands: 'sh -c true' }] }],
  ['volumes that are an object', { Volumes: { Volume: [] } }],
  ['a Cpu that is text', { Cpu: 'two' }],
  ['an event count that is text', { Events: [{ Count: 'once' }] }],
  ['a tag value that is a number', { Tags: [{ Key: 'k', Value: 1 }] }],
])('a seeded group with %s is refused (the SDK could not read it back)', async (_name, fields) => {
  const before = (await t.state()).alibaba.eci.containerGroups;
  const res = await t.http.post('/_emulator/seed').send({ alibaba: { eci: { containerGroups: [{ ContainerGroupId: 'eci-badshape00000001', ...fields }] } } });
  expect(res.status).toBe(400);
  expect((await t.state()).alibaba.eci.containerGroups).toEqual(before);
});

test('no body shows the emulator bookkeeping (pending restart steps, tag-change windows, owners)', async () => {
  await t.http.put('/_emulator/transitions').send({ 'alibaba.eci.tagChange': 60_000 }).expect(200);
  await coreCall(t.url)('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': 'eci-restarting000001', 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' });
  const stored = (await t.state()).alibaba.eci.containerGroups.find((g: any) => g.ContainerGroupId === 'eci-restarting000001');
  expect(stored._emulator).toMatchObject({ accountId: expect.any(String), tagBusyUntil: expect.any(Number), steps: expect.any(Array) });
  for (const [action, query] of [
    ['DescribeContainerGroups', { RegionId: REGION }],
    ['DescribeContainerGroupStatus', { RegionId: REGION }],
    ['ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup' }],
  ] as const) {
    const text = JSON.stringify(await coreCall(t.url)(action, query));
    expect(text).not.toContain('_emulator');
    expect(text).not.toContain('tagBusyUntil');
    expect(text).not.toContain('alibaba.eci.restarted');
  }
});

test('numbers seeded as numeric strings are answered as numbers', async () => {
  await t.seed({ alibaba: { eci: { containerGroups: [{ ContainerGroupId: 'eci-strings00000001', Cpu: '0.5', Memory: '1', Containers: [{ Name: 'c', Cpu: '0.5', Memory: '1', RestartCount: '3' }] }] } } });
  const body = await coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, ContainerGroupIds: JSON.stringify(['eci-strings00000001']) });
  expect(body.ContainerGroups[0]).toMatchObject({ Cpu: 0.5, Memory: 1, Containers: [{ Cpu: 0.5, Memory: 1, RestartCount: 3 }] });
  expect(modelProblems(sdkModel('eci', 'DescribeContainerGroupsResponseBody'), body)).toEqual([]);
});
