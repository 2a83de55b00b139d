/** RestartContainerGroup through the generated SDK and pop-core, watched with Describe* under the manual clock. */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { EciModels, eciSdk, expectSchema, failure, group, GROUP, popCall, startEci } from './support.js';

const REGION = 'cn-hangzhou';
let t: TestEmulator;
let sdk: any;

beforeEach(async () => {
  t = await startEci({
    containerGroups: [
      group(GROUP),
      group('eci-pending0000000001', { Status: 'Pending' }),
      group('eci-succeeded00000001', { Status: 'Succeeded' }),
      group('eci-failed00000000001', { Status: 'Failed' }),
      group('eci-old0000000000001', { CreationTime: '2019-03-07T06:59:59Z' }),
      group('eci-cutoff0000000001', { CreationTime: '2019-03-07T07:00:00Z' }),
      group('eci-beijing000000001', { RegionId: 'cn-beijing', ZoneId: 'cn-beijing-a' }),
    ],
  });
  sdk = eciSdk(t.url);
});
afterEach(() => t.close());

const restart = (id: string, extra: Record<string, unknown> = {}) => sdk.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: REGION, containerGroupId: id, ...extra }));

async function describe1(id: string, region = REGION): Promise<Record<string, any>> {
  const res = await request(t.url)
    .get('/')
    .query({ Action: 'DescribeContainerGroups', Version: '2018-08-08', AccessKeyId: 'sandbox-key', RegionId: region, ContainerGroupIds: JSON.stringify([id]) });
  expect(res.status).toBe(200);
  expectSchema('eci/DescribeContainerGroups.response.json', res.body);
  return res.body.ContainerGroups[0];
}

test('Running → Restarting → Running after the configured duration, with RestartCount and events', async () => {
  await request(t.url).put('/_emulator/transitions').send({ 'alibaba.eci.restart': 5000 }).expect(200);
  const res = await restart(GROUP);
  expect(res.statusCode).toBe(200);
  expect(res.body.requestId).toMatch(/^[0-9A-F-]{36}$/);
  expect(res.headers['x-acs-request-id']).toBe(res.body.requestId);

  const during = await sdk.describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: REGION, containerGroupIds: JSON.stringify([GROUP]) }));
  expect(during.body.containerGroups[0].status).toBe('Restarting');
  expect(during.body.containerGroups[0].containers[0].ready).toBe(false);
  expect(during.body.containerGroups[0].events.map((e: any) => e.reason)).toEqual(['Restarting']);

  await t.advance(4999);
  expect((await describe1(GROUP)).Status).toBe('Restarting');
  await t.advance(1);
  const after = await describe1(GROUP);
  expect(after.Status).toBe('Running');
  expect(after.Containers[0]).toMatchObject({ Ready: true, RestartCount: 1, CurrentState: { State: 'Running', StartTime: '2026-01-15T08:00:05Z' } });
  expect(after.Containers[0].PreviousState).toMatchObject({ State: 'Terminated', FinishTime: '2026-01-15T08:00:00Z' });
  expect(after.Events.map((e: any) => [e.Reason, e.Type, e.FirstTimestamp])).toEqual([
    ['Restarting', 'Normal', '2026-01-15T08:00:00Z'],
    ['Started', 'Normal', '2026-01-15T08:00:05Z'],
  ]);

  await restart(GROUP);
  await t.advance(5000);
  expect((await describe1(GROUP)).Containers[0].RestartCount).toBe(2);
});

test('DescribeContainerGroupStatus shows the restart as it happens', async () => {
  await restart(GROUP);
  const status = async () => {
    const res = await sdk.describeContainerGroupStatus(new EciModels.DescribeContainerGroupStatusRequest({ regionId: REGION, containerGroupIds: JSON.stringify([GROUP]) }));
    return res.body.data[0];
  };
  const during = await status();
  expect(during.status).toBe('Restarting');
  expect(during.podStatus.containerStatuses[0]).toMatchObject({ name: 'nginx', ready: false, restartCount: 0, state: { waiting: { reason: 'Restarting' } } });
  await t.advance(2000);
  const after = await status();
  expect(after.status).toBe('Running');
  expect(after.podStatus.containerStatuses[0]).toMatchObject({ ready: true, restartCount: 1, started: true, state: { running: { startedAtstartedAt: '2026-01-15T08:00:02Z' } } });
});

test('a restart while Restarting is IncorrectStatus, and so is one of a finished group', async () => {
  await restart(GROUP);
  for (const id of [GROUP, 'eci-succeeded00000001', 'eci-failed00000000001']) {
    const err = await failure(restart(id));
    expect(err).toMatchObject({ code: 'IncorrectStatus', statusCode: 400 });
    expect(err.message).toMatch(/^IncorrectStatus: code: 400, The current status of the resource does not support this operation\..* request id: [0-9A-F-]{36}$/);
    expect(err.data).toMatchObject({ HostId: 'eci.aliyuncs.com', Code: 'IncorrectStatus', statusCode: 400 });
    expect(err.data.Recommend).toBe(`https://api.aliyun.com/troubleshoot?q=IncorrectStatus&product=Eci&requestId=${err.data.RequestId}`);
  }
  expect((await describe1('eci-succeeded00000001')).Status).toBe('Succeeded');
});

test('a Pending group restarts too', async () => {
  await restart('eci-pending0000000001');
  expect((await describe1('eci-pending0000000001')).Status).toBe('Restarting');
  await t.advance(2000);
  expect((await describe1('eci-pending0000000001')).Status).toBe('Running');
});

test('groups created before 2019-03-07T15:00:00+08:00 cannot be restarted', async () => {
  const err = await failure(restart('eci-old0000000000001'));
  expect(err).toMatchObject({ code: 'IncorrectStatus', statusCode: 400 });
  expect(err.message).toContain('2019-03-07T15:00:00+08:00');
  await restart('eci-cutoff0000000001');
  expect((await describe1('eci-cutoff0000000001')).Status).toBe('Restarting');
});

test('an unknown id, or a group of another region, is the not-found error', async () => {
  for (const [id, region] of [['eci-nosuchgroup000001', REGION], ['eci-beijing000000001', REGION], [GROUP, 'cn-beijing']] as const) {
    const err = await failure(sdk.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: region, containerGroupId: id })));
    expect(err).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
    expect(err.message).toContain(id);
  }
  await request(t.url).patch('/_emulator/settings').send({ 'alibaba.eci.notFoundStyle': 'NotFound' }).expect(200);
  const err = await failure(restart('eci-nosuchgroup000001'));
  expect(err).toMatchObject({ code: 'InvalidResourceId.NotFound', statusCode: 404 });
  expect((await describe1('eci-beijing000000001', 'cn-beijing')).Status).toBe('Running');
});

test('missing ContainerGroupId or RegionId is MissingParameter', async () => {
  const err = await failure(sdk.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: REGION })));
  expect(err).toMatchObject({ code: 'MissingParameter', statusCode: 400 });
  expect(err.message).toContain('ContainerGroupId');
  const err2 = await failure(popCall(t.url)('RestartContainerGroup', { ContainerGroupId: GROUP }));
  expect(err2).toMatchObject({ name: 'MissingParameterError', code: 'MissingParameter' });
  expect(err2.message).toContain('RegionId');
});

test('a null restart duration leaves the group Restarting', async () => {
  await request(t.url).put('/_emulator/transitions').send({ 'alibaba.eci.restart': null }).expect(200);
  await restart(GROUP);
  await t.advance(24 * 3600 * 1000);
  expect((await describe1(GROUP)).Status).toBe('Restarting');
});

test('pop-core restarts (GET and POST) and gets the IncorrectStatus exception it throws', async () => {
  const get = popCall(t.url);
  const res = await get('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP });
  expectSchema('eci/RestartContainerGroup.response.json', res);
  const err = await failure(popCall(t.url, undefined, 'POST')('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP }));
  expect(err.name).toBe('IncorrectStatusError');
  expect(err.code).toBe('IncorrectStatus');
  expect(err.message).toMatch(/^The current status of the resource does not support this operation\..*, URL: http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(err.data.Code).toBe('IncorrectStatus');
});
