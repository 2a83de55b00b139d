/**
 * Huawei's protocol for the pipeline, in the order Huawei's own front door works: the gateway finds
 * the API (an unknown one under /v1/ is APIGW.0101), authenticates (token or AK/SK), then the
 * service checks x-request-id and the body. Three envelopes exist because three components answer:
 * the API gateway, IAM (the token call) and KooPhone itself. Every response carries X-Request-Id.
 */
import type { EngineContext } from '../../core/context.js';
import { jsonBody } from '../../core/http.js';
import type { ProviderProtocol } from '../../core/pipeline/protocol.js';
import { headerOf, jsonReply, type RawRequest } from '../../core/pipeline/request.js';
import { GatewayErrors, HuaweiError, IAM_TITLES, IamErrors, KooPhoneErrors } from './errors.js';
import { type Principal, authenticate } from './gateway/auth.js';
import type { SignableRequest } from './gateway/signature.js';
import { type Front, HUAWEI_OPERATIONS, type HuaweiCall, type HuaweiOperation, type HuaweiResult } from './operations.js';
import { HUAWEI } from './settings.js';
import { own } from '../lookup.js';
import { HUAWEI_RESOURCES } from './dashboard.js';

const PROVIDER = 'huawei';
/** Everything under /v1/ is the gateway's to answer: KooPhone's APIs, or 404 for one it does not publish. */
const GATEWAY_PREFIX = '/v1';
const IAM_TOKENS = '/v3/auth/tokens';
const JSON_TYPE = 'application/json;charset=UTF-8';

/** Longest client x-request-id echoed back (Node's clients refuse response heads over 16 KiB). */
const MAX_ECHOED_ID = 1024;

/** The requests Huawei's fronts answer: everything under /v1/ (the gateway), and the IAM token URL. */
export function claimsHuawei(head: { path: string }): boolean {
  return head.path === GATEWAY_PREFIX || head.path.startsWith(`${GATEWAY_PREFIX}/`) || head.path === IAM_TOKENS || head.path === `${IAM_TOKENS}/`;
}

/**
 * Whether a client's id can go back as a header: not too long, and only what a header may hold (the
 * query form decodes to any text, e.g. `%FF` → U+FFFD, which a header cannot carry).
 */
function echoable(id: string): boolean {
  return id.length <= MAX_ECHOED_ID && /^[\t\x20-\x7e\x80-\xff]*$/.test(id);
}

/** The gateway's own id for a request: 32 hex digits, as in APIG's request_id. */
function gatewayId(req: RawRequest): string {
  return req.id.replace(/-/g, '');
}

function queryOf(req: RawRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (!req.rawQuery) return out;
  for (const [k, v] of new URLSearchParams(req.rawQuery)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** ListInstances documents x-request-id as a query parameter. */
function queryRequestId(req: RawRequest): string | undefined {
  const v = queryOf(req)['x-request-id'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The X-Request-Id of a service's answer: the gateway's own id (as APIG adds it to every response),
 * or with the `echo` setting the client's id when it can be echoed.
 */
function responseRequestId(req: RawRequest, mode: 'gateway' | 'echo'): string {
  if (mode === 'gateway') return gatewayId(req);
  const fromClient = headerOf(req, 'x-request-id') ?? queryRequestId(req);
  return fromClient !== undefined && echoable(fromClient) ? fromClient : gatewayId(req);
}

function signable(req: RawRequest): SignableRequest {
  return { method: req.method, rawPath: req.path, rawQuery: req.rawQuery, header: (name) => headerOf(req, name), body: req.body };
}

function readBody(req: RawRequest): HuaweiCall['body'] {
  try {
    return { ok: true, value: jsonBody(req) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The front's internal error, for a fault rule's defaults and anything unexpected. */
function internalOf(front: Front | undefined): HuaweiError {
  return front === 'iam' ? IamErrors.internal() : KooPhoneErrors.internal();
}

/** The protocol, over the emulator's settings (the gateway's spelling and request ids are settings). */
export function huaweiProtocol(ctx: Pick<EngineContext, 'settings'>): ProviderProtocol<HuaweiCall, Principal | undefined> {
  return {
    name: PROVIDER,
    operations: HUAWEI_OPERATIONS,
    resources: HUAWEI_RESOURCES,

    route(req) {
      const front: Front = req.path.startsWith(IAM_TOKENS) ? 'iam' : 'koophone';
      const call: HuaweiCall = { front, body: { ok: true, value: undefined }, query: queryOf(req) };
      if (req.bodyError) {
        if (req.bodyError.kind === 'tooLarge') return { refused: GatewayErrors.entityTooLarge(), call };
        return { refused: front === 'iam' ? IamErrors.badRequest(req.bodyError.message) : KooPhoneErrors.parameterIncorrect(), call };
      }
      const path = front === 'iam' ? IAM_TOKENS : req.path;
      const operation = HUAWEI_OPERATIONS.find((op) => op.path === path && op.method === req.method);
      if (!operation) {
        // Any other method on the token URL is IAM's to answer; any other path or method under /v1/ the gateway's.
        if (front === 'iam') return { refused: IamErrors.methodNotAllowed(), name: 'KeystoneCreateUserTokenByPassword', call };
        return { unmatched: `${req.method} ${req.path}`, call };
      }
      if (operation.method === 'POST') call.body = readBody(req);
      return { operation, call };
    },

    authenticate(req, _call, operation, env, state) {
      if ((operation as HuaweiOperation).front === 'iam') return undefined;
      return authenticate(signable(req), state, { now: env.now, sdkDateSkewSeconds: env.settings.get(HUAWEI.sdkDateSkewSeconds) });
    },

    validate(req, _call, operation, env) {
      const op = operation as HuaweiOperation;
      if (op.front !== 'koophone') return;
      const requestId = (op.requestIdIn === 'query' ? queryRequestId(req) : undefined) ?? headerOf(req, 'x-request-id');
      if (requestId === undefined && env.settings.get(HUAWEI.requireRequestId)) throw KooPhoneErrors.missingRequestId(env.settings.get(HUAWEI.missingRequestIdStatus));
    },

    describe(req, call) {
      const body = call?.body.ok ? call.body.value : undefined;
      return { params: { query: call?.query ?? queryOf(req), ...(body === undefined ? {} : { body }) }, clientRequestId: headerOf(req, 'x-request-id') ?? queryRequestId(req) };
    },

    input(call, operation) {
      if ((operation as HuaweiOperation).method === 'GET') return call.query;
      return call.body.ok ? call.body.value : undefined;
    },

    render(result, _call, _operation, req) {
      const r = result as HuaweiResult;
      return jsonReply(r.status, r.body, JSON_TYPE, { 'X-Request-Id': responseRequestId(req, ctx.settings.get(HUAWEI.requestIdHeader)), ...(r.headers ?? {}) });
    },

    isError: (err) => err instanceof HuaweiError,

    renderError(err, _call, _operation, req) {
      const e = err as HuaweiError;
      const prefix = ctx.settings.get(HUAWEI.gatewayCodePrefix);
      const code = e.codeAs(prefix);
      // The gateway answers before the service sees the request: its header is its own id, the body's request_id.
      const headers = { 'X-Request-Id': e.envelope === 'gateway' ? gatewayId(req) : responseRequestId(req, ctx.settings.get(HUAWEI.requestIdHeader)) };
      let body: unknown;
      if (e.envelope === 'gateway') body = { error_msg: e.messageAs(prefix), error_code: code, request_id: gatewayId(req) };
      else if (e.envelope === 'iam') body = { error: { code: e.httpStatus, message: e.message, title: own(IAM_TITLES, e.httpStatus) ?? 'Error' } };
      else body = { error_code: code, error_msg: e.message };
      return { ...jsonReply(e.httpStatus, body, JSON_TYPE, headers), code };
    },

    errors: {
      fault(rule, _operation, call) {
        const base = internalOf(call.front);
        return new HuaweiError(base.envelope, rule.httpStatus ?? base.httpStatus, rule.code ?? base.code, rule.message ?? base.message);
      },
      invalid(problems, _operation, call) {
        if (call.front === 'iam') return IamErrors.badRequest(call.body.ok ? (problems[0]?.message ?? 'invalid') : 'the body is not valid JSON');
        return KooPhoneErrors.parameterIncorrect();
      },
      unavailable: (_operation, call) => internalOf(call?.front),
      internal: (_operation, call) => internalOf(call?.front),
      notEmulated(name) {
        const e = GatewayErrors.apiNotFound();
        const note = ` (cloud-api-emulator does not emulate ${name})`;
        return new HuaweiError(e.envelope, e.httpStatus, e.code, `${e.message}${note}`, e.apigMessage === undefined ? undefined : `${e.apigMessage}${note}`);
      },
      // APIG's throttling answer (documented code and message; the status is 429 as the gateway FAQs have it).
      throttled(rule) {
        const { requests, windowMs } = rule.rateLimit ?? { requests: 1, windowMs: 60_000 };
        const time = windowMs === 60_000 ? '1 minute' : windowMs === 1000 ? '1 second' : `${windowMs} ms`;
        return new HuaweiError('gateway', 429, '0308', `The throttling threshold has been reached: policy user over ratelimit,limit:${requests},time:${time}`);
      },
    },
  };
}
