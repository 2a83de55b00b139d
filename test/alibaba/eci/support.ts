/**
 * What the ECI tests share: an emulator seeded with keys and resources, the official clients
 * pointed at it (the generated ECI SDK 2.0.3, generic callApi of openapi-client and openapi-core,
 * pop-core GET/POST), a hand signer for raw requests, and schema checks of every body.
 */
import Eci from '@alicloud/eci20180808';
import legacy from '@alicloud/openapi-client';
import core from '@alicloud/openapi-core';
import teaUtil from '@alicloud/tea-util';
import * as dara from '@darabonba/typescript';
import Pop from '@alicloud/pop-core';
import { schemas } from '../../support/schema-check.js';
import type { TestEmulator } from '../../support/emulator.js';
import { ECI_VERSION, GROUP, group, KEY, startAlibaba, type Creds } from '../../support/worlds/alibaba.js';
import { sdkFailure } from '../sdk-failure.js';

export { ACCESS_KEYS, ACCOUNT, ECI_VERSION, GROUP, group, KEY, OTHER, OTHER_ACCOUNT, queryString, READ_ONLY, signAcs3, signRpc, type Creds } from '../../support/worlds/alibaba.js';

export async function startEci(eci: Record<string, unknown[]> = { containerGroups: [group(GROUP)] }): Promise<TestEmulator> {
  return startAlibaba({ eci });
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


/** Every success body a client helper returns is held against the action's response schema. */
function checked(action: string, body: any): any {
  if (schemas().has(`alibaba/eci/${action}.response.json`)) expectSchema(`eci/${action}.response.json`, body);
  return body;
}

/** Fails with the schema's own words when `body` does not match `alibaba/<id>`. */
export function expectSchema(id: string, body: unknown): void {
  const errors = schemas().check(`alibaba/${id}`, body);
  if (errors.length) throw new Error(`${id}: ${errors.map((e) => e.message).join('; ')}\n${JSON.stringify(body)}`);
}

/** An error envelope: schema, and the header/body agreement every client relies on. */
export function expectEnvelope(res: { status: number; body: any; headers: Record<string, string> }, status: number, code: string): void {
  expectSchema('error.response.json', res.body);
  if (res.status !== status || res.body.Code !== code) throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  if (!String(res.headers['content-type']).startsWith('application/json')) throw new Error('error body is not JSON');
  if (res.headers['x-acs-request-id'] !== res.body.RequestId) throw new Error('x-acs-request-id differs from RequestId');
}
