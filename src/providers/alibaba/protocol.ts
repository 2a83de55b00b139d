/**
 * The Alibaba RPC protocol for the pipeline: one endpoint (`/`, GET or POST) serving every product,
 * told apart by the API version a call names. A call is read from the query and the form body; the
 * caller is authenticated (auth.ts) and its key's RAM Actions checked; params are checked against
 * the operation's request schema; a ClientToken replays the first answer; every answer is the RPC
 * JSON envelope with `x-acs-request-id`.
 */
import type { EngineContext } from '../../core/context.js';
import type { Operation, ProviderProtocol } from '../../core/pipeline/protocol.js';
import { headerOf, jsonReply, type RawRequest } from '../../core/pipeline/request.js';
import { dict } from '../lookup.js';
import { allows } from './accounts.js';
import { AlibabaAuth, type RpcParams } from './auth.js';
import { accessDeniedDetail, AlibabaError, defineError, protocolErrors } from './errors.js';
import type { RpcCall, RpcOperation } from './operation.js';
import { ALIBABA } from './settings.js';

/** Params that belong to the protocol, not to the API: never passed to a handler. */
const PROTOCOL_PARAMS = new Set(['Action', 'Version', 'Format', 'Timestamp', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'SignatureType', 'AccessKeyId', 'Signature', 'SecurityToken', 'BearerToken']);
const JSON_TYPE = 'application/json;charset=utf-8';

/** The default permission error: ENS documents 400 NoPermission; the detail is what RAM adds. */
const noPermission = defineError(
  400,
  'NoPermission',
  (_action: string, _accountId: string, _accessKeyId: string) => 'The operator is not permission for this operation.',
  (action: string, accountId: string, accessKeyId: string) => ({ AccessDeniedDetail: accessDeniedDetail(action, accountId, accessKeyId) }),
);

/** The documented throttling answer (captured from ECI): the SDKs retry it after `x-acs-retry-after`. */
const throttlingUser = defineError(400, 'Throttling.User', () => 'Request was denied due to user flow control.');

/** What the protocol knows of a call beyond what an operation sees. */
export interface AlibabaCall extends RpcCall {
  raw: RpcParams;
  hostId: string;
  product: string;
}

type Row = Operation<AlibabaCall> & { rpc: RpcOperation };

/** An RPC call names its action, or carries Alibaba credentials; anything else is not ours. */
export function claimsAlibaba(head: { path: string; rawQuery: string; headers: Record<string, string | string[] | undefined> }): boolean {
  if (head.path !== '/') return false;
  const h = head.headers;
  if (h['x-acs-action'] || h['x-acs-version']) return true;
  if (String(h.authorization ?? '').startsWith('ACS3-')) return true;
  if (head.rawQuery) {
    const p = new URLSearchParams(head.rawQuery);
    if (p.has('Action') || p.has('AccessKeyId') || p.has('Signature')) return true;
  }
  return String(h['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}

/** Decoded params; the last of a repeated name wins, and none can reach an inherited property. */
function readParams(req: RawRequest): RpcParams {
  const query = dict<string>();
  for (const [k, v] of new URLSearchParams(req.rawQuery)) query[k] = v;
  const all = Object.assign(dict<string>(), query);
  if (req.body.length > 0 && String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) all[k] = v;
  }
  return { query, all };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function alibabaProtocol(ctx: EngineContext, operations: RpcOperation[]): ProviderProtocol<AlibabaCall, unknown> {
  const auth = new AlibabaAuth(ctx);
  const rows: Row[] = operations.map((rpc) => {
    const schema = `alibaba/${rpc.product}/${rpc.action}.request.json`;
    return {
      name: rpc.action,
      rpc,
      schema: ctx.schemas.has(schema) ? schema : undefined,
      mutates: rpc.changesState === true,
      resources: (call: AlibabaCall) => rpc.resourceIds?.(call) ?? [],
      handle: (call: AlibabaCall, tx, env) => rpc.handle(call, tx, env),
    };
  });
  const byKey = new Map<string, Row>(rows.map((r) => [`${r.rpc.version}|${r.rpc.action}`, r]));
  const knownActions = new Set(operations.map((op) => op.action));
  const hostByVersion = new Map<string, { hostId: string; product: string }>(operations.map((op) => [op.version, { hostId: op.hostId, product: op.product }]));

  const rpcOf = (operation: Operation<AlibabaCall>) => (operation as Row).rpc;

  return {
    name: 'alibaba',
    operations: rows,
    // Alibaba request ids are upper-case UUIDs; the journal and log then name the id the client saw.
    requestId: (req) => req.id.toUpperCase(),

    route(req, env) {
      const requestId = req.id.toUpperCase();
      const raw = readParams(req);
      const call: AlibabaCall = { action: '', version: '', params: {}, regionId: undefined, accountId: '', accessKeyId: '', requestId, now: env.now, raw, hostId: String(req.headers.host ?? 'aliyuncs.com'), product: 'Eci' };
      if (req.bodyError) {
        return { refused: req.bodyError.kind === 'tooLarge' ? protocolErrors.bodyTooLarge(req.bodyLimit) : protocolErrors.badBody(req.bodyError.message), call };
      }
      if (req.method !== 'GET' && req.method !== 'POST') return { refused: protocolErrors.unsupportedHttpMethod(req.method), call };
      const action = headerOf(req, 'x-acs-action') ?? raw.all.Action;
      const version = headerOf(req, 'x-acs-version') ?? raw.all.Version;
      const known = version ? hostByVersion.get(version) : undefined;
      if (known) {
        call.hostId = known.hostId;
        call.product = capitalize(known.product);
      }
      if (!action) return { refused: protocolErrors.missingAction(), call };
      if (!version) return { refused: protocolErrors.missingVersion(), name: action, call };
      if (!known) return { refused: protocolErrors.invalidVersion(version), name: action, call };
      const operation = byKey.get(`${version}|${action}`);
      if (!operation) {
        // An action served under another version is a wrong call, answered as documented; one served
        // under none is not emulated (a typo, or an API the emulator does not have).
        if (!knownActions.has(action)) return { unmatched: action, call };
        const refused = env.settings.get(ALIBABA.unknownActionError) === 'InvalidAction' ? protocolErrors.invalidAction(action) : protocolErrors.invalidActionNotFound(action);
        return { refused, name: action, call };
      }
      call.action = action;
      call.version = version;
      const params = dict<string>();
      for (const [k, v] of Object.entries(raw.all)) if (!PROTOCOL_PARAMS.has(k)) params[k] = v;
      call.params = params;
      call.regionId = params.RegionId;
      return { operation, call };
    },

    /** Completes the call with the caller's account: operations scope everything by it. */
    async authenticate(req, call, _operation, env, state) {
      const caller = await auth.authenticate(req, call.raw, state, env.now);
      call.accountId = caller.accountId;
      call.accessKeyId = caller.accessKeyId;
      return caller;
    },

    authorize(call, operation, env) {
      const caller = env.principal as { key?: { Actions?: string[] } };
      const rpc = rpcOf(operation);
      const permission = rpc.permission ?? `${rpc.product}:${rpc.action}`;
      if (!caller.key || allows(caller.key.Actions, permission)) return undefined;
      const denial = rpc.denied ? rpc.denied(permission, call) : noPermission(permission, call.accountId, call.accessKeyId);
      if (denial instanceof AlibabaError) throw denial;
      return { result: denial };
    },

    validate(_req, call) {
      const token = call.params.ClientToken;
      if (token !== undefined && token !== '' && (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))) {
        throw protocolErrors.invalidParameter('ClientToken', 'It must be at most 64 ASCII characters.');
      }
    },

    input: (call) => call.params,

    describe: (_req, call) => ({ params: call?.raw.all }),

    clientToken(call, operation) {
      const token = call.params.ClientToken;
      if (token === undefined || token === '') return undefined;
      const rpc = rpcOf(operation);
      return { scope: `alibaba:${call.accountId}:${rpc.product}:${rpc.action}`, token, input: call.params, mismatch: () => protocolErrors.idempotentParameterMismatch() };
    },

    /** A token keeps the whole body, RequestId first, so a replay answers with the first call's id. */
    remember: (result, call) => ({ RequestId: call.requestId, ...(result as Record<string, unknown>) }),

    render(result, call) {
      const body = result as Record<string, unknown>;
      const out = typeof body.RequestId === 'string' ? body : { RequestId: call.requestId, ...body };
      return jsonReply(200, out, JSON_TYPE, { 'x-acs-request-id': String(out.RequestId) });
    },

    isError: (err) => err instanceof AlibabaError,

    renderError(err, call, _operation, req) {
      const e = err as AlibabaError;
      const requestId = call?.requestId ?? req.id.toUpperCase();
      const product = call?.product ?? 'Eci';
      const envelope = {
        RequestId: requestId,
        HostId: call?.hostId ?? String(req.headers.host ?? 'aliyuncs.com'),
        Code: e.code,
        Message: e.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=${product}&requestId=${requestId}`,
        ...(e.extra ?? {}),
      };
      const headers: Record<string, string> = { 'x-acs-request-id': requestId };
      if (e.code.includes('Throttling')) headers['x-acs-retry-after'] = '1000';
      return { ...jsonReply(e.httpStatus, envelope, JSON_TYPE, headers), code: e.code };
    },

    errors: {
      fault(rule) {
        const base = protocolErrors.internalError();
        return new AlibabaError(rule.httpStatus ?? base.httpStatus, rule.code ?? base.code, rule.message ?? base.message);
      },
      invalid(problems) {
        const required = problems.find((e) => e.keyword === 'required');
        if (required) return protocolErrors.missingParameter(String(required.params.missingProperty));
        const first = problems[0]!;
        const name = first.keyword === 'additionalProperties' ? String(first.params.additionalProperty) : first.path.replace(/^\//, '').split('/')[0]!;
        return protocolErrors.invalidParameter(name, first.message.replace(/^\S+\s/, 'It '));
      },
      unavailable: () => protocolErrors.serviceUnavailable(),
      internal: () => protocolErrors.internalError(),
      notEmulated(name) {
        const e = ctx.settings.get(ALIBABA.unknownActionError) === 'InvalidAction' ? protocolErrors.invalidAction(name) : protocolErrors.invalidActionNotFound(name);
        return new AlibabaError(e.httpStatus, e.code, `${e.message} (cloud-api-emulator does not emulate ${name}.)`, e.extra);
      },
      throttled: () => throttlingUser(),
    },
  };
}
