/**
 * The ECE HTTP front: everything under /api/ is ECE's. Per request, in order: route (unknown →
 * 404 root.resource_not_found), authenticate (401), authorize commands (403, then 449 while
 * elevation is required), typed query parameters (400), injected faults, then the handler. Every
 * error leaves as a BasicFailedReply with the `x-cloud-error-codes` header.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import type { EngineContext } from '../../core/context.js';
import { DurabilityError } from '../../core/errors.js';
import { BodyError, jsonBody, rawBody, tagRequest } from '../../core/http.js';
import { authenticate, isElevated, mayRunCommands, type Principal } from './auth.js';
import { EceError, errors, faultError } from './errors.js';
import type { Call, Reply } from './handlers.js';
import { own } from '../lookup.js';
import { type ParamType, type Route, matchRoute } from './routes.js';

const PREFIX = ['api', 'v1'];

/** Node knows no reason phrase for 449 ("Retry With", the status ECE's sudo model borrowed). */
const REASONS: Record<number, string> = { 449: 'Retry With' };

function send(res: Response, reply: Reply): void {
  res.status(reply.status);
  const reason = own(REASONS, reply.status);
  if (reason) res.statusMessage = reason;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.type('application/json').send(JSON.stringify(reply.body));
}

function sendError(res: Response, err: EceError): void {
  tagRequest(res, { errorCode: err.code });
  send(res, { status: err.status, body: err.body(), headers: { 'x-cloud-error-codes': err.code } });
}

function parseQuery(route: Route, query: Record<string, unknown>): Call['query'] {
  const out: Call['query'] = {};
  for (const [name, type] of Object.entries(route.query) as Array<[string, ParamType]>) {
    const raw = query[name];
    if (raw === undefined) continue;
    const text = Array.isArray(raw) ? raw.map(String).join(',') : String(raw);
    if (type === 'boolean') {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw errors.malformedQueryParam(name, text, 'Boolean');
      out[name] = lower === 'true';
    } else {
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw errors.malformedQueryParam(name, text, 'Integer');
      out[name] = Number(text);
    }
  }
  return out;
}

function segmentsOf(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a broken %-escape names no resource
  }
}

export function elasticRouter(ctx: EngineContext): Router {
  const r = Router();
  const body = rawBody(ctx.config.bodyLimit);

  r.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/api' && !req.path.startsWith('/api/')) return next();
    tagRequest(res, { provider: 'elastic' });
    body(req, res, (err?: unknown) => {
      handle(ctx, req, res, err).catch((e) => {
        ctx.logger.error({ err: e }, 'elastic: unexpected failure');
        if (!res.headersSent) sendError(res, errors.unexpected());
      });
    });
  });
  return r;
}

async function handle(ctx: EngineContext, req: Request, res: Response, bodyErr: unknown): Promise<void> {
  try {
    const segments = segmentsOf(req.path);
    const found = segments && segments[0] === PREFIX[0] && segments[1] === PREFIX[1] ? matchRoute(req.method, segments.slice(2)) : undefined;
    if (!found) throw errors.routeNotFound();
    const { route, params } = found;
    tagRequest(res, { operation: route.operation });
    if (bodyErr) {
      if (bodyErr instanceof BodyError && bodyErr.kind === 'tooLarge') throw errors.bodyTooLarge(ctx.config.bodyLimit);
      throw errors.invalidJsonRequest(bodyErr instanceof Error ? bodyErr.message : 'unreadable body');
    }
    const now = ctx.clock.now();
    let principal: Principal | undefined;
    if (!route.anonymous) {
      principal = authenticate(req.headers.authorization, ctx.store, now);
      if (route.command && !mayRunCommands(principal)) throw errors.rbac();
      if (route.command && principal.elevationRequired && !isElevated(principal, now)) throw errors.elevationRequired();
    }
    const query = parseQuery(route, req.query as Record<string, unknown>);
    let parsed: unknown;
    if (route.bodySchema) {
      try {
        parsed = jsonBody(req);
      } catch (e) {
        throw errors.invalidJsonRequest(e instanceof Error ? e.message : 'malformed body');
      }
      if (parsed !== undefined || !route.bodyOptional) {
        const problems = ctx.schemas.check(route.bodySchema, parsed);
        if (problems.length > 0) throw errors.invalidJsonRequest(problems.map((p) => p.message).join('; '));
      }
    }
    const fault = ctx.faults.match({ provider: 'elastic', operation: route.operation, resourceIds: Object.values(params) });
    if (fault) {
      if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      // A rule that only sets latency slows the call down; any other rule makes it fail.
      const latencyOnly = fault.latencyMs !== undefined && fault.httpStatus === undefined && fault.code === undefined && fault.message === undefined;
      if (!latencyOnly) throw faultError(fault.httpStatus, fault.code, fault.message);
    }
    const reply = await route.handler({ ctx, params, query, principal, body: parsed, now: ctx.clock.now(), remoteAddress: req.ip });
    send(res, reply);
  } catch (err) {
    if (err instanceof EceError) return sendError(res, err);
    // A change that could not be stored was undone: ECE's documented 5xx, saying so.
    if (err instanceof DurabilityError) return sendError(res, errors.unexpected('The change could not be saved and was not applied; retry later.'));
    throw err;
  }
}
