/**
 * The Express app. Middleware runs in this order, each step for a reason:
 *  1. request id    — every log line, journal entry and provider envelope can name the request;
 *  2. access log    — one structured line per request, written when the response finishes;
 *  3. journal       — the bounded request log behind GET /_emulator/requests;
 *  4. settle        — timed transitions due by now are applied before any handler reads state;
 *  5. routing       — the provider whose first path segment (and claim) the request meets, from the
 *                     same middleware (no other layer serves those segments); its protocol is served
 *                     by the one pipeline (src/core/pipeline), which runs authentication, faults,
 *                     validation and the handler in one order for all. Then the dashboard's static
 *                     files (/_emulator/ui, no token: they hold no data), the control plane, and the
 *                     providers that claim requests by more than a path segment;
 *  6. fallbacks     — a browser's plain GET / to the dashboard, a JSON 404 for a path no one
 *                     serves and a JSON 500 of last resort.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { controlRouter } from '../control/router.js';
import type { EngineContext } from '../core/context.js';
import type { Served } from '../core/pipeline/engine.js';
import type { ProviderModule } from '../providers/provider.js';
import { browserRedirect, dashboardHandler } from './dashboard.js';
import { protocolHandler } from './protocol-handler.js';

/** The first path segment of the dashboard and the control plane. */
const CONTROL_SEGMENT = '_emulator';

export function buildApp(ctx: EngineContext, providers: ProviderModule[], options: { checkControlResponses?: boolean } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  // Dispatch on the first path segment: a request meets only the router that serves its path. A
  // provider's request is dispatched by the first middleware itself (below), not after the dashboard
  // and the control plane: those serve /_emulator alone, and each layer passed is a router hop.
  const bySegment = new Map<string, RequestHandler>();
  const unclaimed: RequestHandler[] = [];
  for (const p of providers) {
    const router = protocolHandler(ctx.pipeline, ctx.protocols.get(p.name)!, ctx.config.bodyLimit, p.claims ?? (() => true));
    if (!p.paths) unclaimed.push(router);
    for (const segment of p.paths ?? []) {
      if (bySegment.has(segment)) throw new Error(`two providers claim the path /${segment}`);
      // Express matches the control plane's mount without case: a provider must not shadow any spelling of it.
      if (segment.toLowerCase() === CONTROL_SEGMENT) throw new Error(`a provider cannot claim /${segment}: the emulator's own API is there`);
      bySegment.set(segment, router);
    }
  }

  // Steps 1-4 for every request, once (see the fast path below, which runs them before the router).
  const start = (req: Request, res: Response, pathname?: string): string => {
    const requestId = randomUUID();
    const startedAt = process.hrtime.bigint();
    // Health checks (a container's, every few seconds) are logged at debug, not info: they would drown
    // the rest. (Read now: a router rewrites req.url while it handles the request.)
    const path = pathname ?? req.path;
    const level = path === '/_emulator/health' ? 'debug' : 'info';
    // One object of a fixed shape for what the log and the journal read, instead of Express's
    // null-prototype locals (a hash table in V8, grown as each tag is added).
    res.locals = { requestId, provider: undefined, operation: undefined, errorCode: undefined, served: undefined };
    // Once per request: when its answer is sent, or when its connection ends without one (a network fault).
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const ms = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const { provider, operation, errorCode } = res.locals;
      const served = res.locals.served as Served | undefined;
      if (ctx.logger.isLevelEnabled(level)) {
        ctx.logger[level]({ reqId: res.locals.requestId, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 100) / 100, provider, operation, errorCode }, 'request');
      }
      if (served?.reason && ctx.logger.isLevelEnabled('debug')) ctx.logger.debug({ reqId: res.locals.requestId, provider, operation, errorCode, reason: served.reason }, 'reason');
      if (provider !== 'emulator') {
        ctx.journal.add(
          {
            id: res.locals.requestId,
            clientRequestId: served?.clientRequestId,
            at: undefined, // printed from the instant below when the entry is shown (its place kept in the order)
            method: req.method,
            path: req.originalUrl,
            provider,
            operation,
            params: served?.params,
            resources: served?.resources,
            status: served?.network && served.network.kind !== 'slow' ? 0 : res.statusCode,
            errorCode,
            reason: served?.network ? `${served.reason ? `${served.reason}; ` : ''}network fault: the answer (${res.statusCode}) was lost (${served.network.kind})` : served?.reason,
            unmatched: served?.unmatched || undefined,
            durationMs: ms,
            entryChanges: served?.entryChanges,
          },
          ctx.clock.now(),
        );
      }
    };
    res.on('finish', record);
    res.on('close', record);
    ctx.lifecycle.settleDue();
    return path;
  };
  const routerFor = (path: string): RequestHandler | undefined => {
    const end = path.indexOf('/', 1);
    return bySegment.get(end < 0 ? path.slice(1) : path.slice(1, end));
  };

  // Steps 1-4, and a provider's routing, in one middleware: each extra layer is a router hop on every request.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const handed = handedOn.get(req);
    // Started by the fast path, whose provider did not claim the request (or failed): on down the stack.
    if (handed) return handed.err === undefined ? next() : next(handed.err);
    const router = routerFor(start(req, res));
    // A request a provider does not claim goes on down the stack, as any other (to the fallbacks).
    if (router) return router(req, res, next);
    next();
  });

  app.use(dashboardHandler(ctx));
  app.use(`/${CONTROL_SEGMENT}`, controlRouter(ctx, { checkResponses: options.checkControlResponses }));
  for (const router of unclaimed) app.use(router);
  // After every provider: an Alibaba RPC call to / has been claimed by then, whatever it accepts.
  app.use(browserRedirect());

  app.use((req: Request, res: Response) => {
    res.status(404).json({ errors: [{ code: 'not_found', message: `no emulated API serves ${req.method} ${req.path}` }] });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    ctx.logger.error({ err }, 'unhandled failure');
    if (!res.headersSent) res.status(500).json({ errors: [{ code: 'internal_error', message: 'internal emulator error' }] });
  });

  // The fast path: a request whose first path segment a provider serves goes to that provider's
  // handler without Express's router (its per-request closures and layer walk cost more than the
  // provider's own routing). It gets what Express's handle gives every request (the prototypes
  // with res.status and the like, the circular references) and what the router sets (originalUrl,
  // baseUrl). A request the provider does not claim, or a failure, goes through the router as any
  // other, past the first middleware (steps 1-4 ran once, here).
  const handedOn = new WeakMap<Request, { err: unknown }>();
  type Handle = (this: Express, req: Request, res: Response, callback?: NextFunction) => void;
  const withHandle = app as unknown as { handle: Handle };
  const viaRouter = withHandle.handle;
  withHandle.handle = function handle(req, res, callback) {
    const url = req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const router = callback === undefined && path.startsWith('/') ? routerFor(path) : undefined;
    if (!router || this.enabled('x-powered-by')) return viaRouter.call(this, req, res, callback);
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, this.request);
    Object.setPrototypeOf(res, this.response);
    req.originalUrl = url;
    req.baseUrl = '';
    const handOn = (err?: unknown) => {
      handedOn.set(req, { err: err === 'route' || err === 'router' ? undefined : err });
      viaRouter.call(this, req, res);
    };
    // Express's router catches what a handler throws and passes it to the error handler; outside it, a
    // throw would reach the HTTP server's 'request' event and end the process. Hand it on the same way.
    try {
      start(req, res, path);
      router(req, res, handOn);
    } catch (err) {
      if (!handedOn.has(req)) handOn(err);
    }
  };
  return app;
}
