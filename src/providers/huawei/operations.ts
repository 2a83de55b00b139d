/**
 * The Huawei operations, one row each: KooPhone's three behind the API gateway, and IAM's token call.
 * Each handler is pure over (call, transaction, env) and throws the errors of errors.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Operation } from '../../core/pipeline/protocol.js';
import type { Settings } from '../../core/settings.js';
import { COLLECTION } from './collections.js';
import { KooPhoneErrors } from './errors.js';
import type { Principal } from './gateway/auth.js';
import { type KooPhoneOptions, type ListQuery, listInstances, queryStatus, rebootInstances } from './koophone/handlers.js';
import { parseRebootPath } from './koophone/instances.js';
import { issueToken, type TokenRequest } from './iam/tokens.js';
import { REBOOT_TRANSITION, HUAWEI } from './settings.js';

/** Which front answers: KooPhone behind the gateway, or IAM (its own envelope, no gateway auth). */
export type Front = 'koophone' | 'iam';

export interface HuaweiCall {
  front: Front;
  /** The body read as JSON, or why it could not be (the operation's own 400, at the schema step). */
  body: { ok: true; value: unknown } | { ok: false; error: unknown };
  /** Query parameters; a repeated one is a list (which no schema accepts). */
  query: Record<string, string | string[]>;
}

/** A successful answer: status, body and any headers beyond the common ones. */
export interface HuaweiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type HuaweiOperation = Operation<HuaweiCall, Principal | undefined, HuaweiResult> & {
  method: 'GET' | 'POST';
  path: string;
  front: Front;
  /** Where the operation documents x-request-id (ListInstances: the query). */
  requestIdIn?: 'header' | 'query';
};

/** instance_ids from a body that may be anything, for fault rules before the schema has looked. */
function instanceIdsOf(call: HuaweiCall): string[] {
  const ids = call.body.ok ? (call.body.value as { instance_ids?: unknown } | null)?.instance_ids : undefined;
  return Array.isArray(ids) ? ids.filter((x: unknown): x is string => typeof x === 'string') : [];
}

/** The settings every KooPhone handler answers by. */
function kooPhoneOptions(settings: Settings): KooPhoneOptions {
  return { noPermissionStatus: settings.get(HUAWEI.noPermissionStatus), stateErrorStatus: settings.get(HUAWEI.stateErrorStatus) };
}

const value = <T>(call: HuaweiCall) => (call.body as { value: T }).value;

export const HUAWEI_OPERATIONS: HuaweiOperation[] = [
  {
    name: 'BatchRebootInstance',
    method: 'POST',
    path: '/v1/instances/reboot',
    front: 'koophone',
    service: 'koophone',
    schema: 'huawei/koophone/reboot.request.json',
    mutates: true,
    resources: instanceIdsOf,
    handle(call, tx, env) {
      const settingPath = env.settings.get(HUAWEI.rebootPath);
      const path = parseRebootPath(settingPath);
      if (!path) {
        env.logger.warn({ setting: HUAWEI.rebootPath.key, value: settingPath }, 'huawei: invalid reboot path setting (use e.g. 2,4,2)');
        throw KooPhoneErrors.internal();
      }
      const body = rebootInstances(tx, value<{ instance_ids: string[] }>(call).instance_ids, env.principal!, kooPhoneOptions(env.settings), {
        path,
        durationMs: env.durations.get(REBOOT_TRANSITION),
        now: env.now,
        schedule: (t, id, steps) => env.lifecycle.schedule(t, COLLECTION.instances, id, steps),
        cancel: (t, id) => env.lifecycle.cancel(t, COLLECTION.instances, id),
        faultOf: (id) => env.transitionFault(id),
      });
      return { status: 200, body };
    },
  },
  {
    name: 'BatchQueryStatus',
    method: 'POST',
    path: '/v1/instances/batch-query-status',
    front: 'koophone',
    service: 'koophone',
    schema: 'huawei/koophone/batch-query-status.request.json',
    resources: instanceIdsOf,
    handle(call, tx, env) {
      const ids = value<{ instance_ids: string[] }>(call).instance_ids;
      return { status: 200, body: queryStatus(tx, ids, env.principal!, kooPhoneOptions(env.settings)) };
    },
  },
  {
    name: 'ListInstances',
    method: 'GET',
    path: '/v1/instances/batch-query',
    front: 'koophone',
    service: 'koophone',
    requestIdIn: 'query',
    schema: 'huawei/koophone/batch-query.request.json',
    resources: (call) => (typeof call.query.instance_id === 'string' ? [call.query.instance_id] : []),
    handle(call, tx, env) {
      const q = call.query as Record<string, string>;
      const query: ListQuery = {
        page_no: Number(q.page_no),
        page_size: Number(q.page_size),
        instance_id: q.instance_id,
        instance_name: q.instance_name,
        query_start_time: q.query_start_time,
        query_end_time: q.query_end_time,
      };
      return { status: 200, body: listInstances(tx, query, env.principal!, env.settings.get(HUAWEI.listCodesPlacement), kooPhoneOptions(env.settings)) };
    },
  },
  {
    name: 'KeystoneCreateUserTokenByPassword',
    method: 'POST',
    path: '/v3/auth/tokens',
    front: 'iam',
    service: 'iam',
    schema: 'huawei/iam/auth-tokens.request.json',
    mutates: true,
    handle(call, tx, env) {
      const token = `MII${randomBytes(96).toString('base64url')}`;
      // IAM: "if this parameter is set" the catalog is left out; any non-empty value counts as true.
      const nocatalog = call.query.nocatalog;
      const withCatalog = !(typeof nocatalog === 'string' && nocatalog !== '');
      const body = issueToken(tx, value<TokenRequest>(call), env.now, env.settings.get(HUAWEI.tokenLifetimeSeconds), withCatalog, token);
      return { status: 201, body, headers: { 'X-Subject-Token': token } };
    },
  },
];
