/**
 * Every kind of fault rule, as each client sees it: throttling in each provider's documented shape
 * (through the official Alibaba SDK and the Huawei SDK core; raw HTTP for ECE), a rate limit that
 * lifts when the emulator clock moves, and network faults that lose an answer after the change
 * was made (reset, empty reply, half a body, a slow first byte).
 */
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ACCESS_KEYS, eciSdk, EciModels, failure, GROUP, group } from '../alibaba/eci/support.js';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js') as typeof import('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core') as typeof import('@huaweicloud/huaweicloud-sdk-core');

const PROJECT = '0123456789abcdef0123456789abcdef';
const AK = 'FAULTAKEXAMPLE000000';
const SK = 'fault-secret-key-000000000000000000000';
let t: TestEmulator;
let home: string;
const sdkOs = require('node:os') as typeof os;
const realHomedir = sdkOs.homedir;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'hwsdk-home-'));
  sdkOs.homedir = () => home; // the Huawei SDK writes ~/.huaweicloud on first use
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.close();
  sdkOs.homedir = realHomedir;
  fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(async () => {
  await t.reset({ empty: true });
  await t.seed({
    alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP)] } },
    elastic: { apiKeys: [{ key: 'admin-key', role: 'platform_admin' }], deployments: [{ id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', name: 'd', resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'started' } }] } }] },
    huawei: { accessKeys: [{ ak: AK, sk: SK, projectId: PROJECT }], tokens: [{ token: 'fault-token', projectId: PROJECT }], koophone: { instances: [{ instance_id: 'phone-a', project_id: PROJECT, running_status: 2 }] } },
  });
  await t.http.delete('/_emulator/faults').expect(200);
  await t.http.delete('/_emulator/requests').expect(200);
});

const addRule = async (rule: Record<string, unknown>) => (await t.http.post('/_emulator/faults').send(rule).expect(201)).body.faults[0];
const requestsSeen = async (query: Record<string, string>) => (await t.http.get('/_emulator/requests/count').query(query)).body.count;

function huaweiClient() {
  const hc = new ClientBuilder<any>((c: any) => c).withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT)).withEndpoint(t.url).build();
  hc.httpClient._logger = { debug() {}, info() {}, warn() {}, error() {} };
  return hc;
}
const huaweiStatus = (hc: any) =>
  hc.sendRequest({ method: 'POST', url: '/v1/instances/batch-query-status', contentType: 'application/json', queryParams: {}, pathParams: {}, headers: { 'x-request-id': 'hw-1', 'X-Sdk-Date': '20260115T080000Z' }, data: { instance_ids: ['phone-a'] } });

describe('throttling, in each provider shape', () => {
  test('Alibaba: the SDK raises Throttling.User (400) with x-acs-retry-after, and makes one attempt', async () => {
    const rule = await addRule({ provider: 'alibaba', operation: 'DescribeContainerGroups', throttle: true });
    const err = await failure(eciSdk(t.url).describeContainerGroups(new EciModels.DescribeContainerGroupsRequest({ regionId: 'cn-hangzhou' })));
    expect(err.code).toBe('Throttling.User');
    expect(err.statusCode ?? err.data?.statusCode).toBe(400);
    expect(err.message).toContain('Request was denied due to user flow control.');
    expect(await requestsSeen({ operation: 'DescribeContainerGroups' })).toBe(1);
    expect((await t.http.get('/_emulator/faults')).body.faults[0]).toMatchObject({ id: rule.id, fired: 1 });
  });

  test('Huawei: the SDK core raises APIG.0308 with status 429', async () => {
    await addRule({ provider: 'huawei', throttle: true });
    const err: any = await huaweiStatus(huaweiClient()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ httpStatusCode: 429, errorCode: 'APIGW.0308' });
    expect(err.errorMsg).toMatch(/^The throttling threshold has been reached/);
  });

  test('ECE: 429 root.too_many_requests in a BasicFailedReply, with x-cloud-error-codes', async () => {
    await addRule({ provider: 'elastic', throttle: true });
    const res = await t.http.get('/api/v1/deployments').set('Authorization', 'ApiKey admin-key').expect(429);
    expect(res.headers['x-cloud-error-codes']).toBe('root.too_many_requests');
    expect(res.body.errors[0].code).toBe('root.too_many_requests');
  });

  test('a rate limit: N requests per window of emulator time, then throttled until the clock moves on', async () => {
    await addRule({ provider: 'huawei', operation: 'BatchQueryStatus', rateLimit: { requests: 2, windowMs: 60_000 } });
    const hc = huaweiClient();
    await huaweiStatus(hc);
    await huaweiStatus(hc);
    const err: any = await huaweiStatus(hc).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ httpStatusCode: 429, errorCode: 'APIGW.0308' });
    expect(err.errorMsg).toContain('limit:2,time:1 minute');
    await t.http.post('/_emulator/clock').send({ advanceMs: 60_000 }).expect(200);
    await expect(huaweiStatus(hc)).resolves.toBeDefined();
  });
});

/** A raw request that reports what the client saw: a response, or the socket error. */
function raw(method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<{ status?: number; body?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = http.request(`${t.url}${urlPath}`, { method, headers: { ...headers, connection: 'close', ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ status: res.statusCode, body: text, error: e.code ?? e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode, body: text, error: 'aborted' }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

const rebootRaw = () => raw('POST', '/v1/instances/reboot', { 'content-type': 'application/json', 'x-auth-token': 'fault-token', 'x-request-id': 'net-1' }, JSON.stringify({ instance_ids: ['phone-a'] }));
const statusOf = async () => (await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', 'fault-token').set('x-request-id', 's').send({ instance_ids: ['phone-a'] })).body.data.status_results[0].status;

describe('network faults: the change is made, the answer is lost', () => {
  test.each([
    ['reset', /ECONNRESET|socket hang up/],
    ['empty', /socket hang up|ECONNRESET/],
    ['partial', /aborted|ECONNRESET|socket hang up/],
  ])('%s', async (kind, seen) => {
    await addRule({ provider: 'huawei', operation: 'BatchRebootInstance', network: kind, count: 1 });
    const res = await rebootRaw();
    expect(res.error).toMatch(seen);
    if (kind === 'partial') expect(res.status).toBe(200); // the head arrived, the body did not
    expect(await statusOf()).toBe(4); // the reboot was made
    const [entry] = (await t.http.get('/_emulator/requests').query({ operation: 'BatchRebootInstance' })).body.requests;
    expect(entry.reason).toContain(`network fault: the answer (200) was lost (${kind})`);
    // The rule was used up: a retry gets its answer (and is refused: the instance is rebooting).
    expect((await rebootRaw()).status).toBe(400);
  });

  test('slow: the first byte comes late, then the whole answer', async () => {
    await addRule({ provider: 'huawei', operation: 'BatchRebootInstance', network: 'slow', latencyMs: 50 });
    const res = await rebootRaw();
    expect(res).toMatchObject({ status: 200 });
    expect(JSON.parse(res.body!)).toEqual({ error_code: '0', error_msg: 'OK' });
  });
});

test('one kind per rule; transition faults take no latency; rate limits have ranges', async () => {
  for (const bad of [
    { throttle: true, httpStatus: 503 },
    { network: 'reset', code: 'X' },
    { network: 'sideways' },
    { transition: 'fail', latencyMs: 5 },
    { transition: 'maybe' },
    { rateLimit: { requests: 0, windowMs: 1000 } },
    { rateLimit: { requests: 1, windowMs: 86_400_001 } },
    { rateLimit: { requests: 1 } },
    { throttle: false },
  ]) {
    await t.http.post('/_emulator/faults').send(bad).expect(400);
  }
});
