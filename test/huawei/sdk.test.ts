/**
 * The official Huawei Cloud Node SDK core against the emulator: it signs with SDK-HMAC-SHA256
 * (AKSKSigner) and turns error bodies into exceptions. There is no KooPhone npm package, so the
 * operations are sent through HcClient the way a generated service client would send them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { TestEmulator } from '../support/emulator.js';
import { AK, PROJECT, SK, expectSchema, instance, startHuawei, statusOf } from './support.js';

const require = createRequire(import.meta.url);
const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js') as typeof import('@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js');
const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core') as typeof import('@huaweicloud/huaweicloud-sdk-core');
type HcClient = import('@huaweicloud/huaweicloud-sdk-core/HcClient.js').HcClient;

/** The emulator's manual clock, in X-Sdk-Date form: the SDK signs with this date when it is given one. */
const SDK_DATE = '20260115T080000Z';

describe('Huawei SDK core against KooPhone', () => {
  let t: TestEmulator;
  let home: string;
  // The os module the SDK itself requires (jest gives each test file its own process.env, so
  // setting HOME would not reach os.homedir()).
  const sdkOs = require('node:os') as typeof os;
  const realHomedir = sdkOs.homedir;

  beforeAll(() => {
    // The SDK writes ~/.huaweicloud/application_id on first use: keep it out of the real home.
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'hwsdk-home-'));
    sdkOs.homedir = () => home;
  });
  afterAll(() => {
    sdkOs.homedir = realHomedir;
    fs.rmSync(home, { recursive: true, force: true });
  });
  beforeEach(async () => {
    t = await startHuawei([instance('a44uhlf7'), instance('stopped1', { running_status: 1 })]);
  });
  afterEach(() => t.close());

  function client(sk = SK): HcClient {
    const credentials = new BasicCredentials().withAk(AK).withSk(sk).withProjectId(PROJECT);
    const hc = new ClientBuilder<HcClient>((c: HcClient) => c).withCredential(credentials).withEndpoint(t.url).build();
    // The SDK logs every error response to stdout at ERROR level; the exceptions are what we test.
    (hc as any).httpClient._logger = { debug() {}, info() {}, warn() {}, error() {} };
    return hc;
  }

  const rebootOp = (ids: string[], headers: Record<string, string> = { 'x-request-id': 'sdk-req-1', 'X-Sdk-Date': SDK_DATE }) => ({
    method: 'POST',
    url: '/v1/instances/reboot',
    contentType: 'application/json',
    queryParams: {},
    pathParams: {},
    headers,
    data: { instance_ids: ids },
  });

  async function rejection(p: Promise<unknown>): Promise<any> {
    try {
      await p;
    } catch (err) {
      return err;
    }
    throw new Error('expected the SDK call to be rejected');
  }

  test('a signed reboot is accepted and the SDK resolves the documented body', async () => {
    const res: any = await client().sendRequest(rebootOp(['a44uhlf7']));
    expect(res).toEqual({ error_code: '0', error_msg: 'OK', httpStatusCode: 200 });
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
    expect(fs.existsSync(path.join(home, '.huaweicloud', 'application_id'))).toBe(true);
  });

  test('the SDK signing with its own clock is accepted once the date window is off', async () => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.gateway.sdkDateSkewSeconds': 0 }).expect(200);
    const res: any = await client().sendRequest(rebootOp(['a44uhlf7'], { 'x-request-id': 'sdk-own-date' }));
    expect(res.error_code).toBe('0');
  });

  test('a custom header whose locale order differs from code-unit order still verifies', async () => {
    // SignedHeaders lists x-project-id;...;x_trace, while the SDK's canonical headers put x_trace first.
    const res: any = await client().sendRequest(rebootOp(['a44uhlf7'], { 'x-request-id': 'sdk-order', 'X-Sdk-Date': SDK_DATE, x_trace: 'trace-1' }));
    expect(res.error_code).toBe('0');
  });

  test('5005 becomes a ClientRequestException with code, message and the X-Request-Id', async () => {
    const err = await rejection(client().sendRequest(rebootOp(['stopped1'])));
    expect(err.constructor.name).toBe('ClientRequestException');
    expect(err).toMatchObject({ httpStatusCode: 400, errorCode: 'KOOPHONE.API.5005', errorMsg: 'Not all instances are running.', requestId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  test('a wrong SK becomes a 401 ClientRequestException APIGW.0301', async () => {
    const err = await rejection(client('wrong-secret').sendRequest(rebootOp(['a44uhlf7'])));
    expect(err.constructor.name).toBe('ClientRequestException');
    expect(err).toMatchObject({ httpStatusCode: 401, errorCode: 'APIGW.0301', errorMsg: 'Incorrect IAM authentication information: verify aksk signature fail' });
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
  });

  test('9999 becomes a ServerResponseException', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance' }).expect(201);
    const err = await rejection(client().sendRequest(rebootOp(['a44uhlf7'])));
    expect(err.constructor.name).toBe('ServerResponseException');
    expect(err).toMatchObject({ httpStatusCode: 500, errorCode: 'KOOPHONE.API.9999' });
  });

  test('0002 comes back with HTTP 200, so the SDK resolves it (callers must check error_code)', async () => {
    const res: any = await client().sendRequest(rebootOp(['a44uhlf7'], { 'X-Sdk-Date': SDK_DATE }));
    expect(res).toEqual({ error_code: 'KOOPHONE.API.0002', error_msg: "missing request header 'x-request-id'.", httpStatusCode: 200 });
  });

  test('a signed ListInstances GET (x-request-id in the query) and BatchQueryStatus', async () => {
    const list: any = await client().sendRequest({
      method: 'GET',
      url: '/v1/instances/batch-query',
      contentType: 'application/json',
      queryParams: { 'x-request-id': 'sdk list 1', page_no: 1, page_size: 10, instance_name: 'a44' },
      pathParams: {},
      headers: { 'X-Sdk-Date': SDK_DATE },
    });
    const { httpStatusCode, ...body } = list;
    expect(httpStatusCode).toBe(200);
    expectSchema(t, 'huawei/koophone/batch-query.response.json', body);
    expect(body.data.result.map((i: any) => i.instance_id)).toEqual(['a44uhlf7']);

    const status: any = await client().sendRequest({
      method: 'POST',
      url: '/v1/instances/batch-query-status',
      contentType: 'application/json',
      queryParams: {},
      pathParams: {},
      headers: { 'x-request-id': 'sdk-status', 'X-Sdk-Date': SDK_DATE },
      data: { instance_ids: ['a44uhlf7', 'stopped1'] },
    });
    expect(status.data.status_results).toEqual([
      { instance_id: 'a44uhlf7', status: 2 },
      { instance_id: 'stopped1', status: 1 },
    ]);
  });
});
