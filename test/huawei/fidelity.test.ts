/**
 * Issue 15, Huawei KooPhone: the gateway's code spelling, unknown paths under /v1/, the error
 * table's state codes, and whose id X-Request-Id carries. Each test reproduces a finding.
 */
import type { TestEmulator } from '../support/emulator.js';
import { startTestEmulator } from '../support/emulator.js';
import { AK, OTHER_PROJECT, PROJECT, TOKEN, huaweiWorld, instance, sign } from '../support/worlds/huawei.js';
import { expectHuaweiResponse, statusOf } from './support.js';

const GATEWAY = 'huawei/gateway/error.response.json';
const HEX32 = /^[0-9a-f]{32}$/;

async function start(instances: Array<Record<string, unknown>>, projects?: Array<Record<string, unknown>>): Promise<TestEmulator> {
  const t = await startTestEmulator();
  await t.seed(huaweiWorld(instances, { projects }));
  return t;
}

const setting = (t: TestEmulator, key: string, value: unknown) => t.http.patch('/_emulator/settings').send({ [key]: value }).expect(200);

async function reboot(t: TestEmulator, ids: string[], headers: Record<string, string> = { 'X-Auth-Token': TOKEN, 'x-request-id': 'client-1' }) {
  const r = t.http.post('/v1/instances/reboot').set('Content-Type', 'application/json');
  for (const [k, v] of Object.entries(headers)) r.set(k, v);
  const res = await r.send(JSON.stringify({ instance_ids: ids }));
  expectHuaweiResponse(t, res, 'huawei/koophone/reboot.response.json');
  return res;
}

describe('the gateway spells its codes APIGW. by default (real responses, signing guide)', () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await start([instance('a44uhlf7')])));
  afterEach(() => t.close());

  test('an unknown AK: 401 APIGW.0301 "ak X not exist", as a real response quotes it', async () => {
    const body = JSON.stringify({ instance_ids: ['a44uhlf7'] });
    const headers = sign({ method: 'POST', path: '/v1/instances/reboot', headers: { 'Content-Type': 'application/json', Host: new URL(t.url).host, 'X-Sdk-Date': '20260115T080000Z', 'x-request-id': 'r' }, body, ak: 'NOSUCHAK' });
    const r = t.http.post('/v1/instances/reboot');
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    const res = await r.send(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error_msg: 'Incorrect IAM authentication information: ak NOSUCHAK not exist', error_code: 'APIGW.0301', request_id: expect.stringMatching(HEX32) });
    expectHuaweiResponse(t, res, GATEWAY);
  });

  test('huawei.gateway.codePrefix=APIG answers APIG.0301 and APIG.0307 instead', async () => {
    await setting(t, 'huawei.gateway.codePrefix', 'APIG');
    expect((await reboot(t, ['a44uhlf7'], { 'X-Auth-Token': 'nope' })).body.error_code).toBe('APIG.0301');
    await t.advance(31 * 60 * 1000);
    const expired = await reboot(t, ['a44uhlf7'], { 'X-Auth-Token': 'test-token-expiring' });
    expect(expired.body).toEqual({ error_msg: 'The token must be updated.', error_code: 'APIG.0307', request_id: expect.stringMatching(HEX32) });
    const journal = await t.http.get('/_emulator/requests?provider=huawei');
    expect(journal.body.requests.map((r: { errorCode?: string }) => r.errorCode)).toEqual(expect.arrayContaining(['APIG.0301', 'APIG.0307']));
  });

  test('the setting is a choice: another spelling is refused', async () => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.gateway.codePrefix': 'APIGX' }).expect(400);
  });
});

describe('unknown paths under /v1/ are the gateway\'s 404 APIGW.0101', () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await start([instance('a44uhlf7')])));
  afterEach(() => t.close());

  test.each([
    ['GET', '/v1/servers'],
    ['POST', '/v1/instances-reboot'],
    ['GET', '/v1'],
    ['DELETE', '/v1/0123456789abcdef0123456789abcdef/cloud-phone/phones'],
  ])('%s %s', async (method, path) => {
    const res = await t.http[method.toLowerCase() as 'get'](path).set('X-Auth-Token', TOKEN);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error_msg: expect.stringMatching(/^The API does not exist or has not been published in the environment \(cloud-api-emulator does not emulate .+\)$/), error_code: 'APIGW.0101', request_id: expect.stringMatching(HEX32) });
    expectHuaweiResponse(t, res, GATEWAY);
    expect(res.headers['x-request-id']).toBe(res.body.request_id);
  });

  test('the APIG spelling keeps the APIG table\'s wording', async () => {
    await setting(t, 'huawei.gateway.codePrefix', 'APIG');
    const res = await t.http.get('/v1/servers');
    expect(res.body).toEqual({ error_msg: expect.stringMatching(/^The API does not exist or has not been published in the environment\. \(cloud-api-emulator does not emulate .+\)$/), error_code: 'APIG.0101', request_id: expect.stringMatching(HEX32) });
  });
});

describe("the error table's state codes come from seeded state", () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await start(
      [
        instance('running1'),
        instance('frozen01', { frozen_status: 1 }),
        instance('restore1', { restore_status: 1 }),
        instance('backup01', { backup_status: 1 }),
        instance('restored', { restore_status: 2, backup_status: 3 }),
        instance('stopped1', { running_status: 1 }),
        instance('unsub001', { project_id: OTHER_PROJECT }),
      ],
      [{ project_id: OTHER_PROJECT, subscribed: false }, { project_id: PROJECT }],
    );
  });
  afterEach(() => t.close());

  test.each([
    ['frozen01', 'KOOPHONE.API.2004', 'the instance already frozen.'],
    ['restore1', 'KOOPHONE.API.2005', 'the instance is in recover.'],
    ['backup01', 'KOOPHONE.API.2006', 'the instance is in backup.'],
  ])('rebooting %s answers %s with HTTP 200 (the current table), and nothing reboots', async (id, code, message) => {
    const res = await reboot(t, ['running1', id]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_code: code, error_msg: message });
    expect(await statusOf(t, ['running1', id])).toEqual([2, 2]);
  });

  test('huawei.koophone.stateErrorStatus=400 answers them with 400', async () => {
    await setting(t, 'huawei.koophone.stateErrorStatus', 400);
    const res = await reboot(t, ['frozen01']);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.2004');
    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.stateErrorStatus': 404 }).expect(400);
  });

  test('a finished restore or a failed backup does not block a reboot; a stopped one is still 5005', async () => {
    expect((await reboot(t, ['restored'])).body).toEqual({ error_code: '0', error_msg: 'OK' });
    expect((await reboot(t, ['stopped1'])).body.error_code).toBe('KOOPHONE.API.5005');
  });

  test('frozen is answered before not-running, and an unknown id before both', async () => {
    expect((await reboot(t, ['stopped1', 'frozen01'])).body.error_code).toBe('KOOPHONE.API.2004');
    expect((await reboot(t, ['frozen01', 'ghost'])).body.error_code).toBe('KOOPHONE.API.1001');
  });

  test('a project that has not subscribed gets 1004 from every KooPhone call', async () => {
    const headers = { 'X-Auth-Token': 'test-token-project-b', 'x-request-id': 'r' };
    const rebooted = await reboot(t, ['unsub001'], headers);
    expect(rebooted.status).toBe(200);
    expect(rebooted.body).toEqual({ error_code: 'KOOPHONE.API.1004', error_msg: 'Services not subscribed.' });
    const status = await t.http.post('/v1/instances/batch-query-status').set(headers).set('Content-Type', 'application/json').send({ instance_ids: ['unsub001'] });
    expect(status.body.error_code).toBe('KOOPHONE.API.1004');
    const listed = await t.http.get('/v1/instances/batch-query?x-request-id=r&page_no=1&page_size=10').set(headers);
    expect(listed.body).toEqual({ error_code: 'KOOPHONE.API.1004', error_msg: 'Services not subscribed.' });
    // The subscribed project (listed explicitly) is served.
    expect((await t.http.get('/v1/instances/batch-query?x-request-id=r&page_no=1&page_size=10').set('X-Auth-Token', TOKEN)).body.data.total_count).toBe(6);
  });

  test('reads show a frozen instance as it is', async () => {
    const listed = await t.http.get('/v1/instances/batch-query?x-request-id=r&page_no=1&page_size=10&instance_id=frozen01').set('X-Auth-Token', TOKEN);
    expect(listed.body.data.result[0]).toMatchObject({ frozen_status: 1, running_status: 2 });
  });
});

describe('X-Request-Id is the gateway\'s own id by default', () => {
  let t: TestEmulator;
  beforeEach(async () => (t = await start([instance('a44uhlf7'), instance('stopped1', { running_status: 1 })])));
  afterEach(() => t.close());

  test('a gateway error: the header and the body\'s request_id are the same id, not the client\'s', async () => {
    const res = await reboot(t, ['a44uhlf7'], { 'x-request-id': 'client-1' });
    expect(res.status).toBe(401);
    expect(res.headers['x-request-id']).toBe(res.body.request_id);
    expect(res.headers['x-request-id']).not.toBe('client-1');
  });

  test('success and service errors carry a fresh 32-hex id per request', async () => {
    const ok = await reboot(t, ['a44uhlf7']);
    const refused = await reboot(t, ['stopped1']);
    expect(ok.headers['x-request-id']).toMatch(HEX32);
    expect(refused.headers['x-request-id']).toMatch(HEX32);
    expect(ok.headers['x-request-id']).not.toBe(refused.headers['x-request-id']);
  });

  test('requestIdHeader=echo echoes the client on service answers, never on gateway errors', async () => {
    await setting(t, 'huawei.gateway.requestIdHeader', 'echo');
    expect((await reboot(t, ['stopped1'])).headers['x-request-id']).toBe('client-1');
    const denied = await reboot(t, ['a44uhlf7'], { 'X-Auth-Token': 'nope', 'x-request-id': 'client-2' });
    expect(denied.headers['x-request-id']).toBe(denied.body.request_id);
    const signed = sign({ method: 'POST', path: '/v1/instances/reboot', headers: { 'Content-Type': 'application/json', Host: new URL(t.url).host, 'X-Sdk-Date': '20260115T080000Z', 'x-request-id': 'client-3' }, body: JSON.stringify({ instance_ids: ['a44uhlf7'] }), ak: AK });
    expect((await reboot(t, ['a44uhlf7'], signed)).headers['x-request-id']).toBe('client-3');
  });
});
