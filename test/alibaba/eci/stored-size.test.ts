/**
 * A seeded container group is stored without the defaults that say nothing ('' and empty lists):
 * 100,000 of them are read, parsed and held at every start. The answer still has every field the
 * SDK model declares (filled when answered), and what a seed sets, even empty, is kept.
 */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { coreCall, expectSchema, startEci } from './support.js';

const MINIMAL = 'eci-minimal0000000001';
const EXPLICIT = 'eci-explicit000000001';
/** Bytes of the stored JSON of a group seeded with its id only (about 300 more when every empty default was stored). */
const MAX_STORED_BYTES = 520;
const EMPTY_DEFAULTS = ['SucceededTime', 'FailedTime', 'ExpiredTime', 'InstanceType', 'InternetIp', 'VpcId', 'VSwitchId', 'SecurityGroupId', 'ResourceGroupId', 'Events', 'Volumes', 'InitContainers'];
const EMPTY_CONTAINER_DEFAULTS = ['PreviousState', 'Commands', 'Args', 'Ports', 'EnvironmentVars', 'VolumeMounts'];

let t: TestEmulator;
beforeEach(async () => {
  t = await startEci({ containerGroups: [{ ContainerGroupId: MINIMAL }, { ContainerGroupId: EXPLICIT, VpcId: '', Events: [], Containers: [{ Name: 'c', Args: [] }] }] });
});
afterEach(() => t.close());

async function stored(id: string): Promise<Record<string, any>> {
  const res = await request(t.url).get('/_emulator/state').expect(200);
  return res.body.alibaba.eci.containerGroups.find((g: any) => g.ContainerGroupId === id);
}

test('a group seeded with its id only is stored without empty defaults, within MAX_STORED_BYTES', async () => {
  const g = await stored(MINIMAL);
  for (const f of EMPTY_DEFAULTS) expect(g).not.toHaveProperty(f);
  for (const f of EMPTY_CONTAINER_DEFAULTS) expect(g.Containers[0]).not.toHaveProperty(f);
  // What the emulator reads and changes is stored.
  expect(g).toMatchObject({ Status: 'Running', RegionId: 'cn-hangzhou', Containers: [{ RestartCount: 0, Ready: true, CurrentState: { State: 'Running' } }] });
  expect(JSON.stringify(g).length).toBeLessThanOrEqual(MAX_STORED_BYTES);
});

test('what a seed sets, even empty, is stored as it was set', async () => {
  const g = await stored(EXPLICIT);
  expect(g.VpcId).toBe('');
  expect(g.Events).toEqual([]);
  expect(g.Containers[0].Args).toEqual([]);
});

test('the answer has every empty default the entry does not store', async () => {
  const body = await coreCall(t.url)('DescribeContainerGroups', { RegionId: 'cn-hangzhou', ContainerGroupIds: JSON.stringify([MINIMAL]) });
  expectSchema('eci/DescribeContainerGroups.response.json', body);
  const g = body.ContainerGroups[0];
  for (const f of ['SucceededTime', 'FailedTime', 'ExpiredTime', 'InstanceType', 'InternetIp', 'VpcId', 'VSwitchId', 'SecurityGroupId', 'ResourceGroupId']) expect(g[f]).toBe('');
  for (const f of ['Events', 'Volumes', 'InitContainers']) expect(g[f]).toEqual([]);
  for (const f of ['Commands', 'Args', 'Ports', 'EnvironmentVars', 'VolumeMounts']) expect(g.Containers[0][f]).toEqual([]);
  expect(g.Containers[0].PreviousState).toMatchObject({ State: '', ExitCode: 0 });
});
