/**
 * The calls the benchmark runs at 100,000 resources: with explicit ids they look each id up
 * instead of walking the collection, and a full listing of a store already in creation order does
 * not sort it. Observed through spies on the store and on Array.prototype.sort.
 */
import { jest } from '@jest/globals';
import type { TestEmulator } from '../../support/emulator.js';
import { coreCall, group, startEci } from './support.js';

const REGION = 'cn-hangzhou';
const N = 3000;
const id = (i: number) => `eci-hot${String(i).padStart(13, '0')}`;
const at = (i: number) => new Date(Date.parse('2024-01-01T00:00:00Z') + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
let t: TestEmulator;

beforeAll(async () => {
  t = await startEci({ containerGroups: Array.from({ length: N }, (_, i) => group(id(i), { CreationTime: at(i), Tags: [{ Key: 'n', Value: String(i) }] })) });
});
afterAll(() => t.close());
afterEach(() => {
  jest.restoreAllMocks();
});

/** Which collections a call walks with store.list, and the largest array it sorts. */
async function observe(run: () => Promise<unknown>): Promise<{ listed: string[]; largestSort: number }> {
  const listed: string[] = [];
  let largestSort = 0;
  const list = t.ctx.store.list.bind(t.ctx.store);
  jest.spyOn(t.ctx.store, 'list').mockImplementation((collection: string) => {
    listed.push(collection);
    return list(collection);
  });
  // The stored arrays may come from another realm than the test's (jest's vm context): spy on both.
  const realms = new Set([Array.prototype, Object.getPrototypeOf(list('alibaba.eci.containerGroups')) as unknown[]]);
  for (const proto of realms) {
    const sort = proto.sort;
    jest.spyOn(proto, 'sort').mockImplementation(function (this: unknown[], compare?: (a: unknown, b: unknown) => number) {
      largestSort = Math.max(largestSort, this.length);
      return sort.call(this, compare);
    });
  }
  await run();
  jest.restoreAllMocks();
  return { listed: listed.filter((c) => c.startsWith('alibaba.')), largestSort };
}

const call = () => coreCall(t.url);

test.each(['DescribeContainerGroups', 'DescribeContainerGroupStatus'])('%s with ContainerGroupIds looks the ids up', async (action) => {
  let body: any;
  const seen = await observe(async () => {
    body = await call()(action, { RegionId: REGION, ContainerGroupIds: JSON.stringify([id(7), id(2), id(7), 'eci-nosuch']) });
  });
  expect(seen.listed).not.toContain('alibaba.eci.containerGroups');
  const rows = body.ContainerGroups ?? body.Data;
  expect(rows.map((g: any) => g.ContainerGroupId)).toEqual([id(2), id(7)]);
  expect(body.TotalCount).toBe(2);
});

test('ListTagResources with ResourceId.N looks the ids up; without ids it stops after the page', async () => {
  let body: any;
  const named = await observe(async () => {
    body = await call()('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': id(5), 'ResourceId.2': id(5) });
  });
  expect(named.listed).not.toContain('alibaba.eci.containerGroups');
  expect(body.TagResources).toEqual([{ ResourceId: id(5), ResourceType: 'ContainerGroup', TagKey: 'n', TagValue: '5' }]);
  const first = await call()('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', Limit: 3 });
  expect(first.TagResources.map((r: any) => r.ResourceId)).toEqual([id(0), id(1), id(2)]);
  const second = await call()('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', Limit: 3, NextToken: first.NextToken });
  expect(second.TagResources.map((r: any) => r.ResourceId)).toEqual([id(3), id(4), id(5)]);
});

test('a full listing of groups seeded in creation order is not sorted, and keeps that order', async () => {
  let body: any;
  const seen = await observe(async () => {
    body = await call()('DescribeContainerGroups', { RegionId: REGION, Limit: 20 });
  });
  expect(seen.largestSort).toBeLessThan(N);
  expect(body.TotalCount).toBe(N);
  expect(body.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual(Array.from({ length: 20 }, (_, i) => id(i)));
});

test('groups seeded out of creation order are still listed in creation order', async () => {
  await t.seed({ alibaba: { eci: { containerGroups: [group('eci-early000000000001', { CreationTime: '2023-06-01T00:00:00Z' })] } } });
  const body = await call()('DescribeContainerGroups', { RegionId: REGION, Limit: 2 });
  expect(body.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual(['eci-early000000000001', id(0)]);
});
