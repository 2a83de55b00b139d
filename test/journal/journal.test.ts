/**
 * The request journal answers "what exactly did my code send, and what did it change?": the client's
 * request id, the decoded params (credentials redacted), the resources, the reason, field changes and
 * unmatched operations, queried by every filter (an unknown one is a 400) and counted.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ACCESS_KEYS, eciSdk, EciModels, failure, GROUP, group, legacyCall, signRpc } from '../alibaba/eci/support.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.reset({ empty: true });
  await t.seed({
    alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP), group('eci-2zelg8vwnlzdhf8hv0002')] } },
    huawei: {
      tokens: [{ token: 'journal-token', projectId: PROJECT }],
      koophone: { instances: [{ instance_id: 'phone-a', project_id: PROJECT, running_status: 2 }, { instance_id: 'phone-off', project_id: PROJECT, running_status: 1 }] },
    },
  });
  await t.http.delete('/_emulator/requests').expect(200);
});

const reboot = (ids: string[], requestId = 'my-req-1') =>
  t.http.post('/v1/instances/reboot').set('X-Auth-Token', 'journal-token').set('x-request-id', requestId).send({ instance_ids: ids });

describe('journal entries', () => {
  test('which ids did my code reboot, and with which request id: one query answers', async () => {
    await reboot(['phone-a'], 'trace-42').expect(200);
    const { requests } = (await t.http.get('/_emulator/requests').query({ provider: 'huawei', operation: 'BatchRebootInstance' }).expect(200)).body;
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      provider: 'huawei',
      operation: 'BatchRebootInstance',
      clientRequestId: 'trace-42',
      params: { body: { instance_ids: ['phone-a'] } },
      resources: ['phone-a'],
      status: 200,
      changes: [{ collection: 'huawei.koophone.instances', id: 'phone-a', field: 'running_status', from: 2, to: 4 }],
    });
  });

  test('an Alibaba restart through the SDK: its ClientToken is there, its signature is not', async () => {
    const client = eciSdk(t.url);
    await client.restartContainerGroup(new EciModels.RestartContainerGroupRequest({ regionId: 'cn-hangzhou', containerGroupId: GROUP, clientToken: 'tok-7' }));
    const [entry] = (await t.http.get('/_emulator/requests').query({ resourceId: GROUP }).expect(200)).body.requests;
    expect(entry.params).toMatchObject({ ContainerGroupId: GROUP, ClientToken: 'tok-7' });
    expect(entry.changes).toEqual(expect.arrayContaining([expect.objectContaining({ id: GROUP, field: 'Status', from: 'Running', to: 'Restarting' })]));
    // An RPC-signed call: the signature and the key's secret never reach the journal.
    const signed = signRpc('GET', 'DescribeContainerGroups', { RegionId: 'cn-hangzhou' });
    await t.http.get(`/?${new URLSearchParams(signed)}`).expect(200);
    const rpc = (await t.http.get('/_emulator/requests').query({ operation: 'DescribeContainerGroups' })).body.requests[0];
    expect(rpc.params.Signature).toBe('[redacted]');
    expect(JSON.stringify(rpc)).not.toContain(signed.Signature);
  });

  test('a refusal carries the emulator reason; a read changes nothing', async () => {
    await reboot(['phone-off']).expect(400);
    await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', 'journal-token').set('x-request-id', 'r').send({ instance_ids: ['phone-a'] }).expect(200);
    const { requests } = (await t.http.get('/_emulator/requests').query({ provider: 'huawei' })).body;
    expect(requests[0]).toMatchObject({ status: 400, errorCode: 'KOOPHONE.API.5005', reason: 'instance phone-off is stopped (running_status 1); a reboot needs running (2) for every instance, so none was rebooted' });
    expect(requests[1].changes).toBeUndefined();
  });

  test('validation failures say what was wrong in plain words', async () => {
    await t.http.post('/v1/instances/reboot').set('X-Auth-Token', 'journal-token').set('x-request-id', 'r').send({ instance_ids: 'phone-a' }).expect(400);
    const [entry] = (await t.http.get('/_emulator/requests').query({ errorCode: 'KOOPHONE.API.1000' })).body.requests;
    expect(entry.reason).toMatch(/does not match huawei\/koophone\/reboot\.request\.json: .*instance_ids/);
  });

  test('a body\'s __proto__ and constructor keys are shown as keys, a password in them still redacted', async () => {
    const body = '{"instance_ids":["phone-a"],"__proto__":{"password":"p1","x":1},"constructor":{"token":"t1"}}';
    await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', 'journal-token').set('x-request-id', 'keys').set('content-type', 'application/json').send(body);
    const [entry] = (await t.http.get('/_emulator/requests').query({ provider: 'huawei' }).expect(200)).body.requests;
    expect(entry.params.body.__proto__).toEqual({ password: '[redacted]', x: 1 });
    expect(entry.params.body.constructor).toEqual({ token: '[redacted]' });
    expect(JSON.stringify(entry)).not.toMatch(/p1|t1/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('an entry says when the request was served, however late it is read, with its fields in one order', async () => {
    const served = (await t.http.get('/_emulator/clock')).body.now;
    await reboot(['phone-a'], 'when').expect(200);
    await t.http.post('/_emulator/clock').send({ advanceMs: 3_600_000 }).expect(200);
    const [entry] = (await t.http.get('/_emulator/requests').query({ provider: 'huawei' }).expect(200)).body.requests;
    expect(entry.at).toBe(served);
    expect(Object.keys(entry).slice(0, 5)).toEqual(['id', 'clientRequestId', 'at', 'method', 'path']);
  });
});

describe('requests no provider claims', () => {
  test('a path under a provider\'s first segment that it does not serve: the JSON 404, journaled once; a browser at / still goes to the dashboard', async () => {
    const res = await t.http.get('/v3/nothing-here?x=1').expect(404);
    expect(res.body.errors[0]).toEqual({ code: 'not_found', message: 'no emulated API serves GET /v3/nothing-here' });
    const { requests } = (await t.http.get('/_emulator/requests').expect(200)).body;
    expect(requests.filter((r: { path: string }) => r.path === '/v3/nothing-here?x=1')).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/v3/nothing-here?x=1', status: 404 });
    await t.http.get('/').set('Accept', 'text/html').expect(302).expect('Location', '/_emulator/ui/');
  });
});

describe('queries', () => {
  test('every filter, the count, and an unknown filter refused', async () => {
    await reboot(['phone-a']).expect(200);
    await reboot(['phone-off']).expect(400);
    await t.http.post('/_emulator/clock').send({ advanceMs: 60_000 }).expect(200);
    const later = (await t.http.get('/_emulator/clock')).body.now;
    await reboot(['phone-off']).expect(400);
    const q = async (query: Record<string, string>) => (await t.http.get('/_emulator/requests').query(query).expect(200)).body.requests.length;
    const count = async (query: Record<string, string>) => (await t.http.get('/_emulator/requests/count').query(query).expect(200)).body.count;
    expect(await q({ provider: 'huawei' })).toBe(3);
    expect(await q({ status: '400' })).toBe(2);
    expect(await q({ errorCode: 'KOOPHONE.API.5005' })).toBe(2);
    expect(await q({ resourceId: 'phone-off' })).toBe(2);
    expect(await q({ resourceId: 'phone-a' })).toBe(1);
    expect(await q({ since: later })).toBe(1);
    expect(await q({ provider: 'huawei', limit: '1' })).toBe(1);
    expect(await q({ unmatched: 'true' })).toBe(0);
    expect(await count({ provider: 'huawei', status: '200' })).toBe(1);
    expect(await count({})).toBe(3);
    for (const bad of [{ status: '503x' }, { nope: '1' }, { unmatched: 'maybe' }, { since: 'yesterday' }, { limit: '-1' }]) {
      const res = await t.http.get('/_emulator/requests').query(bad).expect(400);
      expect(res.body.errors[0].message).toMatch(/filter|must|unknown query parameter/);
    }
    await t.http.get('/_emulator/requests/count').query({ limit: '1' }).expect(400);
  });

  test('bounded by bytes, not only by count (counted, the oldest dropped first)', async () => {
    const { Journal } = await import('../../src/core/journal.js');
    const j = new Journal(1000, 10_000);
    for (let i = 0; i < 200; i++) j.add({ id: `r${i}`, at: '', method: 'POST', path: '/x', params: { pad: 'x'.repeat(400) } }, i);
    expect(j.size.bytes).toBeLessThanOrEqual(10_000);
    const kept = j.query();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(200);
    expect(kept.at(-1)!.id).toBe('r199');
  });
});

describe('operations the emulator does not emulate', () => {
  test('each provider answers its own not-found envelope, says so, and the journal marks it unmatched', async () => {
    const ali = await t.http.get('/').query({ Action: 'CreateContainerGroup', Version: '2018-08-08', RegionId: 'cn-hangzhou', AccessKeyId: 'LTAI5tANY' }).expect(404);
    expect(ali.body).toMatchObject({ Code: 'InvalidAction.NotFound' });
    expect(ali.body.Message).toContain('does not emulate CreateContainerGroup');
    const ece = await t.http.get('/api/v1/platform').expect(404);
    expect(ece.body.errors[0]).toMatchObject({ code: 'root.resource_not_found' });
    expect(ece.body.errors[0].message).toContain('does not emulate GET /api/v1/platform');
    const hw = await t.http.post('/v1/instances/batch-stop').set('X-Auth-Token', 'journal-token').send({}).expect(404);
    expect(hw.body.error_msg).toContain('does not emulate POST /v1/instances/batch-stop');
    const unmatched = (await t.http.get('/_emulator/requests').query({ unmatched: 'true' })).body.requests;
    expect(unmatched.map((r: any) => [r.provider, r.operation])).toEqual([
      ['alibaba', 'CreateContainerGroup'],
      ['elastic', 'GET /api/v1/platform'],
      ['huawei', 'POST /v1/instances/batch-stop'],
    ]);
    // The SDK fails as it would on an unknown API.
    const err = await failure(legacyCall(t.url)('DeleteContainerGroup', { RegionId: 'cn-hangzhou', ContainerGroupId: GROUP }));
    expect(err.code).toBe('InvalidAction.NotFound');
    expect(err.message).toContain('does not emulate DeleteContainerGroup');
  });
});

test('a journal of size 0 records nothing and costs no copies', async () => {
  const quiet = await startTestEmulator({ journalSize: 0 });
  try {
    await quiet.seed({ huawei: { tokens: [{ token: 'q', projectId: PROJECT }], koophone: { instances: [{ instance_id: 'p', project_id: PROJECT, running_status: 2 }] } } });
    await request(quiet.url).post('/v1/instances/reboot').set('X-Auth-Token', 'q').set('x-request-id', 'r').send({ instance_ids: ['p'] }).expect(200);
    expect((await request(quiet.url).get('/_emulator/requests/count')).body.count).toBe(0);
  } finally {
    await quiet.close();
  }
});
