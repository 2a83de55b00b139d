/**
 * What the ECI tests share: an emulator seeded with keys and resources, the official clients
 * pointed at it (the generated ECI SDK 2.0.3, generic callApi of openapi-client and openapi-core,
 * pop-core GET/POST), a hand signer for raw requests, and schema checks of every body.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import Eci from '@alicloud/eci20180808';
import legacy from '@alicloud/openapi-client';
import core from '@alicloud/openapi-core';
import teaUtil from '@alicloud/tea-util';
import * as dara from '@darabonba/typescript';
import Pop from '@alicloud/pop-core';
import { Schemas } from '../../../src/core/schemas.js';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { sdkFailure } from '../sdk-failure.js';

export const ECI_VERSION = '2018-08-08';
export const ACCOUNT = '1234567890123456';
export const OTHER_ACCOUNT = '9999999999999999';
/** The captures' fake credentials (a full-access key). */
export const KEY = { accessKeyId: 'LTAI5tFAKEACCESSKEYID01', accessKeySecret: 'FakeAccessKeySecretForCapture0001' };
export const READ_ONLY = { accessKeyId: 'LTAI5tREADONLY00000001', accessKeySecret: 'ReadOnlySecret0000000000000001' };
export const OTHER = { accessKeyId: 'LTAI5tOTHERACCOUNT0001', accessKeySecret: 'OtherAccountSecret00000000001' };
export type Creds = { accessKeyId: string; accessKeySecret: string };

export const ACCESS_KEYS = [
  { AccessKeyId: KEY.accessKeyId, AccessKeySecret: KEY.accessKeySecret, AccountId: ACCOUNT },
  { AccessKeyId: READ_ONLY.accessKeyId, AccessKeySecret: READ_ONLY.accessKeySecret, AccountId: ACCOUNT, Actions: ['eci:Describe*'] },
  { AccessKeyId: OTHER.accessKeyId, AccessKeySecret: OTHER.accessKeySecret, AccountId: OTHER_ACCOUNT },
];

export const GROUP = 'eci-2zelg8vwnlzdhf8hv0001';

export function group(id: string, extra: Record<string, unknown> = {}) {
  return {
    ContainerGroupId: id,
    ContainerGroupName: `cg-${id.slice(-4)}`,
    RegionId: 'cn-hangzhou',
    ZoneId: 'cn-hangzhou-h',
    Status: 'Running',
    CreationTime: '2024-01-01T00:00:00Z',
    Tags: [{ Key: 'env', Value: 'test' }],
    Containers: [{ Name: 'nginx', Image: 'nginx:latest', Cpu: 2, Memory: 4, Ready: true, RestartCount: 0, CurrentState: { State: 'Running', StartTime: '2024-01-01T00:00:10Z' }, PreviousState: {} }],
    Events: [],
    ...extra,
  };
}

export async function startEci(eci: Record<string, unknown[]> = { containerGroups: [group(GROUP)] }): Promise<TestEmulator> {
  const t = await startTestEmulator();
  await t.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci } });
  return t;
}

/** The generated ECI SDK (2.0.3, on openapi-client): ACS3 by default, `signatureAlgorithm: 'v2'` for RPC. */
export function eciSdk(url: string, creds: Creds = KEY, extra: Record<string, unknown> = {}): any {
  const Client = (Eci as any).default ?? Eci;
  return new Client(new (legacy as any).Config({ ...creds, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou', ...extra }));
}
export const EciModels = Eci as any;

export type Query = Record<string, string | number | boolean>;
export type Caller = (action: string, query: Query) => Promise<Record<string, any>>;

function params(Params: any, action: string) {
  return new Params({ action, version: ECI_VERSION, protocol: 'HTTPS', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
}
const asStrings = (q: Query) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));

/** openapi-client 0.4 generic callApi (what eci20180808 <= 2.1.1 runs on), for the tag operations npm's 2.0.3 lacks. */
export function legacyCall(url: string, creds: Creds = KEY, extra: Record<string, unknown> = {}): Caller {
  const Client = (legacy as any).default;
  const client = new Client(new (legacy as any).Config({ ...creds, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou', ...extra }));
  return async (action, query) => {
    const request = new (legacy as any).OpenApiRequest({ query: asStrings(query) });
    return checked(action, (await client.callApi(params((legacy as any).Params, action), request, new (teaUtil as any).RuntimeOptions({}))).body);
  };
}

/** openapi-core generic callApi (the runtime of eci20180808 >= 2.1.2, which has the tag operations). */
export function coreCall(url: string, creds: Creds = KEY, extra: Record<string, unknown> = {}): Caller {
  const Client = (core as any).default;
  const client = new Client(new core.$OpenApiUtil.Config({ ...creds, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou', ...extra }));
  return async (action, query) => {
    const request = new core.$OpenApiUtil.OpenApiRequest({ query: core.OpenApiUtil.query(query) });
    return checked(action, (await client.callApi(params(core.$OpenApiUtil.Params, action), request, new dara.RuntimeOptions({}))).body);
  };
}

/** pop-core RPCClient, GET (query) or POST (form body). */
export function popCall(url: string, creds: Creds = KEY, method: 'GET' | 'POST' = 'GET'): Caller {
  const client = new (Pop as any).RPCClient({ ...creds, endpoint: url, apiVersion: ECI_VERSION });
  return async (action, query) => checked(action, await client.request(action, asStrings(query), { method }));
}

/** The error an SDK call rejects with (fails the test if it resolves); the body it carries must match the error schema. */
export const failure = (p: Promise<unknown>): Promise<any> => sdkFailure(p, (body) => expectSchema('error.response.json', body));

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** RPC v1 (HMAC-SHA1) signed params, for raw requests whose Timestamp/nonce a test controls. */
export function signRpc(method: 'GET' | 'POST', action: string, api: Record<string, string>, opts: { creds?: Creds; timestamp?: string; nonce?: string; version?: string } = {}): Record<string, string> {
  const creds = opts.creds ?? KEY;
  const p: Record<string, string> = {
    Action: action,
    Format: 'JSON',
    Version: opts.version ?? ECI_VERSION,
    AccessKeyId: creds.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomBytes(16).toString('hex'),
    Timestamp: opts.timestamp ?? '2026-01-15T08:00:00Z',
    ...api,
  };
  const canonical = Object.keys(p).sort().map((k) => `${enc(k)}=${enc(p[k]!)}`).join('&');
  const sts = `${method}&${enc('/')}&${enc(canonical)}`;
  p.Signature = createHmac('sha1', `${creds.accessKeySecret}&`).update(sts).digest('base64');
  return p;
}

export function queryString(p: Record<string, string>): string {
  return Object.entries(p).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** ACS3 headers for `POST /?query` with an empty body, as the generated SDKs send them. */
export function signAcs3(host: string, action: string, query: Record<string, string>, opts: { creds?: Creds; date?: string; nonce?: string } = {}): Record<string, string> {
  const creds = opts.creds ?? KEY;
  const headers: Record<string, string> = {
    host,
    'x-acs-action': action,
    'x-acs-content-sha256': createHash('sha256').update('').digest('hex'),
    'x-acs-date': opts.date ?? '2026-01-15T08:00:00Z',
    'x-acs-signature-nonce': opts.nonce ?? randomBytes(16).toString('hex'),
    'x-acs-version': ECI_VERSION,
  };
  const names = Object.keys(headers).sort();
  const cq = Object.keys(query).sort().map((k) => `${k}=${enc(query[k]!)}`).join('&');
  const canonical = ['POST', '/', cq, names.map((n) => `${n}:${headers[n]}\n`).join(''), names.join(';'), headers['x-acs-content-sha256']].join('\n');
  const sts = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`;
  const sig = createHmac('sha256', creds.accessKeySecret).update(sts).digest('hex');
  const { host: _h, ...rest } = headers;
  return { ...rest, authorization: `ACS3-HMAC-SHA256 Credential=${creds.accessKeyId},SignedHeaders=${names.join(';')},Signature=${sig}` };
}

const schemas = new Schemas();

/** Every success body a client helper returns is held against the action's response schema. */
function checked(action: string, body: any): any {
  if (schemas.has(`alibaba/eci/${action}.response.json`)) expectSchema(`eci/${action}.response.json`, body);
  return body;
}

/** Fails with the schema's own words when `body` does not match `alibaba/<id>`. */
export function expectSchema(id: string, body: unknown): void {
  const errors = schemas.check(`alibaba/${id}`, body);
  if (errors.length) throw new Error(`${id}: ${errors.map((e) => e.message).join('; ')}\n${JSON.stringify(body)}`);
}

/** An error envelope: schema, and the header/body agreement every client relies on. */
export function expectEnvelope(res: { status: number; body: any; headers: Record<string, string> }, status: number, code: string): void {
  expectSchema('error.response.json', res.body);
  if (res.status !== status || res.body.Code !== code) throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  if (!String(res.headers['content-type']).startsWith('application/json')) throw new Error('error body is not JSON');
  if (res.headers['x-acs-request-id'] !== res.body.RequestId) throw new Error('x-acs-request-id differs from RequestId');
}
