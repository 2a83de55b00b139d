/** ClientToken replay and mismatch, RAM Actions, and account/region isolation. */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { ACCOUNT, coreCall, EciModels, eciSdk, expectSchema, failure, group, GROUP, legacyCall, OTHER, OTHER_ACCOUNT, popCall, READ_ONLY, startEci } from './support.js';

const REGION = 'cn-hangzhou';
const TOKEN = '123e4567-e89b-12d3-a456-426614174000';
let t: TestEmulator;

beforeEach(async () => {
  t = await startEci({
    containerGroups: [
      group(GROUP),
      group('eci-other00000000001', { _emulator: { accountId: OTHER_ACCOUNT } }),
      group('eci-beijing000000001', { RegionId: 'cn-beijing', ZoneId: 'cn-beijing-a' }),
    ],
  });
});
afterEach(() => t.close());

const statusOf = async (id: string) => (await t.state()).alibaba.eci.containerGroups.find((g: any) => g.ContainerGroupId === id);

describe('ClientToken', () => {
  test('the same token and params replay the first answer (same RequestId, one restart)', async () => {
    await request(t.url).put('/_emulator/transitions').send({ 'alibaba.eci.restart': 1000 }).expect(200);
    const sdk = eciSdk(t.url);
    const req = () => new EciModels.RestartContainerGroupRequest({ regionId: REGION, containerGroupId: GROUP, clientToken: TOKEN });
    const first = await sdk.restartContainerGroup(req());
    const again = await sdk.restartContainerGroup(req());
    expect(again.body.requestId).toBe(first.body.requestId);
    expect(again.headers['x-acs-request-id']).toBe(first.body.requestId);
    const viaPop = await popCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: TOKEN });
    expect(viaPop.RequestId).toBe(first.body.requestId);
    const g = await statusOf(GROUP);
    expect(g.Events.filter((e: any) => e.Reason === 'Restarting')).toHaveLength(1);
    await t.advance(1000);
    expect((await statusOf(GROUP)).Containers[0].RestartCount).toBe(1);
    // Without the token the same call is a new restart (the first one is over, so it is accepted).
    await sdk.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: REGION, containerGroupId: GROUP }));
    expect((await statusOf(GROUP)).Status).toBe('Restarting');
  });

  test('concurrent calls with one token change state once and answer alike', async () => {
    const call = coreCall(t.url);
    const bodies = await Promise.all([1, 2, 3].map(() => call('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: TOKEN })));
    expect(new Set(bodies.map((b) => b.RequestId)).size).toBe(1);
    expect((await statusOf(GROUP)).Events.filter((e: any) => e.Reason === 'Restarting')).toHaveLength(1);
  });

  test('the same token with other params → IdempotentParameterMismatch, nothing changed', async () => {
    const call = coreCall(t.url);
    await call('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'TagKey.1': 'nope', ClientToken: TOKEN });
    const err = await failure(call('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'TagKey.1': 'env', ClientToken: TOKEN }));
    expect(err).toMatchObject({ name: 'ClientError', code: 'IdempotentParameterMismatch', statusCode: 400 });
    expect((await statusOf(GROUP)).Tags).toEqual([{ Key: 'env', Value: 'test' }]);
  });

  test('tokens are per account and per action', async () => {
    await coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: TOKEN });
    await coreCall(t.url, OTHER)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-other00000000001', ClientToken: TOKEN });
    expect((await statusOf('eci-other00000000001')).Status).toBe('Restarting');
    await coreCall(t.url)('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, All: true, ClientToken: TOKEN });
    expect((await statusOf(GROUP)).Tags).toEqual([]);
  });

  test('an error is not remembered: after it is fixed, the same token works', async () => {
    const call = coreCall(t.url);
    await request(t.url).post('/_emulator/faults').send({ provider: 'alibaba', operation: 'RestartContainerGroup', count: 1 }).expect(201);
    await failure(call('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: TOKEN }));
    await call('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: TOKEN });
    expect((await statusOf(GROUP)).Status).toBe('Restarting');
  });

  test('a token over 64 characters, or not ASCII → InvalidParameter', async () => {
    for (const token of ['x'.repeat(65), 'jeton-é']) {
      const err = await failure(coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: token }));
      expect(err).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
      expect(err.message).toContain('ClientToken');
    }
    expect((await statusOf(GROUP)).Status).toBe('Running');
    await coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: 'x'.repeat(64) });
  });
});

describe('RAM Actions', () => {
  test('a key without eci:RestartContainerGroup → 403 Forbidden.RAM with AccessDeniedDetail', async () => {
    const err = await failure(eciSdk(t.url, READ_ONLY).restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: REGION, containerGroupId: GROUP })));
    expect(err).toMatchObject({ code: 'Forbidden.RAM', statusCode: 403 });
    expect(err.accessDeniedDetail).toMatchObject({ AuthAction: 'eci:RestartContainerGroup', NoPermissionType: 'ImplicitDeny', AuthPrincipalOwnerId: ACCOUNT });
    const err2 = await failure(coreCall(t.url, READ_ONLY)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP }));
    expect(err2.name).toBe('ClientError');
    expect(err2.accessDeniedDetail.AuthAction).toBe('eci:RestartContainerGroup');
    expect((await statusOf(GROUP)).Status).toBe('Running');
  });

  test('untagging without tag permission → 400 NoPermission.Tag with AccessDeniedDetail (as the capture)', async () => {
    const err = await failure(legacyCall(t.url, READ_ONLY)('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'TagKey.1': 'env' }));
    expect(err.message).toMatch(/^NoPermission\.Tag: code: 400, No permissions to operate tags\. request id: /);
    expect(err.data).toMatchObject({ Code: 'NoPermission.Tag', HostId: 'eci.aliyuncs.com', statusCode: 400, AccessDeniedDetail: { AuthAction: 'eci:UntagResources', PolicyType: 'AccountLevelIdentityBasedPolicy' } });
    expect((await statusOf(GROUP)).Tags).toHaveLength(1);
    for (const action of ['TagResources', 'ListTagResources']) {
      const e = await failure(coreCall(t.url, READ_ONLY)(action, { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'a', 'Tag.1.Value': 'b' }));
      expect(e.code).toBe('NoPermission.Tag');
    }
  });

  test('patterns: eci:Describe* allows describing; a key without it gets the documented empty list', async () => {
    const body = await coreCall(t.url, READ_ONLY)('DescribeContainerGroups', { RegionId: REGION });
    expect(body.ContainerGroups).toHaveLength(1);
    await t.seed({ alibaba: { accessKeys: [{ AccessKeyId: 'LTAI5tRESTARTONLY', AccessKeySecret: 's3cret', AccountId: ACCOUNT, Actions: ['eci:RestartContainerGroup'] }] } });
    const restartOnly = { accessKeyId: 'LTAI5tRESTARTONLY', accessKeySecret: 's3cret' };
    const empty = await coreCall(t.url, restartOnly)('DescribeContainerGroups', { RegionId: REGION });
    expectSchema('eci/DescribeContainerGroups.response.json', empty);
    expect(empty).toMatchObject({ TotalCount: 0, ContainerGroups: [] });
    await coreCall(t.url, restartOnly)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP });
  });

  test('eci:* and * allow everything', async () => {
    await t.seed({ alibaba: { accessKeys: [{ AccessKeyId: 'LTAI5tECISTAR', AccessKeySecret: 's', Actions: ['eci:*'] }, { AccessKeyId: 'LTAI5tSTAR', AccessKeySecret: 's', Actions: ['*'] }] } });
    for (const id of ['LTAI5tECISTAR', 'LTAI5tSTAR']) {
      await coreCall(t.url, { accessKeyId: id, accessKeySecret: 's' })('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'TagKey.1': 'none' });
    }
  });
});

describe('accounts and regions', () => {
  test('another account sees none of these resources, and its own only', async () => {
    const other = coreCall(t.url, OTHER);
    const body = await other('DescribeContainerGroups', { RegionId: REGION });
    expect(body.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual(['eci-other00000000001']);
    const err = await failure(other('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP }));
    expect(err.code).toBe('InvalidParameter');
    const err2 = await failure(other('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, All: true }));
    expect(err2.code).toBe('InvalidParameter');
    expect((await other('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP })).TagResources).toEqual([]);
    const mine = await coreCall(t.url)('DescribeContainerGroups', { RegionId: REGION });
    expect(mine.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual([GROUP]);
    expect((await statusOf(GROUP)).Tags).toHaveLength(1);
  });

  test('a call in another region does not see a group', async () => {
    const call = coreCall(t.url);
    expect((await call('DescribeContainerGroups', { RegionId: 'cn-beijing' })).ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual(['eci-beijing000000001']);
    const err = await failure(call('TagResources', { RegionId: 'cn-beijing', ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }));
    expect(err.code).toBe('InvalidParameter');
    await call('RestartContainerGroup', { RegionId: 'cn-beijing', ContainerGroupId: 'eci-beijing000000001' });
    expect((await statusOf('eci-beijing000000001')).Status).toBe('Restarting');
  });

  test('a key seeded without AccountId belongs to the default account', async () => {
    await t.seed({ alibaba: { accessKeys: [{ AccessKeyId: 'LTAI5tNOACCOUNT', AccessKeySecret: 's' }] } });
    const state = await t.state();
    expect(state.alibaba.accessKeys.find((k: any) => k.AccessKeyId === 'LTAI5tNOACCOUNT').AccountId).toBe(ACCOUNT);
    const body = await coreCall(t.url, { accessKeyId: 'LTAI5tNOACCOUNT', accessKeySecret: 's' })('DescribeContainerGroups', { RegionId: REGION });
    expect(body.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual([GROUP]);
  });
});
