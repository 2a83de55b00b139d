/** TagResources, UntagResources and ListTagResources on all four resource types, through the generic callApi clients and pop-core. */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { coreCall, expectSchema, failure, group, GROUP, legacyCall, popCall, startEci, type Caller } from './support.js';

const REGION = 'cn-hangzhou';
const G2 = 'eci-2zelg8vwnlzdhf8hv0002';
let t: TestEmulator;
let call: Caller;

beforeEach(async () => {
  t = await startEci({
    containerGroups: [group(GROUP), group(G2, { Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'infra' }] }), group('eci-terminating00001', { Status: 'Terminating' })],
    imageCaches: [{ ImageCacheId: 'imc-2zebxkiifuyzzlhl0001', Tags: [{ Key: 'env', Value: 'test' }] }],
    dataCaches: [{ DataCacheId: 'edc-2zebxkiifuyzzlhl0001' }],
    virtualNodes: [{ VirtualNodeId: 'vnd-2ze960zkdqrldeaw0001', Tags: [{ Key: 'pool', Value: 'a' }] }],
  });
  call = coreCall(t.url);
});
afterEach(() => t.close());

async function tagsOf(type: string, id: string): Promise<Array<{ Key: string; Value: string }>> {
  const body = await call('ListTagResources', { RegionId: REGION, ResourceType: type, 'ResourceId.1': id });
  expectSchema('eci/ListTagResources.response.json', body);
  return body.TagResources.map((r: any) => ({ Key: r.TagKey, Value: r.TagValue }));
}
const untag = (query: Record<string, string | number | boolean>, c: Caller = call) => c('UntagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', ...query });

describe('UntagResources', () => {
  test('removes the named keys and ignores unknown ones, on several resources', async () => {
    const body = await untag({ 'ResourceId.1': GROUP, 'ResourceId.2': G2, 'TagKey.1': 'env', 'TagKey.2': 'never-set' });
    expectSchema('eci/UntagResources.response.json', body);
    expect(await tagsOf('ContainerGroup', GROUP)).toEqual([]);
    expect(await tagsOf('ContainerGroup', G2)).toEqual([{ Key: 'team', Value: 'infra' }]);
  });

  test('All=true removes every tag, but only when no TagKey is given', async () => {
    await untag({ 'ResourceId.1': G2, 'TagKey.1': 'team', All: true });
    expect(await tagsOf('ContainerGroup', G2)).toEqual([{ Key: 'env', Value: 'prod' }]);
    await untag({ 'ResourceId.1': G2, All: false });
    expect(await tagsOf('ContainerGroup', G2)).toEqual([{ Key: 'env', Value: 'prod' }]);
    await untag({ 'ResourceId.1': G2, All: true });
    expect(await tagsOf('ContainerGroup', G2)).toEqual([]);
  });

  test.each([
    ['ImageCache', 'imc-2zebxkiifuyzzlhl0001', 'env'],
    ['VirtualNode', 'vnd-2ze960zkdqrldeaw0001', 'pool'],
  ])('works on %s', async (type, id, key) => {
    await call('UntagResources', { RegionId: REGION, ResourceType: type, 'ResourceId.1': id, 'TagKey.1': key });
    expect(await tagsOf(type, id)).toEqual([]);
  });

  test('through every client: openapi-client (v2 signature), pop-core GET and POST', async () => {
    await untag({ 'ResourceId.1': G2, 'TagKey.1': 'env' }, legacyCall(t.url, undefined, { signatureAlgorithm: 'v2' }));
    await untag({ 'ResourceId.1': G2, 'TagKey.1': 'team' }, popCall(t.url));
    expect(await tagsOf('ContainerGroup', G2)).toEqual([]);
    await untag({ 'ResourceId.1': GROUP, All: true }, popCall(t.url, undefined, 'POST'));
    expect(await tagsOf('ContainerGroup', GROUP)).toEqual([]);
  });

  test('more than 20 TagKey → NumberExceed.Tags (the capture\'s exception), nothing removed', async () => {
    const keys = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`TagKey.${i + 1}`, i === 0 ? 'env' : `k${i}`]));
    const err = await failure(untag({ 'ResourceId.1': GROUP, ...keys }));
    expect(err).toMatchObject({ name: 'ClientError', code: 'NumberExceed.Tags', statusCode: 400 });
    expect(err.message).toMatch(/^NumberExceed\.Tags: code: 400, The length of tags exceeded limit: 20\. request id: [0-9A-F-]{36}$/);
    expect(await tagsOf('ContainerGroup', GROUP)).toHaveLength(1);
    await untag({ 'ResourceId.1': GROUP, ...Object.fromEntries(Object.entries(keys).slice(0, 20)) });
    expect(await tagsOf('ContainerGroup', GROUP)).toEqual([]);
  });

  test('a bad or missing ResourceType → InvalidParameter / MissingParameter; no ResourceId → MissingParameter', async () => {
    const bad = await failure(call('UntagResources', { RegionId: REGION, ResourceType: 'Instance', 'ResourceId.1': GROUP }));
    expect(bad).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
    expect(bad.message).toContain('ResourceType');
    const missing = await failure(call('UntagResources', { RegionId: REGION, 'ResourceId.1': GROUP }));
    expect(missing).toMatchObject({ code: 'MissingParameter' });
    const noIds = await failure(untag({ 'TagKey.1': 'env' }));
    expect(noIds).toMatchObject({ code: 'MissingParameter' });
    expect(noIds.message).toContain('ResourceId');
    const badAll = await failure(untag({ 'ResourceId.1': GROUP, All: 'yes' }));
    expect(badAll.code).toBe('InvalidParameter');
  });

  test('an unknown resource among several → not-found error, and no resource is changed', async () => {
    const err = await failure(untag({ 'ResourceId.1': GROUP, 'ResourceId.2': 'eci-nosuch0000000001', All: true }));
    expect(err).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
    expect(err.message).toContain('eci-nosuch0000000001');
    expect(await tagsOf('ContainerGroup', GROUP)).toHaveLength(1);
    const wrongType = await failure(call('UntagResources', { RegionId: REGION, ResourceType: 'DataCache', 'ResourceId.1': GROUP, All: true }));
    expect(wrongType.code).toBe('InvalidParameter');
  });

  test('a group that is going away → IncorrectStatus', async () => {
    const err = await failure(untag({ 'ResourceId.1': 'eci-terminating00001', All: true }));
    expect(err).toMatchObject({ code: 'IncorrectStatus', statusCode: 400 });
  });

  test('two tag changes on one resource inside the alibaba.eci.tagChange window → OperationConflict', async () => {
    await request(t.url).put('/_emulator/transitions').send({ 'alibaba.eci.tagChange': 1000 }).expect(200);
    await untag({ 'ResourceId.1': G2, 'TagKey.1': 'env' });
    const err = await failure(call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': G2, 'Tag.1.Key': 'env', 'Tag.1.Value': 'x' }));
    expect(err).toMatchObject({ code: 'OperationConflict', statusCode: 400 });
    expect(err.message).toContain('Request was denied due to conflict with a previous request.');
    const err2 = await failure(untag({ 'ResourceId.1': GROUP, 'ResourceId.2': G2, All: true }));
    expect(err2.code).toBe('OperationConflict');
    expect(await tagsOf('ContainerGroup', GROUP)).toHaveLength(1);
    await untag({ 'ResourceId.1': GROUP, All: true });
    await t.advance(1000);
    await untag({ 'ResourceId.1': G2, All: true });
    expect(await tagsOf('ContainerGroup', G2)).toEqual([]);
  });
});

describe('TagResources', () => {
  test('adds and overwrites tags; values keep their characters (the capture\'s "infra & ops")', async () => {
    const body = await call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'env', 'Tag.1.Value': 'staging', 'Tag.2.Key': 'team', 'Tag.2.Value': 'infra & ops' });
    expectSchema('eci/TagResources.response.json', body);
    expect(await tagsOf('ContainerGroup', GROUP)).toEqual([{ Key: 'env', Value: 'staging' }, { Key: 'team', Value: 'infra & ops' }]);
    await popCall(t.url)('TagResources', { RegionId: REGION, ResourceType: 'DataCache', 'ResourceId.1': 'edc-2zebxkiifuyzzlhl0001', 'Tag.1.Key': 'x', 'Tag.1.Value': '' });
    expect(await tagsOf('DataCache', 'edc-2zebxkiifuyzzlhl0001')).toEqual([{ Key: 'x', Value: '' }]);
  });

  test('openapi-core sends arrays itself (ResourceId.N, Tag.N.Key)', async () => {
    await call('TagResources', { RegionId: REGION, ResourceType: 'ImageCache', ResourceId: ['imc-2zebxkiifuyzzlhl0001'] as any, Tag: [{ Key: 'a', Value: 'b' }] as any });
    expect(await tagsOf('ImageCache', 'imc-2zebxkiifuyzzlhl0001')).toEqual([{ Key: 'env', Value: 'test' }, { Key: 'a', Value: 'b' }]);
  });

  test('more than 20 tags on a resource → NumberExceed.Tags, nothing written', async () => {
    const tags = (n: number, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [[`Tag.${i + 1}.Key`, `k${i + from}`], [`Tag.${i + 1}.Value`, 'v']]).flat());
    expect((await failure(call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, ...tags(21) }))).code).toBe('NumberExceed.Tags');
    await call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, ...tags(19) });
    expect(await tagsOf('ContainerGroup', GROUP)).toHaveLength(20);
    const err = await failure(call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'ResourceId.2': G2, ...tags(1, 100) }));
    expect(err.code).toBe('NumberExceed.Tags');
    expect(await tagsOf('ContainerGroup', G2)).toHaveLength(2);
  });

  test.each([
    ['empty', ''],
    ['too long', 'k'.repeat(129)],
    ['aliyun prefix', 'aliyun-owner'],
    ['acs: prefix', 'acs:system'],
    ['a URL', 'see http://example.com'],
  ])('a tag key that is %s → InvalidParameter', async (_n, key) => {
    const err = await failure(call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': key, 'Tag.1.Value': 'v' }));
    expect(err).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
    expect(await tagsOf('ContainerGroup', GROUP)).toHaveLength(1);
  });

  test('a 128-character key and value are fine; no Tag → MissingParameter', async () => {
    await call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'k'.repeat(128), 'Tag.1.Value': 'v'.repeat(128) });
    const err = await failure(call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP }));
    expect(err.code).toBe('MissingParameter');
    const err2 = await failure(call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v'.repeat(129) }));
    expect(err2.code).toBe('InvalidParameter');
  });
});

describe('ListTagResources', () => {
  test('filters by Tag.N and returns every tag of the matching resources', async () => {
    const body = await call('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' });
    expect(body.TagResources).toEqual([
      { ResourceId: G2, ResourceType: 'ContainerGroup', TagKey: 'env', TagValue: 'prod' },
      { ResourceId: G2, ResourceType: 'ContainerGroup', TagKey: 'team', TagValue: 'infra' },
    ]);
    const byKey = await call('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'Tag.1.Key': 'env' });
    expect(new Set(byKey.TagResources.map((r: any) => r.ResourceId))).toEqual(new Set([GROUP, G2, 'eci-terminating00001']));
  });

  test('pages with Limit and NextToken; a forged token → InvalidParameter', async () => {
    const tags = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [[`Tag.${i + 1}.Key`, `k${String(i).padStart(2, '0')}`], [`Tag.${i + 1}.Value`, 'v']]).flat());
    await call('TagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, ...tags });
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const body = await legacyCall(t.url)('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP, Limit: 7, ...(token ? { NextToken: token } : {}) });
      expectSchema('eci/ListTagResources.response.json', body);
      seen.push(...body.TagResources.map((r: any) => r.TagKey));
      token = body.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(16);
    expect(new Set(seen).size).toBe(16);
    const err = await failure(call('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', NextToken: 'forged' }));
    expect(err).toMatchObject({ code: 'InvalidParameter' });
    expect(err.message).toContain('NextToken');
    expect((await failure(call('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', Limit: 0 }))).code).toBe('InvalidParameter');
  });

  test('unknown ids are simply not listed', async () => {
    const body = await call('ListTagResources', { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': 'eci-nosuch0000000001' });
    expect(body).toMatchObject({ NextToken: '', TagResources: [] });
  });
});
