/**
 * Transition faults: the request is accepted (2xx), and the transition it starts ends in the
 * provider's real failure shape, or never ends, for the resource the rule names. What each client
 * then reads: ECI a Failed group with a Warning event (SDK), ENS a Failed event and a Stopped
 * instance (SDK), ECE a plan attempt with an error step that goes to history unhealthy (raw HTTP),
 * KooPhone an instance back in running_status 0 (raw HTTP). And a remediation flow: accepted →
 * failed → the code sees it and retries → success.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ACCESS_KEYS, eciSdk, EciModels, GROUP, group } from '../alibaba/eci/support.js';
import { coreClient } from '../alibaba/ens/clients.js';
import { E1, E2, I1, I2, ensSeed, eventInfos } from '../alibaba/ens/fixtures.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
const DEP = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const ADMIN = { Authorization: 'ApiKey admin-key' };
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset({ empty: true });
  const ens = ensSeed().alibaba.ens;
  await t.seed({
    alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP), group('eci-2zelg8vwnlzdhf8hv0002')] }, ens },
    elastic: { apiKeys: [{ key: 'admin-key', role: 'platform_admin' }], deployments: [{ id: DEP, name: 'd', resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'started' } }] } }] },
    huawei: { tokens: [{ token: 'tf-token', projectId: PROJECT }], koophone: { instances: [{ instance_id: 'phone-a', project_id: PROJECT, running_status: 2 }, { instance_id: 'phone-b', project_id: PROJECT, running_status: 2 }] } },
  });
  await t.http.delete('/_emulator/faults').expect(200);
});

const rule = (r: Record<string, unknown>) => t.http.post('/_emulator/faults').send(r).expect(201);
const settle = () => t.advance(60_000);

describe('each provider failure shape', () => {
  test('ECI: the restart is accepted, the group ends Failed with a Warning event; another group restarts as usual', async () => {
    await rule({ provider: 'alibaba', operation: 'RestartContainerGroup', resourceId: GROUP, transition: 'fail', count: 1 });
    const client = eciSdk(t.url);
    await client.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: 'cn-hangzhou', containerGroupId: GROUP }));
    await client.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: 'cn-hangzhou', containerGroupId: 'eci-2zelg8vwnlzdhf8hv0002' }));
    await settle();
    const res = await client.describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: 'cn-hangzhou', containerGroupIds: JSON.stringify([GROUP, 'eci-2zelg8vwnlzdhf8hv0002']) }));
    const [failed, fine] = res.body.containerGroups;
    expect(failed.status).toBe('Failed');
    expect(failed.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'Failed' });
    expect(failed.containers[0].currentState).toMatchObject({ state: 'Terminated', exitCode: 1, reason: 'Error' });
    expect(fine.status).toBe('Running');
  });

  test('ECI stuck: the group stays Restarting however far the clock moves', async () => {
    await rule({ provider: 'alibaba', resourceId: GROUP, transition: 'stuck' });
    await eciSdk(t.url).restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: 'cn-hangzhou', containerGroupId: GROUP }));
    await t.advance(24 * 3600_000);
    const res = await eciSdk(t.url).describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: 'cn-hangzhou', containerGroupIds: JSON.stringify([GROUP]) }));
    expect(res.body.containerGroups[0].status).toBe('Restarting');
  });

  test('ENS: the reboot event ends Failed and its instance Stopped; the other reboots', async () => {
    await rule({ provider: 'alibaba', operation: 'BatchEventRebootInstance', resourceId: I1, transition: 'fail' });
    const ens = coreClient(t.url);
    const body = await ens('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E1, ResourceId: I1, OpsType: 'immediate' }, { EventId: E2, ResourceId: I2, OpsType: 'immediate' }) });
    expect(body.Results.map((r: any) => r.Code)).toEqual([200, 200]); // both accepted
    await settle();
    const events = (await ens('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot' })).Events;
    expect(events.find((e: any) => e.EventId === E1).EventStatus).toBe('Failed');
    expect(events.find((e: any) => e.EventId === E2).EventStatus).toBe('Executed');
    const instances = (await ens('DescribeInstances', { InstanceIds: JSON.stringify([I1, I2]) })).Instances.Instance;
    expect(Object.fromEntries(instances.map((i: any) => [i.InstanceId, i.Status]))).toEqual({ [I1]: 'Stopped', [I2]: 'Running' });
  });

  test('ECE: the restart is accepted (202), the plan attempt ends with an error step, unhealthy, and goes to history so', async () => {
    await rule({ provider: 'elastic', resourceId: DEP, transition: 'fail', count: 1 });
    await t.http.post(`/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`).set(ADMIN).expect(202);
    await settle();
    const read = async () => (await t.http.get(`/api/v1/deployments/${DEP}/kibana/main-kibana`).query({ show_plan_history: 'true', show_plan_logs: 'true' }).set(ADMIN).expect(200)).body.info.plan_info;
    const failed = await read();
    expect(failed.healthy).toBe(false);
    expect(failed.current.healthy).toBe(false);
    expect(failed.current.plan_attempt_log.some((s: any) => s.status === 'error')).toBe(true);
    // The next attempt succeeds; the failed one is in the history, unhealthy.
    await t.http.post(`/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`).set(ADMIN).expect(202);
    await settle();
    const after = await read();
    expect(after.healthy).toBe(true);
    expect(after.history.at(-1)).toMatchObject({ plan_attempt_id: failed.current.plan_attempt_id, healthy: false });
  });

  test('KooPhone: the reboot is accepted (200), the named instance comes back in running_status 0, the other in 2', async () => {
    await rule({ provider: 'huawei', operation: 'BatchRebootInstance', resourceId: 'phone-a', transition: 'fail' });
    await t.http.post('/v1/instances/reboot').set('X-Auth-Token', 'tf-token').set('x-request-id', 'r').send({ instance_ids: ['phone-a', 'phone-b'] }).expect(200);
    await settle();
    const res = await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', 'tf-token').set('x-request-id', 'r').send({ instance_ids: ['phone-a', 'phone-b'] }).expect(200);
    expect(res.body.data.status_results).toEqual([
      { instance_id: 'phone-a', status: 0 },
      { instance_id: 'phone-b', status: 2 },
    ]);
  });

  test('the rule counts how often it fired, once per resource', async () => {
    await rule({ id: 'tf', provider: 'huawei', transition: 'stuck' });
    await t.http.post('/v1/instances/reboot').set('X-Auth-Token', 'tf-token').set('x-request-id', 'r').send({ instance_ids: ['phone-a', 'phone-b'] }).expect(200);
    expect((await t.http.get('/_emulator/faults')).body.faults[0]).toMatchObject({ id: 'tf', fired: 2 });
  });
});

/** Code under test: restart a kibana, wait for its plan, and retry once if the plan failed. */
async function restartKibanaWithRetry(): Promise<{ attempts: number; healthy: boolean }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await t.http.post(`/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`).set(ADMIN).expect(202);
    await t.http.post('/_emulator/clock').send({ advanceMs: 10_000 }).expect(200); // the test's clock, not a sleep
    const info = (await t.http.get(`/api/v1/deployments/${DEP}/kibana/main-kibana`).set(ADMIN).expect(200)).body.info;
    if (info.plan_info.healthy) return { attempts: attempt, healthy: true };
  }
  return { attempts: 3, healthy: false };
}

test('a remediation flow: accepted → the plan fails → the code sees it and retries → success', async () => {
  await rule({ provider: 'elastic', operation: 'restart-deployment-stateless-resource', transition: 'fail', count: 1 });
  expect(await restartKibanaWithRetry()).toEqual({ attempts: 2, healthy: true });
  const restarts = (await t.http.get('/_emulator/requests').query({ operation: 'restart-deployment-stateless-resource' })).body.requests;
  expect(restarts.map((r: any) => r.status)).toEqual([202, 202]);
});
