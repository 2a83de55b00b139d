/**
 * The Huawei side of the emulator, in the order Huawei's own front door works:
 *   request id → body (size limit) → route → gateway auth → injected faults → x-request-id →
 *   request schema → handler → envelope.
 * KooPhone lives under /v1/instances (koophone.myhuaweicloud.com), IAM's token call at /v3/auth/tokens
 * (iam.<region>.myhuaweicloud.com); both are served on the emulator's one port.
 */
import { randomBytes } from 'node:crypto';
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { EngineContext } from '../../core/context.js';
import { DurabilityError } from '../../core/errors.js';
import { BodyError, jsonBody, rawBody, tagRequest } from '../../core/http.js';
import { own } from '../lookup.js';
import { COLLECTION } from './collections.js';
import { GatewayErrors, HuaweiError, IAM_TITLES, IamErrors, KooPhoneErrors } from './errors.js';
import { type Principal, authenticate } from './gateway/auth.js';
import type { SignableRequest } from './gateway/signature.js';
import { type CodesPlacement, type ListQuery, listInstances, queryStatus, rebootInstances } from './koophone/handlers.js';
import { parseRebootPath } from './koophone/instances.js';
import { issueToken, type TokenRequest } from './iam/tokens.js';
import { REBOOT_TRANSITION, SETTING } from './settings.js';

const PROVIDER = 'huawei';
const SCHEMA = {
  reboot: 'huawei/koophone/reboot.request.json',
  status: 'huawei/koophone/batch-query-status.request.json',
  list: 'huawei/koophone/batch-query.request.json',
  token: 'huawei/iam/auth-tokens.request.json',
};

/** Longest client x-request-id echoed back (Node's clients refuse response heads over 16 KiB). */
const MAX_ECHOED_ID = 1024;

/**
 * Whether a client's id can go back as a header: not too long, and only what a header may hold (the
 * query form decodes to any text, e.g. `%FF` → U+FFFD, which setHeader refuses).
 */
function echoable(id: string): boolean {
  return id.length <= MAX_ECHOED_ID && /^[\t\x20-\x7e\x80-\xff]*$/.test(id);
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json;charset=UTF-8').send(JSON.stringify(body));
}

/** The gateway's own id for a request: 32 hex digits, as in APIG's request_id. */
function gatewayId(res: Response): string {
  return String(res.locals.requestId).replace(/-/g, '');
}

function render(res: Response, err: HuaweiError): void {
  tagRequest(res, { errorCode: err.code });
  if (err.envelope === 'gateway') return send(res, err.httpStatus, { error_msg: err.message, error_code: err.code, request_id: gatewayId(res) });
  if (err.envelope === 'iam') return send(res, err.httpStatus, { error: { code: err.httpStatus, message: err.message, title: own(IAM_TITLES, err.httpStatus) ?? 'Error' } });
  send(res, err.httpStatus, { error_code: err.code, error_msg: err.message });
}

function signable(req: Request): SignableRequest {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return {
    method: req.method,
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    header: (name) => {
      // Names come from the client's SignedHeaders: only headers it sent, never an inherited `constructor`.
      const v = own(req.headers, name);
      return Array.isArray(v) ? v.join(',') : v;
    },
    body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  };
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** ListInstances documents x-request-id as a query parameter. */
function queryRequestId(req: Request): string | undefined {
  const v = req.query['x-request-id'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The X-Request-Id to answer with: the client's when it can be echoed, else the gateway's own. */
function responseRequestId(req: Request, res: Response): string {
  const fromClient = header(req, 'x-request-id') ?? queryRequestId(req);
  return fromClient !== undefined && echoable(fromClient) ? fromClient : gatewayId(res);
}

/** Reads the body as JSON for a request schema; anything unreadable is the operation's own 400. */
function parseBody(req: Request, res: Response, invalid: () => HuaweiError): unknown {
  const body = parsedBody(req, res);
  if (body.ok) return body.value;
  if (body.error instanceof BodyError) throw invalid();
  throw body.error;
}

/** The body read as JSON at most once per request (a fault rule and the schema both look at it). */
function parsedBody(req: Request, res: Response): { ok: true; value: unknown } | { ok: false; error: unknown } {
  if (!res.locals.huaweiBody) {
    try {
      res.locals.huaweiBody = { ok: true, value: jsonBody(req) };
    } catch (error) {
      res.locals.huaweiBody = { ok: false, error };
    }
  }
  return res.locals.huaweiBody;
}

/** instance_ids out of a body that may be anything, for matching fault rules before validation. */
function idsOf(req: Request, res: Response): () => string[] {
  return () => {
    const body = parsedBody(req, res);
    const ids = body.ok ? (body.value as any)?.instance_ids : undefined;
    return Array.isArray(ids) ? ids.filter((x: unknown): x is string => typeof x === 'string') : [];
  };
}

/** Common wiring of one Huawei router: request ids, body reading, error rendering. */
function frontDoor(ctx: EngineContext, fallback: (err: unknown) => HuaweiError): { before: Router; after: (err: unknown, req: Request, res: Response, next: NextFunction) => void } {
  const before = Router();
  before.use((req, res, next) => {
    tagRequest(res, { provider: PROVIDER });
    res.setHeader('X-Request-Id', responseRequestId(req, res));
    next();
  });
  before.use(rawBody(ctx.config.bodyLimit));
  const after = (err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof HuaweiError) return render(res, err);
    if (err instanceof BodyError && err.kind === 'tooLarge') return render(res, GatewayErrors.entityTooLarge());
    // A change that could not be stored was undone (the store logged why): the service's documented internal error.
    if (err instanceof DurabilityError) return render(res, fallback(err));
    const rendered = fallback(err);
    if (rendered.httpStatus >= 500) ctx.logger.error({ err }, 'huawei: unexpected failure');
    render(res, rendered);
  };
  return { before, after };
}

async function applyFault(ctx: EngineContext, operation: string, resourceIds: () => string[], fail: (code?: string, message?: string, status?: number) => HuaweiError): Promise<void> {
  // Reading the ids costs a body parse: only when a rule exists at all.
  if (ctx.faults.size === 0) return;
  const rule = ctx.faults.match({ provider: PROVIDER, operation, resourceIds: resourceIds() });
  if (!rule) return;
  if (rule.latencyMs) await new Promise((resolve) => setTimeout(resolve, rule.latencyMs));
  const failing = rule.httpStatus !== undefined || rule.code !== undefined || rule.message !== undefined || !rule.latencyMs;
  if (failing) throw fail(rule.code, rule.message, rule.httpStatus);
}

function kooPhoneFault(code?: string, message?: string, status?: number): HuaweiError {
  const base = KooPhoneErrors.internal();
  return new HuaweiError('koophone', status ?? base.httpStatus, code ?? base.code, message ?? base.message);
}

export function kooPhoneRouter(ctx: EngineContext): Router {
  const r = Router();
  const { before, after } = frontDoor(ctx, (err) => (err instanceof BodyError ? KooPhoneErrors.parameterIncorrect() : KooPhoneErrors.internal()));
  // Scoped to the KooPhone prefix: the routers share the app, and others' requests must pass untouched.
  r.use('/v1/instances', before);

  const options = () => ({ noPermissionStatus: ctx.settings.get<number>(SETTING.noPermissionStatus) });

  /** Everything every KooPhone operation does before its handler; returns who is calling. */
  async function admit(req: Request, res: Response, operation: string, resourceIds: () => string[], requestIdFrom: 'header' | 'query'): Promise<Principal> {
    tagRequest(res, { operation });
    const principal = authenticate(signable(req), ctx.store, { now: ctx.clock.now(), sdkDateSkewSeconds: ctx.settings.get<number>(SETTING.sdkDateSkewSeconds) });
    await applyFault(ctx, operation, resourceIds, kooPhoneFault);
    const requestId = (requestIdFrom === 'query' ? queryRequestId(req) : undefined) ?? header(req, 'x-request-id');
    if (requestId === undefined && ctx.settings.get<boolean>(SETTING.requireRequestId)) throw KooPhoneErrors.missingRequestId(ctx.settings.get<number>(SETTING.missingRequestIdStatus));
    return principal;
  }

  function instanceIds(req: Request, res: Response, schema: string): string[] {
    const body = parseBody(req, res, KooPhoneErrors.parameterIncorrect);
    if (ctx.schemas.check(schema, body).length > 0) throw KooPhoneErrors.parameterIncorrect();
    return (body as { instance_ids: string[] }).instance_ids;
  }

  r.post('/v1/instances/reboot', async (req, res) => {
    const principal = await admit(req, res, 'BatchRebootInstance', idsOf(req, res), 'header');
    const ids = instanceIds(req, res, SCHEMA.reboot);
    const path = parseRebootPath(ctx.settings.get<string>(SETTING.rebootPath));
    if (!path) {
      ctx.logger.warn({ setting: SETTING.rebootPath, value: ctx.settings.get<string>(SETTING.rebootPath) }, 'huawei: invalid reboot path setting (use e.g. 2,4,2)');
      throw KooPhoneErrors.internal();
    }
    const now = ctx.clock.now();
    const result = await ctx.store.mutate((tx) =>
      rebootInstances(tx, ids, principal, options(), {
        path,
        durationMs: ctx.durations.get(REBOOT_TRANSITION),
        now,
        schedule: (t, id, steps) => ctx.lifecycle.schedule(t, COLLECTION.instances, id, steps),
        cancel: (t, id) => ctx.lifecycle.cancel(t, COLLECTION.instances, id),
      }),
    );
    send(res, 200, result);
  });

  r.post('/v1/instances/batch-query-status', async (req, res) => {
    const principal = await admit(req, res, 'BatchQueryStatus', idsOf(req, res), 'header');
    const ids = instanceIds(req, res, SCHEMA.status);
    send(res, 200, queryStatus(ctx.store, ids, principal, options()));
  });

  r.get('/v1/instances/batch-query', async (req, res) => {
    const instanceId = typeof req.query.instance_id === 'string' ? [req.query.instance_id] : [];
    const principal = await admit(req, res, 'ListInstances', () => instanceId, 'query');
    if (ctx.schemas.check(SCHEMA.list, req.query).length > 0) throw KooPhoneErrors.parameterIncorrect();
    const q = req.query as Record<string, string>;
    const query: ListQuery = {
      page_no: Number(q.page_no),
      page_size: Number(q.page_size),
      instance_id: q.instance_id,
      instance_name: q.instance_name,
      query_start_time: q.query_start_time,
      query_end_time: q.query_end_time,
    };
    send(res, 200, listInstances(ctx.store, query, principal, ctx.settings.get<CodesPlacement>(SETTING.listCodesPlacement)));
  });

  // Any other path under /v1/instances: the gateway has no such API (the other KooPhone operations are not emulated).
  r.use('/v1/instances', (_req, res) => {
    tagRequest(res, { operation: 'unknown' });
    render(res, GatewayErrors.apiNotFound());
  });
  r.use('/v1/instances', after);
  return r;
}

export function iamRouter(ctx: EngineContext): Router {
  const r = Router();
  const { before, after } = frontDoor(ctx, (err) => (err instanceof BodyError ? IamErrors.badRequest(err.message) : IamErrors.internal()));

  r.post('/v3/auth/tokens', before, async (req, res) => {
    tagRequest(res, { operation: 'KeystoneCreateUserTokenByPassword' });
    await applyFault(ctx, 'KeystoneCreateUserTokenByPassword', () => [], (code, message, status) => {
      const base = IamErrors.internal();
      return new HuaweiError('iam', status ?? base.httpStatus, code ?? base.code, message ?? base.message);
    });
    const body = parseBody(req, res, () => IamErrors.badRequest('the body is not valid JSON'));
    const errors = ctx.schemas.check(SCHEMA.token, body);
    if (errors.length > 0) throw IamErrors.badRequest(errors[0]!.message);
    const token = `MII${randomBytes(96).toString('base64url')}`;
    // IAM: "if this parameter is set" the catalog is left out; any non-empty value counts as true.
    const nocatalog = req.query.nocatalog;
    const withCatalog = !(typeof nocatalog === 'string' && nocatalog !== '');
    const lifetime = ctx.settings.get<number>(SETTING.tokenLifetimeSeconds);
    const result = await ctx.store.mutate((tx) => issueToken(tx, body as TokenRequest, ctx.clock.now(), lifetime, withCatalog, token));
    res.setHeader('X-Subject-Token', token);
    send(res, 201, result);
  });
  // Any other method on the token URL is IAM's to answer (not the emulator's generic 404, nor Express's OPTIONS reply).
  r.all('/v3/auth/tokens', before, (_req, res) => {
    tagRequest(res, { operation: 'KeystoneCreateUserTokenByPassword' });
    render(res, IamErrors.methodNotAllowed());
  });
  r.use('/v3/auth/tokens', after);
  return r;
}
