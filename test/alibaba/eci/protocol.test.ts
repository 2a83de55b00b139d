/**
 * The RPC protocol as the three official clients speak it: both signatures, every way a signature
 * or credential fails (default and strict mode), the operation lookup, the envelope and the SDK
 * exceptions it becomes, faults, and bodies the router must survive.
 */
import request from 'supertest';
import type { TestEmulator } from '../../support/emulator.js';
import { startTestEmulator } from '../../support/emulator.js';
import {
  ACCESS_KEYS, coreCall, EciModels, eciSdk, expectEnvelope, expectSchema, failure, group, GROUP, KEY, legacyCall, popCall, queryString, signAcs3, signRpc, startEci,
} from './support.js';

const REGION = 'cn-hangzhou';
const LIST = { RegionId: REGION, ResourceType: 'ContainerGroup', 'ResourceId.1': GROUP };
const WRONG = { accessKeyId: KEY.accessKeyId, accessKeySecret: 'NotTheSecret' };
let t: TestEmulator;

beforeEach(async () => {
  t = await startEci();
});
afterEach(() => t.close());

const strict = () => request(t.url).patch('/_emulator/settings').send({ 'alibaba.strictAuth': true }).expect(200);
const host = () => new URL(t.url).host;

describe('every official client is accepted', () => {
  test.each([
    ['openapi-core, ACS3-HMAC-SHA256', () => coreCall(t.url)],
    ['openapi-core, signatureAlgorithm v2', () => coreCall(t.url, KEY, { signatureAlgorithm: 'v2' })],
    ['openapi-client, ACS3-HMAC-SHA256', () => legacyCall(t.url)],
    ['openapi-client, signatureAlgorithm v2', () => legacyCall(t.url, KEY, { signatureAlgorithm: 'v2' })],
    ['pop-core GET', () => popCall(t.url)],
    ['pop-core POST form', () => popCall(t.url, KEY, 'POST')],
  ])('%s', async (_name, make) => {
    const body = await make()('ListTagResources', LIST);
    expectSchema('eci/ListTagResources.response.json', body);
    expect(body.TagResources).toEqual([{ ResourceId: GROUP, ResourceType: 'ContainerGroup', TagKey: 'env', TagValue: 'test' }]);
  });

  test('the generated ECI SDK, with either signature', async () => {
    for (const extra of [{}, { signatureAlgorithm: 'v2' }]) {
      const res = await eciSdk(t.url, KEY, extra).describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: REGION }));
      expect(res.body.containerGroups.map((g: any) => g.containerGroupId)).toEqual([GROUP]);
    }
  });

  test('a hand-signed ACS3 request (as the generated SDKs sign) verifies', async () => {
    const query = { ClientToken: '123e4567-e89b-12d3-a456-426614174000', ContainerGroupId: GROUP, RegionId: REGION };
    const res = await request(t.url).post(`/?${queryString(query)}`).set(signAcs3(host(), 'RestartContainerGroup', query));
    expect(res.status).toBe(200);
    expectSchema('eci/RestartContainerGroup.response.json', res.body);
  });
});

describe('signature failures', () => {
  test.each([
    ['openapi-core ACS3', () => coreCall(t.url, WRONG), 'ClientError'],
    ['openapi-core v2', () => coreCall(t.url, WRONG, { signatureAlgorithm: 'v2' }), 'ClientError'],
    ['openapi-client ACS3', () => legacyCall(t.url, WRONG), 'Error'],
    ['openapi-client v2', () => legacyCall(t.url, WRONG, { signatureAlgorithm: 'v2' }), 'Error'],
    ['pop-core GET', () => popCall(t.url, WRONG), 'SignatureDoesNotMatchError'],
    ['pop-core POST', () => popCall(t.url, WRONG, 'POST'), 'SignatureDoesNotMatchError'],
  ])('a known key with a wrong secret: %s → SignatureDoesNotMatch', async (_n, make, name) => {
    const err = await failure(make()('ListTagResources', LIST));
    expect(err.name).toBe(name);
    expect(err.code).toBe('SignatureDoesNotMatch');
    expect(err.data).toMatchObject({ Code: 'SignatureDoesNotMatch', HostId: 'eci.aliyuncs.com' });
    if (name !== 'SignatureDoesNotMatchError') expect(err.statusCode).toBe(400);
  });

  test('a param changed after signing → SignatureDoesNotMatch, for both signatures', async () => {
    const signed = signRpc('GET', 'ListTagResources', LIST);
    const tampered = await request(t.url).get(`/?${queryString({ ...signed, RegionId: 'cn-beijing' })}`);
    expectEnvelope(tampered, 400, 'SignatureDoesNotMatch');
    expect(tampered.body.Message).toContain('GET&%2F&AccessKeyId');

    const headers = signAcs3(host(), 'ListTagResources', LIST);
    const res = await request(t.url).post(`/?${queryString({ ...LIST, RegionId: 'cn-beijing' })}`).set(headers);
    expectEnvelope(res, 400, 'SignatureDoesNotMatch');
    const asOtherAction = await request(t.url).post(`/?${queryString(LIST)}`).set({ ...headers, 'x-acs-action': 'UntagResources' });
    expectEnvelope(asOtherAction, 400, 'SignatureDoesNotMatch');
  });

  test('a body that does not hash to x-acs-content-sha256 → SignatureDoesNotMatch', async () => {
    const headers = signAcs3(host(), 'ListTagResources', LIST);
    const res = await request(t.url).post(`/?${queryString(LIST)}`).set(headers).set('content-type', 'application/x-www-form-urlencoded').send('ResourceType=DataCache');
    expectEnvelope(res, 400, 'SignatureDoesNotMatch');
  });

  test('an ACS3 signature that leaves x-acs-action unsigned → IncompleteSignature', async () => {
    const headers = signAcs3(host(), 'ListTagResources', LIST);
    const unsigned = headers.authorization!.replace('host;x-acs-action;', 'host;');
    const res = await request(t.url).post(`/?${queryString(LIST)}`).set({ ...headers, authorization: unsigned });
    expectEnvelope(res, 400, 'IncompleteSignature');
    expect(res.body.Message).toContain('x-acs-action');
  });

  test('the statuses the pages disagree on are settings: SignatureDoesNotMatch 403, InvalidAccessKeyId.NotFound 400', async () => {
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.signatureMismatchStatus': 403, 'alibaba.unknownKeyStatus': 400, 'alibaba.strictAuth': true }).expect(200);
    const err = await failure(coreCall(t.url, WRONG)('ListTagResources', LIST));
    expect(err).toMatchObject({ name: 'ClientError', code: 'SignatureDoesNotMatch', statusCode: 403 });
    const raw = await request(t.url).get(`/?${queryString(signRpc('GET', 'ListTagResources', LIST, { creds: { accessKeyId: 'nobody', accessKeySecret: 'x' } }))}`);
    expectEnvelope(raw, 400, 'InvalidAccessKeyId.NotFound');
  });

  test('a malformed Authorization header → IncompleteSignature', async () => {
    const res = await request(t.url).post(`/?${queryString(LIST)}`).set({ 'x-acs-action': 'ListTagResources', 'x-acs-version': '2018-08-08', authorization: 'ACS3-HMAC-SHA256 Credential=x' });
    expectEnvelope(res, 400, 'IncompleteSignature');
  });

  test('no credentials → MissingAccessKeyId; a known key without Signature → MissingSignature (the gateway\'s Missing{Name}, issue 15)', async () => {
    const res = await request(t.url).get('/').query({ Action: 'ListTagResources', Version: '2018-08-08', ...LIST });
    expectEnvelope(res, 400, 'MissingAccessKeyId');
    const res2 = await request(t.url).get('/').query({ Action: 'ListTagResources', Version: '2018-08-08', AccessKeyId: KEY.accessKeyId, ...LIST });
    expectEnvelope(res2, 400, 'MissingSignature');
  });

  test('a signature method other than HMAC-SHA1 → InvalidSignatureMethod', async () => {
    const signed = signRpc('GET', 'ListTagResources', { ...LIST, SignatureMethod: 'HMAC-MD5' });
    const res = await request(t.url).get(`/?${queryString(signed)}`);
    expectEnvelope(res, 400, 'InvalidSignatureMethod');
  });
});

describe('default mode vs strict mode', () => {
  test('default: an unknown key is a sandbox key of the default account; strict: InvalidAccessKeyId.NotFound', async () => {
    const stranger = { accessKeyId: 'LTAI5tNOBODY', accessKeySecret: 'anything' };
    const body = await coreCall(t.url, stranger)('ListTagResources', LIST);
    expect(body.TagResources).toHaveLength(1);
    await strict();
    for (const make of [() => coreCall(t.url, stranger), () => popCall(t.url, stranger)]) {
      const err = await failure(make()('ListTagResources', LIST));
      expect(err.code).toBe('InvalidAccessKeyId.NotFound');
      expect(err.data.Code).toBe('InvalidAccessKeyId.NotFound');
    }
    const raw = await request(t.url).get(`/?${queryString(signRpc('GET', 'ListTagResources', LIST, { creds: stranger }))}`);
    expectEnvelope(raw, 404, 'InvalidAccessKeyId.NotFound');
  });

  test('strict: a reused nonce → SignatureNonceUsed (both signatures); default: accepted', async () => {
    const rpc = queryString(signRpc('GET', 'ListTagResources', LIST, { nonce: 'n-1' }));
    expect((await request(t.url).get(`/?${rpc}`)).status).toBe(200);
    expect((await request(t.url).get(`/?${rpc}`)).status).toBe(200);
    await strict();
    expect((await request(t.url).get(`/?${rpc}`)).status).toBe(200);
    expectEnvelope(await request(t.url).get(`/?${rpc}`), 400, 'SignatureNonceUsed');

    const headers = signAcs3(host(), 'ListTagResources', LIST, { nonce: 'n-2' });
    expect((await request(t.url).post(`/?${queryString(LIST)}`).set(headers)).status).toBe(200);
    expectEnvelope(await request(t.url).post(`/?${queryString(LIST)}`).set(headers), 400, 'SignatureNonceUsed');
  });

  test('strict: a timestamp more than 15 minutes off the emulator clock → InvalidTimeStamp.Expired', async () => {
    await strict();
    const at = (ts: string) => request(t.url).get(`/?${queryString(signRpc('GET', 'ListTagResources', LIST, { timestamp: ts }))}`);
    expect((await at('2026-01-15T08:15:00Z')).status).toBe(200);
    expect((await at('2026-01-15T07:45:00Z')).status).toBe(200);
    expectEnvelope(await at('2026-01-15T08:15:01Z'), 400, 'InvalidTimeStamp.Expired');
    expectEnvelope(await at('2026-01-15T07:44:59Z'), 400, 'InvalidTimeStamp.Expired');
    expectEnvelope(await at('yesterday'), 400, 'InvalidTimeStamp.Format');
    const acs3 = signAcs3(host(), 'ListTagResources', LIST, { date: '2026-01-15T09:00:00Z' });
    expectEnvelope(await request(t.url).post(`/?${queryString(LIST)}`).set(acs3), 400, 'InvalidTimeStamp.Expired');

    // The SDKs stamp the real time: with the emulator clock there, strict mode accepts them.
    const err = await failure(coreCall(t.url)('ListTagResources', LIST));
    expect(err.code).toBe('InvalidTimeStamp.Expired');
    await request(t.url).post('/_emulator/clock').send({ set: new Date().toISOString() }).expect(200);
    expect((await coreCall(t.url)('ListTagResources', LIST)).TagResources).toHaveLength(1);
    expect((await popCall(t.url)('ListTagResources', LIST)).TagResources).toHaveLength(1);
  });
});

describe('operation lookup and the envelope', () => {
  test('an unknown action → 404 InvalidAction.NotFound, or 403 InvalidAction by setting', async () => {
    const err = await failure(coreCall(t.url)('DescribeNothing', { RegionId: REGION }));
    expect(err).toMatchObject({ name: 'ClientError', code: 'InvalidAction.NotFound', statusCode: 404 });
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.unknownActionError': 'InvalidAction' }).expect(200);
    const err2 = await failure(coreCall(t.url)('DescribeNothing', { RegionId: REGION }));
    expect(err2).toMatchObject({ code: 'InvalidAction', statusCode: 403 });
    expect(err2.message).toMatch(/^InvalidAction: code: 403, The specified action is invalid \(cloud-api-emulator does not emulate DescribeNothing\.\) request id: /);
  });

  test('RestartContainerGroup\'s documented 403 InvalidAction: the action called under a version that lacks it (setting InvalidAction)', async () => {
    await request(t.url).patch('/_emulator/settings').send({ 'alibaba.unknownActionError': 'InvalidAction' }).expect(200);
    const res = await request(t.url).get(`/?${queryString(signRpc('GET', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP }, { version: '2017-11-10' }))}`);
    expectEnvelope(res, 403, 'InvalidAction');
    expect(res.body.Message).toBe('The specified action is invalid');
    const err = await failure(popCall(t.url)('RestartContainerGroup-typo', { RegionId: REGION, ContainerGroupId: GROUP }));
    expect(err).toMatchObject({ name: 'InvalidActionError', code: 'InvalidAction' });
    expect((await t.state()).alibaba.eci.containerGroups[0].Status).toBe('Running');
  });

  test('an unknown version → InvalidVersion; none → MissingVersion; no action → MissingAction (issue 15)', async () => {
    const res = await request(t.url).get(`/?${queryString(signRpc('GET', 'ListTagResources', LIST, { version: '2099-01-01' }))}`);
    expectEnvelope(res, 400, 'InvalidVersion');
    expect(res.body.Message).toContain('2099-01-01');
    const noVersion = await request(t.url).get('/').query({ Action: 'ListTagResources', AccessKeyId: 'x' });
    expectEnvelope(noVersion, 400, 'MissingVersion');
    const noAction = await request(t.url).get('/').query({ Version: '2018-08-08', AccessKeyId: 'x' });
    expectEnvelope(noAction, 400, 'MissingAction');
  });

  test('the error envelope carries RequestId, HostId, Code, Message, Recommend and the request id header', async () => {
    const res = await request(t.url).get(`/?${queryString(signRpc('GET', 'RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-missing' }))}`);
    expectEnvelope(res, 400, 'InvalidParameter');
    expect(Object.keys(res.body)).toEqual(['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
    expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
  });

  test('an injected fault renders in the envelope: throttling → ThrottlingError with retryAfter, default → 500 ServerError', async () => {
    await request(t.url).post('/_emulator/faults').send({ provider: 'alibaba', operation: 'RestartContainerGroup', code: 'Throttling.User', httpStatus: 400, message: 'Request was denied due to user flow control.', count: 1 }).expect(201);
    const call = () => coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP });
    const err = await failure(call());
    expect(err).toMatchObject({ name: 'ThrottlingError', code: 'Throttling.User', statusCode: 400, retryAfter: 1000 });
    await request(t.url).post('/_emulator/faults').send({ provider: 'alibaba', resourceId: GROUP, count: 1 }).expect(201);
    const err2 = await failure(call());
    expect(err2).toMatchObject({ name: 'ServerError', code: 'InternalError', statusCode: 500 });
    expect((await call()).RequestId).toBeDefined();
  });

  test('bodies the router must survive: too large → 413 envelope; junk form → still an envelope', async () => {
    const big = await startTestEmulator({ bodyLimit: 2048 });
    try {
      await big.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP)] } } });
      const res = await request(big.url).post('/').set('content-type', 'application/x-www-form-urlencoded').send(`Action=ListTagResources&Pad=${'x'.repeat(4096)}`);
      expectEnvelope(res, 413, 'RequestEntityTooLarge');
    } finally {
      await big.close();
    }
    const junk = await request(t.url).post('/').set('content-type', 'application/x-www-form-urlencoded').send('%%%=%zz&Action');
    expectEnvelope(junk, 400, 'MissingAction');
    const empty = await request(t.url).post('/').set('x-acs-action', 'ListTagResources');
    expectEnvelope(empty, 400, 'MissingVersion');
  });

  test('an RPC call with another HTTP method → UnsupportedHTTPMethod in the envelope', async () => {
    const res = await request(t.url).put(`/?${queryString(signRpc('GET', 'ListTagResources', LIST))}`);
    expectEnvelope(res, 400, 'UnsupportedHTTPMethod');
    const del = await request(t.url).delete('/').set('x-acs-action', 'ListTagResources');
    expectEnvelope(del, 400, 'UnsupportedHTTPMethod');
  });

  test('the request journal names the operation, the error code and the RequestId the client saw', async () => {
    const ok = await coreCall(t.url)('ListTagResources', LIST);
    const err = await failure(coreCall(t.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: 'eci-nosuch' }));
    const { body } = await request(t.url).get('/_emulator/requests').query({ provider: 'alibaba' });
    const byId = Object.fromEntries(body.requests.map((r: any) => [r.id, r]));
    expect(byId[ok.RequestId]).toMatchObject({ provider: 'alibaba', operation: 'ListTagResources', status: 200 });
    expect(byId[err.requestId]).toMatchObject({ operation: 'RestartContainerGroup', status: 400, errorCode: 'InvalidParameter' });
  });

  test('requests that are not Alibaba RPC calls are left to the other routers', async () => {
    const res = await request(t.url).get('/');
    expect(res.status).toBe(404);
    expect(res.body.errors).toBeDefined();
  });
});
