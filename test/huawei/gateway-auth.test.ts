/** The API gateway in front of KooPhone: tokens, AK/SK signatures, its exact 401 bodies, request ids. */
import type { TestEmulator } from '../support/emulator.js';
import { AK, TOKEN, expectHuaweiResponse, expectSchema, instance, signedHeaders, startHuawei, statusOf } from './support.js';

const GATEWAY = 'huawei/gateway/error.response.json';
const BODY = JSON.stringify({ instance_ids: ['a44uhlf7'] });

describe('Huawei API gateway auth', () => {
  let t: TestEmulator;
  let host: string;
  beforeEach(async () => {
    t = await startHuawei([instance('a44uhlf7')]);
    host = new URL(t.url).host;
  });
  afterEach(() => t.close());

  const post = async (headers: Record<string, string>, body = BODY, path = '/v1/instances/reboot') => {
    const r = t.http.post(path);
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    const res = await r.send(body);
    expectHuaweiResponse(t, res, 'huawei/koophone/reboot.response.json');
    return res;
  };

  test('no credentials: 401 APIGW.0301 x-auth-token not found, with a 32-hex request_id', async () => {
    const res = await post({ 'Content-Type': 'application/json', 'x-request-id': 'mine' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error_msg: 'Incorrect IAM authentication information: x-auth-token not found', error_code: 'APIGW.0301', request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expectSchema(t, GATEWAY, res.body);
    // The gateway answers with its own id, in the header and the body alike (issue 15), not the client's.
    expect(res.headers['x-request-id']).toBe(res.body.request_id);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
  });

  test('auth runs before KooPhone checks: a bad body without credentials is still 401', async () => {
    const res = await post({ 'Content-Type': 'application/json' }, '{broken');
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
  });

  test('an unknown token: 401 APIGW.0301 decrypt token fail', async () => {
    const res = await post({ 'X-Auth-Token': 'MIInot-a-real-token', 'x-request-id': 'r' });
    expect(res.status).toBe(401);
    expect(res.body.error_msg).toBe('Incorrect IAM authentication information: decrypt token fail');
    expect(res.body.error_code).toBe('APIGW.0301');
    expectSchema(t, GATEWAY, res.body);
  });

  test('a token expires on the emulator clock: then 401 APIGW.0307', async () => {
    const before = await post({ 'X-Auth-Token': 'test-token-expiring', 'x-request-id': 'r', 'Content-Type': 'application/json' });
    expect(before.status).toBe(200);
    await t.advance(30 * 60 * 1000);
    const after = await post({ 'X-Auth-Token': 'test-token-expiring', 'x-request-id': 'r', 'Content-Type': 'application/json' });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error_msg: 'The token must be updated.', error_code: 'APIGW.0307', request_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expectSchema(t, GATEWAY, after.body);
  });

  test('a request id is generated when the client sends none, on success and error alike', async () => {
    const denied = await post({});
    expect(denied.headers['x-request-id']).toBe(denied.body.request_id);
    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.requireRequestId': false }).expect(200);
    const ok = await post({ 'X-Auth-Token': TOKEN, 'Content-Type': 'application/json' });
    expect(ok.body).toEqual({ error_code: '0', error_msg: 'OK' });
    expect(ok.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const other = await t.http.get('/v1/instances/batch-query?page_no=1&page_size=10').set('X-Auth-Token', TOKEN);
    expect(other.body.error_code).toBe('0');
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(other.headers['x-request-id']).not.toBe(ok.headers['x-request-id']);
    await t.http.patch('/_emulator/settings').send({ 'huawei.gateway.requestIdHeader': 'echo' }).expect(200);
    const fromQuery = await t.http.get('/v1/instances/batch-query?page_no=1&page_size=10&x-request-id=from-query').set('X-Auth-Token', TOKEN);
    expect(fromQuery.headers['x-request-id']).toBe('from-query');
  });

  test('an API the gateway does not have: 404 APIGW.0101 (before auth)', async () => {
    const res = await t.http.post('/v1/instances/batch-reset').send('{}');
    expect(res.status).toBe(404);
    expect(res.body.error_code).toBe('APIGW.0101');
    expectSchema(t, GATEWAY, res.body);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const wrongMethod = await t.http.get('/v1/instances/reboot').set('X-Auth-Token', TOKEN);
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.error_code).toBe('APIGW.0101');
  });

  test('a body over the limit: 413 APIGW.0201', async () => {
    const huge = JSON.stringify({ instance_ids: Array.from({ length: 40000 }, (_, i) => `id-${i}-${'x'.repeat(24)}`) });
    const res = await post({ 'X-Auth-Token': TOKEN, 'x-request-id': 'r', 'Content-Type': 'application/json' }, huge);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error_msg: 'Request entity too large.', error_code: 'APIGW.0201', request_id: expect.any(String) });
    expectSchema(t, GATEWAY, res.body);
  });

  describe('SDK-HMAC-SHA256', () => {
    const date = '20260115T080000Z';
    const base = () => ({ 'Content-Type': 'application/json', Host: host, 'X-Project-Id': '0123456789abcdef0123456789abcdef', 'x-request-id': 'signed-1', 'X-Sdk-Date': date });

    test('a request signed per the signing guide is accepted', async () => {
      const res = await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: base(), body: BODY }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error_code: '0', error_msg: 'OK' });
      expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
    });

    test('a signed GET with a query string is accepted', async () => {
      const query = { page_no: '1', page_size: '10', 'x-request-id': 'q 1', instance_name: 'a/b c' };
      const headers = signedHeaders({ method: 'GET', path: '/v1/instances/batch-query', query, headers: { Host: host, 'X-Sdk-Date': date } });
      const r = t.http.get('/v1/instances/batch-query?page_no=1&page_size=10&x-request-id=q%201&instance_name=a%2Fb%20c');
      for (const [k, v] of Object.entries(headers)) r.set(k, v);
      const res = await r;
      expect(res.status).toBe(200);
      expect(res.body.data.total_count).toBe(0);
    });

    test('a tampered body fails the signature: 401 verify aksk signature fail', async () => {
      const headers = signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: base(), body: BODY });
      const res = await post(headers, JSON.stringify({ instance_ids: ['b71kq2ms'] }));
      expect(res.status).toBe(401);
      expect(res.body.error_msg).toBe('Incorrect IAM authentication information: verify aksk signature fail');
      expect(res.body.error_code).toBe('APIGW.0301');
      expectSchema(t, GATEWAY, res.body);
    });

    test('a wrong secret key fails the signature', async () => {
      const res = await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: base(), body: BODY, sk: 'not-the-secret' }));
      expect(res.status).toBe(401);
      expect(res.body.error_msg).toBe('Incorrect IAM authentication information: verify aksk signature fail');
    });

    test('an unknown AK: 401 Get secretKey failed (the APIG FAQ wording, codePrefix APIG)', async () => {
      await t.http.patch('/_emulator/settings').send({ 'huawei.gateway.codePrefix': 'APIG' }).expect(200);
      const res = await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: base(), body: BODY, ak: 'UNKNOWNAK' }));
      expect(res.status).toBe(401);
      expect(res.body.error_code).toBe('APIG.0301');
      expect(res.body.error_msg).toBe('Incorrect IAM authentication information: Get secretKey failed,ak:UNKNOWNAK,err:ak not exist');
      expectSchema(t, GATEWAY, res.body);
    });

    test('a signature more than 15 minutes off the emulator clock has expired; the window is a setting', async () => {
      const stale = { ...base(), 'X-Sdk-Date': '20260115T074459Z' };
      const res = await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: stale, body: BODY }));
      expect(res.status).toBe(401);
      expect(res.body.error_msg).toBe('Incorrect IAM authentication information: signature expired, signature time:20260115T074459Z,server time:20260115T080000Z');
      const edge = { ...base(), 'X-Sdk-Date': '20260115T074500Z' };
      expect((await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: edge, body: BODY }))).status).toBe(200);
      await t.http.patch('/_emulator/settings').send({ 'huawei.gateway.sdkDateSkewSeconds': 0 }).expect(200);
      await t.advance(2000);
      const old = { ...base(), 'X-Sdk-Date': '20200101T000000Z' };
      const res2 = await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: old, body: BODY }));
      expect(res2.body.error_code).toBe('0');
    });

    test('a malformed Authorization or X-Sdk-Date fails the signature', async () => {
      const noDate = signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: { ...base(), 'X-Sdk-Date': '2026-01-15T08:00:00Z' }, body: BODY });
      expect((await post(noDate)).body.error_msg).toBe('Incorrect IAM authentication information: verify aksk signature fail');
      const garbled = await post({ ...base(), Authorization: `SDK-HMAC-SHA256 Access=${AK}, Signature=zz` });
      expect(garbled.status).toBe(401);
      expect(garbled.body.error_msg).toBe('Incorrect IAM authentication information: verify aksk signature fail');
    });

    test('an X-Project-Id that is not the key\'s project is refused', async () => {
      const res = await post(signedHeaders({ method: 'POST', path: '/v1/instances/reboot', headers: { ...base(), 'X-Project-Id': 'fedcba9876543210fedcba9876543210' }, body: BODY }));
      expect(res.status).toBe(401);
      expect(res.body.error_code).toBe('APIGW.0301');
    });

    test('another scheme in Authorization is no credential at all', async () => {
      const res = await post({ Authorization: 'Bearer abc', 'x-request-id': 'r' });
      expect(res.status).toBe(401);
      expect(res.body.error_msg).toBe('Incorrect IAM authentication information: x-auth-token not found');
    });
  });
});
