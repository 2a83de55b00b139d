/**
 * The conformance test, derived rather than hand-written (issue 15): every Alibaba operation's success
 * body, for resources seeded with nothing but their ids (every other field the emulator's default),
 * held against the official SDK's response model: no missing field, no wrong type, no unknown field.
 * The models are the SDKs' own tables (test/alibaba/sdk-models); ECI is also called through npm's
 * generated SDK, whose cast must take the body.
 */
import { conformance } from './sdk-models/conformance.js';
import { coreCall } from './eci/support.js';
import { coreClient } from './ens/clients.js';
import type { TestEmulator } from '../support/emulator.js';
import { startAlibaba } from '../support/worlds/alibaba.js';

const REGION = 'cn-hangzhou';
const GROUP = 'eci-conformance000001';
const SUCCEEDED = 'eci-conformance000002';
const INSTANCE = 'i-conformance0000000000001';
const EVENT = 'e-conformance000000000000000000001';
let t: TestEmulator;

beforeAll(async () => {
  t = await startAlibaba({
    eci: { containerGroups: [{ ContainerGroupId: GROUP }, { ContainerGroupId: SUCCEEDED, Status: 'Succeeded', InitContainers: [{ Name: 'init' }], Volumes: [{ Name: 'v' }] }] },
    ens: { instances: [{ InstanceId: INSTANCE }], events: [{ EventId: EVENT, ResourceId: INSTANCE }] },
  });
  await t.http.post('/_emulator/clock').send({ mode: 'manual' }).expect(200);
});
afterAll(() => t.close());

const ECI_CASES: Array<[string, Record<string, string | number>]> = [
  ['DescribeContainerGroups', { RegionId: REGION }],
  ['DescribeContainerGroupStatus', { RegionId: REGION }],
  ['ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup' }],
  ['TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'team', 'Tag.1.Value': 'edge' }],
  ['UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'TagKey.1': 'team' }],
  ['RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP }],
];

test.each(ECI_CASES)('ECI %s answers what its SDK model declares, field for field', async (action, query) => {
  const body = await coreCall(t.url)(action, query);
  expect(conformance('eci', `${action}ResponseBody`, body)).toEqual([]);
});

test('ECI: a group in the middle of a restart still answers every field', async () => {
  const body = await coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION, ContainerGroupIds: JSON.stringify([GROUP]) });
  expect(body.ContainerGroups[0].Status).toBe('Restarting');
  expect(conformance('eci', 'DescribeContainerGroupsResponseBody', body)).toEqual([]);
  expect(conformance('eci', 'DescribeContainerGroupStatusResponseBody', await coreCall(t.url)('DescribeContainerGroupStatus', { RegionId: REGION }))).toEqual([]);
});

const ENS_CASES: Array<[string, Record<string, string | number>]> = [
  ['DescribeInstances', {}],
  ['DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot' }],
  ['BatchEventRebootInstance', { EventInfos: JSON.stringify([{ EventId: EVENT, ResourceId: INSTANCE, OpsType: 'immediate' }]) }],
];

test.each(ENS_CASES)('ENS %s answers what its SDK model declares, field for field', async (action, query) => {
  const body = await coreClient(t.url)(action, query);
  expect(conformance('ens', `${action}ResponseBody`, body)).toEqual([]);
});

test('the check fails on what a client would meet: a missing field, a wrong type, an unknown field', () => {
  const problems = conformance('ens', 'DescribeHistoryEventsResponseBody', { RequestId: 'r', PageNumber: '1', PageSize: 10, Events: [], Extra: true });
  expect(problems).toEqual(['$.Extra: not in DescribeHistoryEventsResponseBody', '$.TotalCount: missing (DescribeHistoryEventsResponseBody)', '$.PageNumber: expected number, got string']);
});
