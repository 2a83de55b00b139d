/**
 * Huawei's protocol for the pipeline, in the order Huawei's own front door works: the gateway finds
 * the API (an unknown one under /v1/instances is APIG.0101), authenticates (token or AK/SK), then the
 * service checks x-request-id and the body. Three envelopes exist because three components answer:
 * the API gateway, IAM (the token call) and KooPhone itself. Every response carries X-Request-Id.
 */
import { jsonBody } from '../../core/http.js';
import type { ProviderProtocol } from '../../core/pipeline/protocol.js';
import { headerOf, jsonReply, type RawRequest } from '../../core/pipeline/request.js';
import { GatewayErrors, HuaweiError, IAM_TITLES, IamErrors, KooPhoneErrors } from './errors.js';
import { type Principal, authenticate } from './gateway/auth.js';
import type { SignableRequest } from './gateway/signature.js';
import { type Front, HUAWEI_OPERATIONS, type HuaweiCall, type HuaweiOperation, type HuaweiResult } from './operations.js';
import { HUAWEI } from './settings.js';
import { own } from '../lookup.js';

const PROVIDER = 'huawei';
const KOOPHONE_PREFIX = '/v1/instances';
const IAM_TOKENS = '/v3/auth/tokens';
const JSON_TYPE = 'application/json;charset=UTF-8';

/** Longest client x-request-id echoed back (Node's clients refuse response heads over 16 KiB). */
const MAX_ECHOED_ID = 1024;

/** The requests Huawei's fronts answer: everything under /v1/instances, and the IAM token URL. */
export function claimsHuawei(head: { path: string }): boolean {
  return head.path === KOOPHONE_PREFIX || head.path.startsWith(`${KOOPHONE_PREFIX}/`) || head.path === IAM_TOKENS || head.path === `${IAM_TOKENS}/`;
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

/** The X-Request-Id to answer with: the client's when it can be echoed, else the gateway's own. */
function responseRequestId(req: RawRequest): string {
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

export const huaweiProtocol: ProviderProtocol<HuaweiCall, Principal | undefined> = {
  name: PROVIDER,
  operations: HUAWEI_OPERATIONS,

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
      // Any other method on the token URL is IAM's to answer; any other path under /v1/instances the gateway's.
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
    return jsonReply(r.status, r.body, JSON_TYPE, { 'X-Request-Id': responseRequestId(req), ...(r.headers ?? {}) });
  },

  isError: (err) => err instanceof HuaweiError,

  renderError(err, _call, _operation, req) {
    const e = err as HuaweiError;
    const headers = { 'X-Request-Id': responseRequestId(req) };
    let body: unknown;
    if (e.envelope === 'gateway') body = { error_msg: e.message, error_code: e.code, request_id: gatewayId(req) };
    else if (e.envelope === 'iam') body = { error: { code: e.httpStatus, message: e.message, title: own(IAM_TITLES, e.httpStatus) ?? 'Error' } };
    else body = { error_code: e.code, error_msg: e.message };
    return { ...jsonReply(e.httpStatus, body, JSON_TYPE, headers), code: e.code };
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
      return new HuaweiError(e.envelope, e.httpStatus, e.code, `${e.message} (cloud-api-emulator does not emulate ${name})`);
    },
    // APIG's throttling answer (documented code and message; the status is 429 as the gateway FAQs have it).
    throttled(rule) {
      const { requests, windowMs } = rule.rateLimit ?? { requests: 1, windowMs: 60_000 };
      const time = windowMs === 60_000 ? '1 minute' : windowMs === 1000 ? '1 second' : `${windowMs} ms`;
      return new HuaweiError('gateway', 429, 'APIG.0308', `The throttling threshold has been reached: policy user over ratelimit,limit:${requests},time:${time}`);
    },
  },
};
