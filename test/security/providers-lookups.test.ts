/**
 * Issue 10, provider side: no lookup keyed by request data may reach an inherited property. Each
 * kind of lookup a provider makes with names a client chooses is tried with the names every object
 * inherits (`constructor`, `__proto__`, `toString`, `hasOwnProperty`): the answer is the provider's
 * own error (or success), never a 500, and Object.prototype is left as it was.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import request from 'supertest';
import type { TestEmulator } from '../support/emulator.js';
import { ACCESS_KEYS, GROUP, group, KEY, queryString, signAcs3, signRpc, startEci } from '../alibaba/eci/support.js';
import { AK, instance, SK, startHuawei, TOKEN } from '../huawei/support.js';
import { startTestEmulator } from '../support/emulator.js';

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const prototypeKeys = () => [Object.keys(Object.prototype), Object.getOwnPropertyNames(Object.prototype).length];
const before = prototypeKeys();
afterAll(() => expect(prototypeKeys()).toEqual(before));

describe('Alibaba ACS3: SignedHeaders naming inherited properties', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startEci();
  });
  afterAll(() => t.close());

  /** ACS3 headers whose SignedHeaders also lists `extra` (not sent), signed as a client would with the value "". */
  function acs3With(extra: string): Record<string, string> {
    const query = { RegionId: 'cn-hangzhou' };
    const headers: Record<string, string> = {
      host: new URL(t.url).host,
      'x-acs-action': 'DescribeContainerGroups',
      'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
      'x-acs-date': '2026-01-15T08:00:00Z',
      'x-acs-signature-nonce': randomBytes(16).toString('hex'),
      'x-acs-version': '2018-08-08',
    };
    const names = [...Object.keys(headers), extra].sort();
    const value = (n: string) => (n === extra ? '' : headers[n]);
    const canonical = ['POST', '/', queryString(query), names.map((n) => `${n}:${value(n)}\n`).join(''), names.join(';'), headers['x-acs-content-sha256']].join('\n');
    const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
    const sig = createHmac('sha256', KEY.accessKeySecret).update(sts).digest('hex');
    const { host: _h, ...rest } = headers;
    return { ...rest, authorization: `ACS3-HMAC-SHA256 Credential=${KEY.accessKeyId},SignedHeaders=${names.join(';')},Signature=${sig}` };
  }

  test.each(INHERITED)('SignedHeaders with %s: a header not sent counts as empty, never as an inherited value', async (name) => {
    const res = await request(t.url).post('/?RegionId=cn-hangzhou').set(acs3With(name)).send('');
    expect(res.status).toBe(200);
    expect(res.body.TotalCount).toBe(1);
  });

  test.each(INHERITED)('SignedHeaders with %s and a wrong signature: SignatureDoesNotMatch, not 500', async (name) => {
    const headers = acs3With(name);
    headers.authorization = headers.authorization!.replace(/Signature=[0-9a-f]+$/, `Signature=${'0'.repeat(64)}`);
    const res = await request(t.url).post('/?RegionId=cn-hangzhou').set(headers).send('');
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('SignatureDoesNotMatch');
  });

  test.each(INHERITED)('an Authorization field named %s is no credential', async (name) => {
    const headers = signAcs3(new URL(t.url).host, 'DescribeContainerGroups', { RegionId: 'cn-hangzhou' });
    headers.authorization = `ACS3-HMAC-SHA256 ${name}=x,SignedHeaders=host,Signature=abc`;
    const res = await request(t.url).post('/?RegionId=cn-hangzhou').set(headers).send('');
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('IncompleteSignature');
  });
});

describe('Alibaba RPC: params named like inherited properties', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startEci({ containerGroups: [group(GROUP)] });
  });
  afterAll(() => t.close());

  const call = (action: string, api: Record<string, string>, version?: string) => request(t.url).get(`/?${queryString(signRpc('GET', action, api, { version }))}`);

  test.each(INHERITED)('Action=%s → InvalidAction.NotFound', async (name) => {
    const res = await call(name, { RegionId: 'cn-hangzhou' });
    expect(res.status).toBe(404);
    expect(res.body.Code).toBe('InvalidAction.NotFound');
  });

  test.each(INHERITED)('Version=%s → InvalidVersion', async (name) => {
    const res = await call('DescribeContainerGroups', { RegionId: 'cn-hangzhou' }, name);
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('InvalidVersion');
  });

  test.each(INHERITED)('a param named %s is signed and passed like any other (the signature matches)', async (name) => {
    const res = await call('DescribeContainerGroups', { RegionId: 'cn-hangzhou', [name]: 'x' });
    expect(res.status).toBe(200);
    expect(res.body.TotalCount).toBe(1);
  });

  test.each(INHERITED)('ResourceType=%s → InvalidParameter', async (name) => {
    const res = await call('ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: name });
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('InvalidParameter');
  });

  test.each(INHERITED)('a resource id %s names no resource', async (name) => {
    const res = await call('RestartContainerGroup', { RegionId: 'cn-hangzhou', ContainerGroupId: name });
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('InvalidParameter');
  });

  test.each(INHERITED)('Tag.1.%s is a field no tag has', async (name) => {
    const res = await call('DescribeContainerGroups', { RegionId: 'cn-hangzhou', 'Tag.1.Key': 'env', [`Tag.1.${name.replace(/_/g, '')}`]: 'x' });
    expect(res.status).toBe(200);
    expect(res.body.TotalCount).toBe(1);
  });

  test.each(INHERITED)('an access key id %s is unknown (strict mode)', async (name) => {
    const s = await startTestEmulator({ settings: { 'alibaba.strictAuth': true } });
    try {
      await s.seed({ alibaba: { accessKeys: ACCESS_KEYS } });
      const p = signRpc('GET', 'DescribeContainerGroups', { RegionId: 'cn-hangzhou' }, { creds: { accessKeyId: name, accessKeySecret: 'x' } });
      const res = await request(s.url).get(`/?${queryString(p)}`);
      expect(res.status).toBe(404);
      expect(res.body.Code).toBe('InvalidAccessKeyId.NotFound');
    } finally {
      await s.close();
    }
  });
});

describe('Huawei SDK-HMAC-SHA256: SignedHeaders naming inherited properties', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startHuawei([instance('a44uhlf7')]);
  });
  afterAll(() => t.close());

  /** A signed batch-query-status whose SignedHeaders also lists `extra` (not sent), signed with the value "". */
  function signed(name: string, secret = SK): Record<string, string> {
    const extra = name.toLowerCase(); // SDK-HMAC-SHA256 header names are lower-case
    const body = JSON.stringify({ instance_ids: ['a44uhlf7'] });
    const headers: Record<string, string> = { 'content-type': 'application/json', host: new URL(t.url).host, 'x-request-id': 'r-1', 'x-sdk-date': '20260115T080000Z' };
    const names = [...Object.keys(headers), extra].sort();
    const value = (n: string) => (n === extra ? '' : headers[n]);
    const hash = (s: string) => createHash('sha256').update(s).digest('hex');
    const canonical = ['POST', '/v1/instances/batch-query-status/', '', names.map((n) => `${n}:${value(n)}\n`).join(''), names.join(';'), hash(body)].join('\n');
    const sts = ['SDK-HMAC-SHA256', headers['x-sdk-date'], hash(canonical)].join('\n');
    const sig = createHmac('sha256', secret).update(sts).digest('hex');
    return { ...headers, authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${names.join(';')}, Signature=${sig}` };
  }

  const post = (headers: Record<string, string>) => {
    const r = t.http.post('/v1/instances/batch-query-status');
    for (const [k, v] of Object.entries(headers)) if (k !== 'host') r.set(k, v);
    return r.send(JSON.stringify({ instance_ids: ['a44uhlf7'] }));
  };

  test.each(INHERITED)('SignedHeaders with %s: a header not sent counts as empty', async (name) => {
    const res = await post(signed(name));
    expect(res.status).toBe(200);
    expect(res.body.data.status_results).toEqual([{ instance_id: 'a44uhlf7', status: 2 }]);
  });

  test.each(INHERITED)('SignedHeaders with %s and the wrong key: 401 APIGW.0301, not 500', async (name) => {
    const res = await post(signed(name, 'not-the-secret'));
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
  });

  test.each(INHERITED)('an AK named %s does not exist', async (name) => {
    const headers = signed('x-other');
    headers.authorization = headers.authorization!.replace(`Access=${AK}`, `Access=${name}`);
    const res = await post(headers);
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
  });

  test.each(INHERITED)('a token %s is unknown', async (name) => {
    const res = await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', name).set('x-request-id', 'r').set('Content-Type', 'application/json').send(JSON.stringify({ instance_ids: ['a44uhlf7'] }));
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
  });

  test('the token still works after all of that', async () => {
    const res = await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', TOKEN).set('x-request-id', 'r').set('Content-Type', 'application/json').send(JSON.stringify({ instance_ids: ['a44uhlf7'] }));
    expect(res.status).toBe(200);
  });
});

describe('Elastic: path segments and credentials named like inherited properties', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ fixtures: undefined });
  });
  afterAll(() => t.close());
  const KEY_HEADER = 'ApiKey ece-sandbox-admin-key';
  const DEPLOYMENT = '5b7c8d9e0f1a2b3c4d5e6f708192a3b4';

  test.each(INHERITED)('deployment id %s → 404 deployments.deployment_not_found', async (name) => {
    const res = await t.http.get(`/api/v1/deployments/${enc(name)}`).set('Authorization', KEY_HEADER);
    expect(res.status).toBe(404);
    expect(res.headers['x-cloud-error-codes']).toBe('deployments.deployment_not_found');
  });

  test.each(INHERITED)('resource kind %s → a 404, never 500', async (name) => {
    const restart = await t.http.post(`/api/v1/deployments/${DEPLOYMENT}/${enc(name)}/main-kibana/_restart`).set('Authorization', KEY_HEADER);
    expect(restart.status).toBe(404);
    const activity = await t.http.get(`/api/v1/deployments/${DEPLOYMENT}/${enc(name)}/main-kibana/activity/x`).set('Authorization', KEY_HEADER);
    expect(activity.status).toBe(404);
  });

  test.each(INHERITED)('ref id and attempt id %s name nothing', async (name) => {
    const info = await t.http.get(`/api/v1/deployments/${DEPLOYMENT}/kibana/${enc(name)}`).set('Authorization', KEY_HEADER);
    expect(info.status).toBe(404);
    const activity = await t.http.get(`/api/v1/deployments/${DEPLOYMENT}/kibana/_main/activity/${enc(name)}`).set('Authorization', KEY_HEADER);
    expect(activity.status).toBe(404);
  });

  test.each(INHERITED)('an API key, user or bearer token %s is unauthorized', async (name) => {
    for (const header of [`ApiKey ${name}`, `Basic ${Buffer.from(`${name}:${name}`).toString('base64')}`, `Bearer ${name}`]) {
      const res = await t.http.get('/api/v1/deployments').set('Authorization', header);
      expect(res.status).toBe(401);
    }
  });

  test.each(INHERITED)('a login as %s is refused', async (name) => {
    const res = await t.http.post('/api/v1/users/auth/_login').set('Content-Type', 'application/json').send({ username: name, password: name });
    expect(res.status).toBe(401);
  });

  test.each(INHERITED)('a query parameter %s is ignored', async (name) => {
    const res = await t.http.get(`/api/v1/deployments/${DEPLOYMENT}?${enc(name)}=true`).set('Authorization', KEY_HEADER);
    expect(res.status).toBe(200);
  });
});

describe('Huawei IAM and KooPhone: names from requests', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startHuawei([instance('a44uhlf7')]);
  });
  afterAll(() => t.close());

  test.each(INHERITED)('a login as user %s is refused with IAM 401', async (name) => {
    const body = { auth: { identity: { methods: ['password'], password: { user: { name, password: name, domain: { name } } } }, scope: { project: { name } } } };
    const res = await t.http.post('/v3/auth/tokens').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe(401);
  });

  test.each(INHERITED)('instance id %s is not the caller\'s', async (name) => {
    const res = await t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'r').set('Content-Type', 'application/json').send(JSON.stringify({ instance_ids: [name] }));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.1001');
    const list = await t.http.get(`/v1/instances/batch-query?page_no=1&page_size=10&instance_id=${enc(name)}&x-request-id=r`).set('X-Auth-Token', TOKEN);
    expect(list.status).toBe(200);
  });
});
