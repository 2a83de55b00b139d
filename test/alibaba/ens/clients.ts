/**
 * The three official ways a Node.js program calls ENS, pointed at the test emulator: the generic
 * callApi of @alicloud/openapi-core (what @alicloud/ens20171110 runs on, same Params), the same
 * with the older @alicloud/openapi-client, and the legacy @alicloud/pop-core RPCClient.
 */
import core from '@alicloud/openapi-core';
import legacy from '@alicloud/openapi-client';
import teaUtil from '@alicloud/tea-util';
import * as dara from '@darabonba/typescript';
import Pop from '@alicloud/pop-core';
import { expectSchema, hasSchema } from './schemas.js';
import { sdkFailure } from '../sdk-failure.js';

import { ENS_VERSION, KEY, type Creds } from '../../support/worlds/alibaba.js';

export { ENS_VERSION, KEY, type Creds };
export type Query = Record<string, string | number>;
export type Caller = (action: string, query: Query) => Promise<Record<string, any>>;

/** The Params the generated ENS SDK uses for every operation. */
function params(Params: any, action: string) {
  return new Params({ action, version: ENS_VERSION, protocol: 'HTTPS', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
}

const asStrings = (q: Query) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, String(v)]));

/** openapi-core callApi (ACS3-HMAC-SHA256 by default; `signatureAlgorithm: 'v2'` for the RPC signature). */
export function coreClient(url: string, creds: Creds = KEY, extra: Record<string, unknown> = {}): Caller {
  const Client = (core as any).default;
  const client = new Client(new core.$OpenApiUtil.Config({ ...creds, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou', ...extra }));
  return async (action, query) => {
    const request = new core.$OpenApiUtil.OpenApiRequest({ query: core.OpenApiUtil.query(query) });
    const res = await client.callApi(params(core.$OpenApiUtil.Params, action), request, new dara.RuntimeOptions({}));
    return checked(action, res.body);
  };
}

/** openapi-client 0.4.x callApi (the runtime of older generated SDKs). */
export function legacyClient(url: string, creds: Creds = KEY): Caller {
  const Client = (legacy as any).default;
  const client = new Client(new (legacy as any).Config({ ...creds, endpoint: new URL(url).host, protocol: 'http', regionId: 'cn-hangzhou' }));
  return async (action, query) => {
    const request = new (legacy as any).OpenApiRequest({ query: asStrings(query) });
    const res = await client.callApi(params((legacy as any).Params, action), request, new (teaUtil as any).RuntimeOptions({}));
    return checked(action, res.body);
  };
}

/** pop-core RPCClient: GET with the query by default, or POST with a form body. */
export function popClient(url: string, creds: Creds = KEY, method: 'GET' | 'POST' = 'GET'): Caller {
  const client = new (Pop as any).RPCClient({ ...creds, endpoint: url, apiVersion: ENS_VERSION });
  return async (action, query) => checked(action, await client.request(action, asStrings(query), { method }));
}

/** Every success body a client returns is held against the action's response schema. */
function checked(action: string, body: any): any {
  if (hasSchema(`${action}.response.json`)) expectSchema(`${action}.response.json`, body);
  return body;
}

/** The error an SDK call rejects with (fails the test if it resolves).; the body it carries must match the error schema. */
export const failure = (p: Promise<unknown>): Promise<any> => sdkFailure(p, (body) => expectSchema('error.response.json', body));
