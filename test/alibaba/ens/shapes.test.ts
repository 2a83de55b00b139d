/**
 * ENS bodies held against the SDK response models field by field (types, no unknown fields), and
 * DescribeInstances with InstanceIds looking the ids up rather than walking every instance.
 */
import { afterAll, afterEach, beforeAll, expect, it, jest } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { modelProblems } from '../model-shape.js';
import { coreClient, type Caller } from './clients.js';
import { E1, E2, ensSeed, HOUR, I1, I2, I3, T0 } from './fixtures.js';
import { BatchEventRebootInstanceResponseBody, DescribeHistoryEventsResponseBody, DescribeInstancesResponseBody } from './models.js';
import { expectSchema } from './schemas.js';

let emu: TestEmulator;
let ens: Caller;

beforeAll(async () => {
  emu = await startTestEmulator();
  await emu.seed(ensSeed());
  ens = coreClient(emu.url);
});
afterAll(() => emu.close());
afterEach(() => {
  jest.restoreAllMocks();
});

it('BatchEventRebootInstance, DescribeHistoryEvents and DescribeInstances match the SDK models exactly', async () => {
  const reboot = await ens('BatchEventRebootInstance', {
    EventInfos: JSON.stringify([{ EventId: E1, OpsType: 'immediate', ResourceId: I1 }, { EventId: E2, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I2 }, { EventId: 'e-nosuch', OpsType: 'immediate', ResourceId: I3 }]),
  });
  expectSchema('BatchEventRebootInstance.response.json', reboot);
  expect(modelProblems(BatchEventRebootInstanceResponseBody as any, reboot)).toEqual([]);
  expect(reboot.Results.map((r: any) => typeof r.Code)).toEqual(['number', 'number', 'number']);

  const events = await ens('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot,Instance:SystemFailure.Reboot' });
  expectSchema('DescribeHistoryEvents.response.json', events);
  expect(modelProblems(DescribeHistoryEventsResponseBody as any, events)).toEqual([]);

  const instances = await ens('DescribeInstances', {});
  expectSchema('DescribeInstances.response.json', instances);
  expect(modelProblems(DescribeInstancesResponseBody as any, instances)).toEqual([]);
  expect(instances.Instances.Instance.every((i: any) => Array.isArray(i.Tags.Tags))).toBe(true);
});

it('DescribeInstances with InstanceIds looks each id up, in the order given, once', async () => {
  const listed: string[] = [];
  const list = emu.ctx.store.list.bind(emu.ctx.store);
  jest.spyOn(emu.ctx.store, 'list').mockImplementation((collection: string) => {
    listed.push(collection);
    return list(collection);
  });
  const body = await ens('DescribeInstances', { InstanceIds: JSON.stringify([I3, I1, I3, 'i-unknown']) });
  jest.restoreAllMocks();
  expect(listed).not.toContain('alibaba.ens.instances');
  expect(body.Instances.Instance.map((i: any) => i.InstanceId)).toEqual([I3, I1]);
  expect(body.TotalCount).toBe(2);
});

it.each([
  ['a bare list where the model wraps it', { PublicIpAddresses: [{ Ip: '1.2.3.4' }] }],
  ['security groups as a list', { SecurityGroupIds: ['sg-1'] }],
  ['a system disk that is text', { SystemDisk: '40G' }],
  ['a bandwidth that is text', { InternetMaxBandwidthOut: 'fast' }],
])('an instance seeded with %s is refused (the SDK could not read it back)', async (_what, fields) => {
  const before = (await emu.state()).alibaba.ens.instances;
  const res = await emu.http.post('/_emulator/seed').send({ alibaba: { ens: { instances: [{ InstanceId: 'i-badshape', ...fields }] } } });
  expect(res.status).toBe(400);
  expect((await emu.state()).alibaba.ens.instances).toEqual(before);
});

it('an instance seeded with the wrapped lists of a real answer is answered as seeded, and the SDK model takes it', async () => {
  const wrapped = { PublicIpAddresses: { PublicIpAddress: [{ Ip: '1.2.3.4', Isp: 'telecom' }] }, SecurityGroupIds: { SecurityGroupId: ['sg-1'] }, InternetMaxBandwidthOut: 100 };
  await emu.seed({ alibaba: { ens: { instances: [{ InstanceId: 'i-wrapped', ...wrapped }] } } });
  const body = await ens('DescribeInstances', { InstanceIds: JSON.stringify(['i-wrapped']) });
  expect(body.Instances.Instance[0]).toMatchObject(wrapped);
});
