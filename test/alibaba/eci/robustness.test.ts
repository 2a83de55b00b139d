/** Odd input gets ECI's own 4xx envelope and leaves the stored data as it was. */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { expectEnvelope, GROUP, queryString, signRpc, startEci } from './support.js';

const REGION = 'cn-hangzhou';
let t: TestEmulator;

beforeAll(async () => {
  t = await startEci();
});
afterAll(() => t.close());

const cases: Array<[string, number, string, string, Record<string, string>]> = [
  ['a list index of 0', 400, 'InvalidParameter', 'UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.0': GROUP, All: 'true' }],
  ['a huge Limit', 400, 'InvalidParameter', 'ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', Limit: '99999999999999999999' }],
  ['a negative Limit', 400, 'InvalidParameter', 'DescribeContainerGroups', { RegionId: REGION, Limit: '-1' }],
  ['an empty RegionId', 400, 'InvalidParameter', 'RestartContainerGroup', { RegionId: '', ContainerGroupId: GROUP }],
  ['a ClientToken of 65 characters', 400, 'InvalidParameter', 'UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, All: 'true', ClientToken: 'c'.repeat(65) }],
  ['JSON that is not a list', 400, 'InvalidParameter', 'DescribeContainerGroups', { RegionId: REGION, ContainerGroupIds: '"eci-1"' }],
  ['a NextToken of random bytes', 400, 'InvalidParameter', 'DescribeContainerGroupStatus', { RegionId: REGION, NextToken: '\u0000\uFFFF' }],
  ['a lower-case resource type', 400, 'InvalidParameter', 'TagResources', { RegionId: REGION, ResourceType: 'containergroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }],
  ['51 resource ids', 400, 'InvalidParameter', 'UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', All: 'true', ...Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`ResourceId.${i + 1}`, GROUP])) }],
  ['an unknown id of 10 kB', 400, 'InvalidParameter', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'x'.repeat(10_000) }],
];

test.each(cases)('%s → %i %s, nothing changed', async (_name, status, code, action, params) => {
  const before = (await t.state()).alibaba.eci;
  for (const method of ['GET', 'POST'] as const) {
    const signed = signRpc(method, action, params);
    const res = method === 'GET' ? await request(t.url).get(`/?${queryString(signed)}`) : await request(t.url).post('/').type('form').send(queryString(signed));
    expectEnvelope(res, status, code);
  }
  expect((await t.state()).alibaba.eci).toEqual(before);
});

test('params added after signing → SignatureDoesNotMatch', async () => {
  const signed = signRpc('GET', 'ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup' });
  const res = await request(t.url).get(`/?${queryString(signed)}&Junk=1&Junk=2`);
  expectEnvelope(res, 400, 'SignatureDoesNotMatch');
});
