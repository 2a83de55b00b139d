/** fixtures/default.json gives a usable ECI sandbox: its keys sign, its groups restart, its resources carry tags. */
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { coreCall, EciModels, eciSdk, expectSchema, failure } from './support.js';

const FULL = { accessKeyId: 'LTAI5tSANDBOXACCESSKEY01', accessKeySecret: 'SandboxAccessKeySecret000000000001' };
const READ_ONLY = { accessKeyId: 'LTAI5tSANDBOXREADONLY01', accessKeySecret: 'SandboxReadOnlySecret0000000000001' };
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ fixtures: new URL('../../../fixtures/default.json', import.meta.url).pathname });
});
afterAll(() => t.close());

test('the sandbox keys, groups and taggable resources work', async () => {
  const groups = await eciSdk(t.url, FULL).describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: 'cn-hangzhou' }));
  expect(groups.body.containerGroups.map((g: any) => [g.containerGroupId, g.status])).toEqual([
    ['eci-sandbox0000000000001', 'Running'],
    ['eci-sandbox0000000000002', 'Succeeded'],
  ]);
  await eciSdk(t.url, FULL).restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: 'cn-hangzhou', containerGroupId: 'eci-sandbox0000000000001' }));
  for (const [type, id] of [['ImageCache', 'imc-sandbox0000000000001'], ['DataCache', 'edc-sandbox0000000000001'], ['VirtualNode', 'vnd-sandbox0000000000001']]) {
    const body = await coreCall(t.url, READ_ONLY)('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: type!, 'ResourceId.1': id! });
    expectSchema('eci/ListTagResources.response.json', body);
  }
  const err = await failure(coreCall(t.url, READ_ONLY)('UntagResources', { RegionId: 'cn-hangzhou', ResourceType: 'ContainerGroup', 'ResourceId.1': 'eci-sandbox0000000000001', All: true }));
  expect(err.code).toBe('NoPermission.Tag');
});
