/**
 * The Express app. Middleware runs in this order, each step for a reason:
 *  1. request id    — every log line, journal entry and provider envelope can name the request;
 *  2. access log    — one structured line per request, written when the response finishes;
 *  3. journal       — the bounded request log behind GET /_emulator/requests;
 *  4. settle        — timed transitions due by now are applied before any handler reads state;
 *  5. routers       — the control plane, then each provider in turn (each parses its own bodies and
 *                     renders its own error envelope); faults are matched by the providers, which
 *                     alone know the operation a request names;
 *  6. fallbacks     — a JSON 404 for a path no one serves and a JSON 500 of last resort.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { controlRouter } from './control/router.js';
import type { EngineContext } from './core/context.js';
import type { ProviderModule } from './providers/provider.js';

export function buildApp(ctx: EngineContext, providers: ProviderModule[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    res.locals.requestId = randomUUID();
    res.locals.startedAt = process.hrtime.bigint();
    next();
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - (res.locals.startedAt as bigint)) / 1e6;
      const { provider, operation, errorCode, requestId } = res.locals;
      if (ctx.logger.isLevelEnabled('info')) {
        ctx.logger.info({ reqId: requestId, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 100) / 100, provider, operation, errorCode }, 'request');
      }
      if (provider !== 'emulator') {
        ctx.journal.add({ id: requestId, at: ctx.clock.nowIso(), method: req.method, path: req.originalUrl, provider, operation, status: res.statusCode, errorCode, durationMs: ms });
      }
    });
    next();
  });

  app.use((_req, _res, next) => {
    ctx.lifecycle.settleDue();
    next();
  });

  app.use('/_emulator', controlRouter(ctx));
  for (const p of providers) app.use(p.router(ctx));

  app.use((req: Request, res: Response) => {
    res.status(404).json({ errors: [{ code: 'not_found', message: `no emulated API serves ${req.method} ${req.path}` }] });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    ctx.logger.error({ err }, 'unhandled failure');
    if (!res.headersSent) res.status(500).json({ errors: [{ code: 'internal_error', message: 'internal emulator error' }] });
  });
  return app;
}
