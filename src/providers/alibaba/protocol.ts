/**
 * The Alibaba RPC protocol for the pipeline: one endpoint (`/`, GET or POST) serving every product,
 * told apart by the API version a call names. A call is read from the query and the form body; the
 * caller is authenticated (auth.ts) and its key's RAM Actions checked; params are checked against
 * the operation's request schema (integer params handed to it as numbers, so bounds live there); a
 * ClientToken replays the first answer; every answer is the RPC envelope, JSON or XML as `Format`
 * asks, with `x-acs-request-id`.
 */
import type { EngineContext } from '../../core/context.js';
import type { Operation, ProviderProtocol } from '../../core/pipeline/protocol.js';
import type { ReadableError } from '../../core/schemas.js';
import { headerOf, jsonReply, type RawRequest } from '../../core/pipeline/request.js';
import { dict } from '../lookup.js';
import { allows } from './accounts.js';
import { AlibabaAuth, type RpcParams } from './auth.js';
import { AlibabaError, defineError, protocolErrors } from './errors.js';
import type { RpcCall, RpcOperation } from './operation.js';
import { ALIBABA } from './settings.js';
import { toXml } from './xml.js';
import { ALIBABA_RESOURCES } from './dashboard.js';

/** Params that belong to the protocol, not to the API: never passed to a handler. */
const PROTOCOL_PARAMS = new Set(['Action', 'Version', 'Format', 'Timestamp', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'SignatureType', 'AccessKeyId', 'Signature', 'SecurityToken', 'BearerToken']);
const JSON_TYPE = 'application/json;charset=utf-8';
/** The one XML content type the SDKs parse an error body from. */
const XML_TYPE = 'text/xml;charset=utf-8';

export type Format = 'JSON' | 'XML';

/** What the protocol knows of a call beyond what an operation sees. */
export interface AlibabaCall extends RpcCall {
  raw: RpcParams;
  hostId: string;
  product: string;
  /** How to answer: the `Format` param, else what the signature style gets by default (formatOf). */
  format: Format;
}

/**
 * `Format` (JSON or XML, any case: the generated SDKs send `json`). Absent: a call signed the RPC
 * way (a `Signature` param) gets the common-parameter pages' default, XML, unless the setting says
 * otherwise; ACS3 calls (action in a header: Format is not one of their parameters) and calls not
 * yet signed at all get JSON. Anything else is refused in JSON.
 */
function formatOf(raw: RpcParams, acs3: boolean, rpcDefault: Format): Format | AlibabaError {
  const asked = raw.all.Format;
  if (asked === undefined || asked === '') return !acs3 && raw.all.Signature !== undefined ? rpcDefault : 'JSON';
  const upper = asked.toUpperCase();
  if (upper === 'JSON' || upper === 'XML') return upper;
  return protocolErrors.invalidFormat(asked);
}

/** The params a request schema declares integers: the protocol hands them over as numbers. Read from the file: nothing is compiled at start. */
function integerParams(ctx: EngineContext, schemaId: string | undefined): string[] {
  if (!schemaId) return [];
  const schema = ctx.schemas.source(schemaId) as { properties?: Record<string, { type?: string }> } | undefined;
  return Object.entries(schema?.properties ?? {}).flatMap(([name, p]) => (p.type === 'integer' ? [name] : []));
}

/** A schema problem in the provider's words ("The specified parameter X is not valid."), not the validator's. */
function why(problem: ReadableError): string {
  const p = problem.params as Record<string, unknown>;
  switch (problem.keyword) {
    case 'type':
      return p.type === 'integer' ? 'It must be an integer.' : `It must be a ${String(p.type)}.`;
    case 'minimum':
      return `It must be at least ${String(p.limit)}.`;
    case 'maximum':
      return `It must be at most ${String(p.limit)}.`;
    case 'minLength':
      return 'It cannot be empty.';
    case 'maxLength':
      return `It must be at most ${String(p.limit)} characters long.`;
    case 'enum':
      return `It must be one of ${(p.allowedValues as unknown[]).join(', ')}.`;
    default:
      return '';
  }
}

type Row = Operation<AlibabaCall> & { rpc: RpcOperation; integers: string[] };

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

/** The `alibaba.extraRegions` setting as a set (parsed again only when it changes). */
let extraText = '';
let extraSet = new Set<string>();
function extraRegions(text: string): ReadonlySet<string> {
  if (text !== extraText) {
    extraText = text;
    extraSet = new Set(text.split(',').map((r) => r.trim()).filter(Boolean));
  }
  return extraSet;
}

export function alibabaProtocol(ctx: EngineContext, operations: RpcOperation[]): ProviderProtocol<AlibabaCall, unknown> {
  const auth = new AlibabaAuth(ctx);
  const rows: Row[] = operations.map((rpc) => {
    const id = `alibaba/${rpc.product}/${rpc.action}.request.json`;
    const schema = ctx.schemas.has(id) ? id : undefined;
    return {
      name: rpc.action,
      rpc,
      schema,
      integers: integerParams(ctx, schema),
      mutates: rpc.changesState === true,
      service: rpc.product,
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
    resources: ALIBABA_RESOURCES,
    // Alibaba request ids are upper-case UUIDs; the journal and log then name the id the client saw.
    requestId: (req) => req.id.toUpperCase(),

    route(req, env) {
      const requestId = req.id.toUpperCase();
      const raw = readParams(req);
      const call: AlibabaCall = { action: '', version: '', params: {}, regionId: undefined, accountId: '', accessKeyId: '', requestId, now: env.now, raw, hostId: String(req.headers.host ?? 'aliyuncs.com'), product: 'Eci', format: 'JSON' };
      const acs3 = headerOf(req, 'x-acs-action') !== undefined || String(req.headers.authorization ?? '').startsWith('ACS3-');
      const format = formatOf(raw, acs3, env.settings.get(ALIBABA.rpcDefaultFormat));
      if (format instanceof AlibabaError) return { refused: format, call };
      call.format = format;
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
      if (!action) return { refused: protocolErrors.missingCommon('Action'), call };
      if (!version) return { refused: protocolErrors.missingCommon('Version'), name: action, call };
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
      const denial = rpc.denied(permission, call);
      if (denial instanceof AlibabaError) throw denial;
      return { result: denial };
    },

    validate(_req, call, operation, env) {
      const token = call.params.ClientToken;
      if (token !== undefined && token !== '' && (token.length > 64 || !/^[\x20-\x7e]+$/.test(token))) {
        throw protocolErrors.invalidParameter('ClientToken', 'It must be at most 64 ASCII characters.');
      }
      const regions = rpcOf(operation).regions;
      const region = call.params.RegionId;
      if (regions && region !== undefined && region !== '' && !regions.has(region) && !extraRegions(env.settings.get(ALIBABA.extraRegions)).has(region)) {
        throw protocolErrors.regionNotFound(region);
      }
    },

    /** The params as the schema checks them: those it declares integers as numbers (when they are whole numbers). */
    input(call, operation) {
      const integers = (operation as Row).integers;
      if (integers.length === 0) return call.params;
      const out: Record<string, unknown> = dict<unknown>();
      Object.assign(out, call.params);
      for (const name of integers) {
        const raw = call.params[name];
        if (raw !== undefined && /^-?\d{1,30}$/.test(raw)) out[name] = Number(raw);
      }
      return out;
    },

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
      const headers = { 'x-acs-request-id': String(out.RequestId) };
      if (call.format === 'XML') return { status: 200, headers: { 'content-type': XML_TYPE, ...headers }, body: toXml(`${call.action}Response`, out) };
      return jsonReply(200, out, JSON_TYPE, headers);
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
      if (call?.format === 'XML') return { status: e.httpStatus, headers: { 'content-type': XML_TYPE, ...headers }, body: toXml('Error', envelope), code: e.code };
      return { ...jsonReply(e.httpStatus, envelope, JSON_TYPE, headers), code: e.code };
    },

    errors: {
      fault(rule) {
        const base = protocolErrors.internalError();
        return new AlibabaError(rule.httpStatus ?? base.httpStatus, rule.code ?? base.code, rule.message ?? base.message);
      },
      invalid(problems, operation) {
        const required = problems.find((e) => e.keyword === 'required');
        if (required) return protocolErrors.missingParameter(String(required.params.missingProperty));
        const first = problems[0]!;
        const name = first.keyword === 'additionalProperties' ? String(first.params.additionalProperty) : first.path.replace(/^\//, '').split('/')[0]!;
        const invalid = rpcOf(operation).invalidParameter ?? protocolErrors.invalidParameter;
        return invalid(name, why(first));
      },
      unavailable: () => protocolErrors.serviceUnavailable(),
      internal: () => protocolErrors.internalError(),
      notEmulated(name) {
        const e = ctx.settings.get(ALIBABA.unknownActionError) === 'InvalidAction' ? protocolErrors.invalidAction(name) : protocolErrors.invalidActionNotFound(name);
        return new AlibabaError(e.httpStatus, e.code, `${e.message} (cloud-api-emulator does not emulate ${name}.)`, e.extra);
      },
      throttled: () => protocolErrors.throttlingUser(),
    },
  };
}
