/**
 * The control plane under /_emulator: JSON in and out, errors as { "errors": [{ "message", ... }] }.
 * This is the contract test suites rely on to set up and observe the emulated world.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { LIMITS } from '../config.js';
import { CLOCK_RANGE_TEXT, isInstant } from '../core/clock.js';
import { type EngineContext, SeedError } from '../core/context.js';
import { DurabilityError, EmulatorError } from '../core/errors.js';
import { FAULT_COMMON_FIELDS, FAULT_KIND_FIELDS, type FaultRule, MAX_FAULT_RULES, parseFaultRule } from '../core/faults.js';
import { BodyError, jsonBody } from '../core/http.js';
import { findForbiddenKey } from '../core/json-guard.js';
import { rawBody, tagRequest } from '../http/body.js';
import { isPlainObject } from '../core/state.js';
import { JOURNAL_FILTERS, type JournalFilter } from '../core/journal.js';
import { ControlAccess } from './access.js';
import { eventStream } from './events-stream.js';
import { openApiDocument } from './openapi.js';
import { CONTROL_ROUTES, ERROR_SCHEMA, findRoute } from './routes.js';
import { parseResetOptions } from '../core/reset.js';
import { DEFAULT_RESOURCE_PAGE, findResource, listResources, MAX_RESOURCE_PAGE } from '../core/resources.js';
import { parseDuration } from '../core/transitions.js';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Array<Record<string, unknown>> = [{ message }],
  ) {
    super(message);
  }
}

/** The request's JSON body, parsed and checked by controlBody(); undefined when there is none. */
function bodyOf(res: Response): unknown {
  return res.locals.controlBody;
}

function objectBody(res: Response, allowEmpty = false): Record<string, any> {
  const body = bodyOf(res);
  if (body === undefined && allowEmpty) return {};
  if (!isPlainObject(body)) throw new ControlError(400, 'the request body must be a JSON object');
  return body;
}

/** Runs a state-document step, turning what it refuses into a 400 naming every problem. */
function seedErrors<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof SeedError) throw new ControlError(400, 'invalid state document', err.errors);
    throw err;
  }
}

/** Options of the control plane itself (not user settings). */
export interface ControlOptions {
  /** Check every answer against its schema in schemas/control/ (the emulator's own tests do; a mismatch is a 500 naming it). */
  checkResponses?: boolean;
}

export function controlRouter(ctx: EngineContext, options: ControlOptions = {}): Router {
  const r = Router();
  const json = (res: Response, status: number, body: unknown) => res.status(status).type('application/json').send(JSON.stringify(body));
  /** The body against its route's request schema, after the route's own checks (which word their errors for the field). */
  const conform = (id: string, body: unknown) => {
    const errors = ctx.schemas.check(id, body);
    if (errors.length > 0) throw new ControlError(400, errors.map((e) => e.message).join('; '), errors.map(({ path, message }) => ({ path, message })));
  };
  const access = new ControlAccess(ctx.config);
  r.use((req, res, next) => {
    tagRequest(res, { provider: 'emulator' });
    const refusal = access.check(req, req.path);
    if (!refusal) return next();
    for (const [k, v] of Object.entries(refusal.headers ?? {})) res.setHeader(k, v);
    next(new ControlError(refusal.status, refusal.message));
  });
  if (options.checkResponses) r.use(responseCheck(ctx));
  r.use(controlBody(ctx));
  // A query parameter a route does not take is refused, not ignored: a misspelt filter would
  // otherwise answer everything, and a test would pass on the wrong data.
  r.use((req, _res, next) => {
    const route = findRoute(req.method, req.path);
    const known = new Set((route?.query ?? []).map((q) => q.name));
    const unknown = Object.keys(req.query).filter((k) => !known.has(k));
    if (route && unknown.length > 0) {
      return next(new ControlError(400, `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} for ${req.method} /_emulator${route.path} (${known.size > 0 ? `it takes ${[...known].join(', ')}` : 'it takes none'})`));
    }
    next();
  });

  r.get('/', (_req, res) => {
    json(res, 200, {
      name: 'cloud-api-emulator',
      version: ctx.version,
      openapi: '/_emulator/openapi.json',
      routes: CONTROL_ROUTES.map((route) => ({ method: route.method, path: `/_emulator${route.path}`, summary: route.summary })),
    });
  });

  let openapi: string | undefined;
  r.get('/openapi.json', (_req, res) => {
    openapi ??= JSON.stringify(openApiDocument(ctx.schemas, ctx.version));
    res.status(200).type('application/json').send(openapi);
  });

  r.get('/health', (_req, res) => {
    json(res, 200, { status: 'ok', version: ctx.version, providers: ctx.providers, now: ctx.clock.nowIso() });
  });

  r.get('/state', (_req, res) => {
    // The store's snapshot is the JSON text: the document is the contract, bookkeeping included.
    res.status(200).type('application/json').send(ctx.store.snapshot());
  });

  r.put('/state', async (req, res) => {
    const body = objectBody(res);
    conform('control/state.request.json', body);
    const doc = seedErrors(() => ctx.documents.normalize(body));
    await ctx.store.mutate((tx) => tx.replaceDoc(doc));
    res.status(200).type('application/json').send(ctx.store.snapshot());
  });

  r.post('/seed', async (req, res) => {
    const partial = objectBody(res);
    conform('control/seed.request.json', partial);
    // Merged by id into a copy of the current document and validated whole; only the seeded entries
    // are written (a seed into a large store logs what it adds), unless it reached outside them.
    const plan = seedErrors(() => ctx.documents.seed(JSON.parse(ctx.store.snapshot()), partial));
    await ctx.documents.applySeed(ctx.store, plan);
    json(res, 200, { status: 'seeded', entries: plan.entries });
  });

  r.post('/reset', async (req, res) => {
    const body = objectBody(res, true);
    let parsed;
    try {
      parsed = parseResetOptions(body);
    } catch (err: any) {
      throw new ControlError(400, err.message);
    }
    conform('control/reset.request.json', body);
    await ctx.reset({ empty: parsed.empty, keep: [...parsed.keep] });
    json(res, 200, { status: 'reset', empty: parsed.empty, ...(body.keep !== undefined ? { keep: [...parsed.keep] } : {}) });
  });

  r.get('/clock', (_req, res) => json(res, 200, ctx.clock.state()));

  r.post('/clock', async (_req, res) => {
    const body = objectBody(res);
    const known = ['mode', 'set', 'advanceMs', 'settle'];
    const keys = Object.keys(body);
    if (keys.length === 0) throw new ControlError(400, 'give one of "mode", "set", "advanceMs" or "settle"');
    for (const k of keys) if (!known.includes(k)) throw new ControlError(400, `unknown clock field "${k}" (use mode, set, advanceMs or settle)`);
    if (body.settle !== undefined) {
      // Settle alone: it moves the clock itself, to when the last pending step is due.
      if (keys.length > 1) throw new ControlError(400, '"settle" moves the clock itself: send it alone');
      const resource = isPlainObject(body.settle) ? body.settle.resource : undefined;
      if (body.settle !== true && !(isPlainObject(body.settle) && typeof resource === 'string' && resource.length > 0 && Object.keys(body.settle).length === 1)) {
        throw new ControlError(400, '"settle" must be true (every pending transition) or { "resource": "<id>" } (one resource\'s)');
      }
      conform('control/clock.request.json', body);
      const result = ctx.lifecycle.settle(resource);
      await ctx.store.whenIdle();
      return json(res, 200, { ...ctx.clock.state(), ...result });
    }
    if (body.mode !== undefined && body.mode !== 'system' && body.mode !== 'manual') throw new ControlError(400, '"mode" must be "system" or "manual"');
    // Everything is checked before anything changes: a refused request leaves the clock as it was.
    let setMs: number | undefined;
    if (body.set !== undefined) {
      setMs = typeof body.set === 'string' ? Date.parse(body.set) : typeof body.set === 'number' ? body.set : NaN;
      if (!isInstant(setMs)) throw new ControlError(400, `"set" must be an ISO 8601 time (or whole ms since the epoch) from ${CLOCK_RANGE_TEXT}`);
    }
    if (body.advanceMs !== undefined && !(Number.isSafeInteger(body.advanceMs) && body.advanceMs >= 0)) {
      throw new ControlError(400, `"advanceMs" must be a whole number of ms >= 0 that keeps the clock within ${CLOCK_RANGE_TEXT}`);
    }
    if (body.advanceMs !== undefined && !isInstant((setMs ?? ctx.clock.now()) + body.advanceMs)) {
      throw new ControlError(400, `"advanceMs" ${body.advanceMs} would take the clock past its range (${CLOCK_RANGE_TEXT})`);
    }
    conform('control/clock.request.json', body);
    if (body.mode) ctx.clock.setMode(body.mode);
    if (setMs !== undefined) ctx.clock.set(setMs);
    if (body.advanceMs !== undefined) ctx.clock.advance(body.advanceMs);
    ctx.lifecycle.settleDue();
    await ctx.store.whenIdle();
    json(res, 200, ctx.clock.state());
  });

  r.get('/transitions', (_req, res) => json(res, 200, ctx.durations.toJSON()));

  r.get('/transitions/pending', (req, res) => {
    const resource = req.query.resource;
    if (resource !== undefined && !(typeof resource === 'string' && resource.length >= 1 && resource.length <= 256)) throw new ControlError(400, '"resource" must be one id of 1 to 256 characters');
    json(res, 200, { now: ctx.clock.nowIso(), pending: ctx.lifecycle.pending(resource) });
  });

  r.get('/transitions/completed', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const provider = q.provider;
    if (provider !== undefined && !(typeof provider === 'string' && ctx.protocols.has(provider))) {
      throw new ControlError(400, `"provider" must be one of ${[...ctx.protocols.keys()].join(', ')}`);
    }
    const resource = q.resource;
    if (resource !== undefined && !(typeof resource === 'string' && resource.length >= 1 && resource.length <= 256)) throw new ControlError(400, '"resource" must be one id of 1 to 256 characters');
    const [, most] = LIMITS.transitionLogSize;
    const limit = q.limit === undefined ? undefined : wholeQuery(q, 'limit', 0, 0, most);
    const completed = ctx.completed.query({ provider: provider as string | undefined, resource: resource as string | undefined, limit });
    json(res, 200, { now: ctx.clock.nowIso(), completed });
  });

  r.put('/transitions', (_req, res) => {
    const body = objectBody(res);
    try {
      // A duration may be written as the --transition flag takes it ("5s", "1m", "never").
      const changes: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(body)) {
        if (typeof value !== 'string') changes[name] = value;
        else {
          try {
            changes[name] = parseDuration(value);
          } catch (err: any) {
            throw new RangeError(`transition "${name}": ${err.message}`);
          }
        }
      }
      ctx.durations.update(changes);
    } catch (err: any) {
      throw new ControlError(400, err.message);
    }
    // A guard: the schema is looser than update()'s own checks, which refuse a change whole and word
    // the error for the field; a mismatch here would be the emulator's own bug.
    conform('control/transitions.request.json', body);
    json(res, 200, ctx.durations.toJSON());
  });

  r.get('/settings', (_req, res) => json(res, 200, ctx.settings.toJSON()));

  r.patch('/settings', (_req, res) => {
    try {
      const body = objectBody(res);
      conform('control/settings.request.json', body);
      ctx.settings.update(body);
    } catch (err: any) {
      if (err instanceof ControlError) throw err;
      throw new ControlError(400, err.message);
    }
    json(res, 200, ctx.settings.toJSON());
  });

  r.get('/faults', (_req, res) => json(res, 200, { faults: ctx.faults.list() }));

  r.post('/faults', (_req, res) => {
    const body = bodyOf(res);
    const rules = Array.isArray(body) ? body : [body];
    if (rules.length > MAX_FAULT_RULES) throw new ControlError(400, `at most ${MAX_FAULT_RULES} fault rules are held; this request adds ${rules.length}`);
    let parsed: FaultRule[];
    try {
      parsed = rules.map((rule) => parseFaultRule(rule, ctx.operations)); // every rule is checked before any is added
    } catch (err: any) {
      throw new ControlError(400, err.message);
    }
    conform('control/faults.request.json', body);
    const fresh = new Set(parsed.map((rule) => rule.id).filter((id) => !ctx.faults.has(id)));
    if (ctx.faults.size + fresh.size > MAX_FAULT_RULES) {
      throw new ControlError(400, `at most ${MAX_FAULT_RULES} fault rules are held; there are ${ctx.faults.size} and this request adds ${fresh.size} (DELETE /_emulator/faults clears them)`);
    }
    json(res, 201, { faults: parsed.map((rule) => ctx.faults.add(rule)) });
  });

  r.delete('/faults', (_req, res) => {
    ctx.faults.clear();
    json(res, 200, { faults: [] });
  });

  r.delete('/faults/:id', (req, res) => {
    if (!ctx.faults.remove(String(req.params.id))) throw new ControlError(404, `no fault rule "${req.params.id}"`);
    json(res, 200, { faults: ctx.faults.list() });
  });

  r.get('/requests', (req, res) => {
    json(res, 200, { requests: ctx.journal.query(journalFilter(req.query as Record<string, unknown>, true)) });
  });

  r.get('/requests/count', (req, res) => {
    json(res, 200, { count: ctx.journal.count(journalFilter(req.query as Record<string, unknown>, false)) });
  });

  r.delete('/requests', (_req, res) => {
    ctx.journal.clear();
    json(res, 200, { requests: [] });
  });

  r.get('/resources', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const provider = q.provider;
    if (provider !== undefined && !(typeof provider === 'string' && ctx.protocols.has(provider))) {
      throw new ControlError(400, `"provider" must be one of ${[...ctx.protocols.keys()].join(', ')}`);
    }
    const limit = wholeQuery(q, 'limit', DEFAULT_RESOURCE_PAGE, 1, MAX_RESOURCE_PAGE);
    const offset = wholeQuery(q, 'offset', 0, 0, MAX_RESOURCE_OFFSET);
    const page = listResources(ctx, { provider: provider as string | undefined, limit, offset });
    json(res, 200, { now: ctx.clock.nowIso(), total: page.total, offset, limit, resources: page.resources });
  });

  r.get('/resources/:provider/:id', (req, res) => {
    const { provider, id } = req.params as { provider: string; id: string };
    if (!ctx.protocols.has(provider)) throw new ControlError(404, `no provider "${provider}" (there are ${[...ctx.protocols.keys()].join(', ')})`);
    const found = findResource(ctx, provider, id);
    if (!found) throw new ControlError(404, `no ${provider} resource "${id}"`);
    json(res, 200, found);
  });

  r.get('/events', eventStream(ctx, (status, message) => new ControlError(status, message)));

  r.get('/operations', (_req, res) => {
    const providers = [...ctx.protocols.values()].map((protocol) => ({
      name: protocol.name,
      services: [...new Set(protocol.operations.flatMap((op) => (op.service === undefined ? [] : [op.service])))],
      operations: protocol.operations.map((op) => ({ name: op.name, mutates: op.mutates === true, ...(op.service !== undefined ? { service: op.service } : {}) })),
    }));
    json(res, 200, { providers, faultKinds: Object.keys(FAULT_KIND_FIELDS), faultFields: FAULT_KIND_FIELDS, faultCommonFields: FAULT_COMMON_FIELDS });
  });

  r.use((req, _res, next) => next(new ControlError(404, `no control route ${req.method} ${req.baseUrl}${req.path}`)));

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ControlError) return json(res, err.status, { errors: err.details });
    // Express's router decodes path parameters before any handler runs; a bad escape is the caller's.
    if (err instanceof URIError) return json(res, 400, { errors: [{ message: `the path is not valid percent-encoding (${err.message})` }] });
    if (err instanceof BodyError) return json(res, err.kind === 'tooLarge' ? 413 : 400, { errors: [{ message: err.kind === 'tooLarge' ? `${err.message} (the control plane's limit, --control-body-limit)` : err.message }] });
    // The change could not be stored (e.g. a full disk) and was undone: 507 Insufficient Storage.
    if (err instanceof DurabilityError) return json(res, 507, { errors: [{ message: err.message }] });
    // The emulator's own set-up is wrong (e.g. its fixtures file went bad): say so, plainly.
    if (err instanceof EmulatorError) return json(res, 500, { errors: [{ message: err.message }] });
    ctx.logger.error({ err }, 'control plane failure');
    json(res, 500, { errors: [{ message: 'internal emulator error' }] });
  });
  return r;
}

/** Most resources GET /_emulator/resources skips (offset). */
const MAX_RESOURCE_OFFSET = 1_000_000_000;

/** A whole-number query parameter within its range, or its default when left out; else a 400. */
function wholeQuery(query: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const raw = query[key];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new ControlError(400, `"${key}" must be a whole number from ${min} to ${max}`);
  return n;
}

/** The journal's query filters from a query string; anything unknown or malformed is a 400. */
function journalFilter(query: Record<string, unknown>, withLimit: boolean): JournalFilter {
  const allowed: readonly string[] = withLimit ? JOURNAL_FILTERS : JOURNAL_FILTERS.filter((f) => f !== 'limit');
  const filter: JournalFilter = {};
  for (const [key, raw] of Object.entries(query)) {
    if (!allowed.includes(key)) throw new ControlError(400, `unknown filter "${key}" (use ${allowed.join(', ')})`);
    if (typeof raw !== 'string') throw new ControlError(400, `"${key}" must be given once`);
    switch (key) {
      case 'status': {
        const n = Number(raw);
        if (!(/^\d{3}$/.test(raw) && n >= 100 && n <= 599) && raw !== '0') throw new ControlError(400, '"status" must be an HTTP status (100 to 599), or 0 for an answer lost on the wire');
        filter.status = n;
        break;
      }
      case 'since': {
        const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
        if (!isInstant(ms)) throw new ControlError(400, `"since" must be an ISO 8601 time or whole ms since the epoch, from ${CLOCK_RANGE_TEXT}`);
        filter.since = ms;
        break;
      }
      case 'unmatched':
        if (raw !== 'true' && raw !== 'false') throw new ControlError(400, '"unmatched" must be true or false');
        filter.unmatched = raw === 'true';
        break;
      case 'limit': {
        const n = Number(raw);
        const [, most] = LIMITS.journalSize;
        if (!(/^\d+$/.test(raw) && n <= most)) throw new ControlError(400, `"limit" must be a whole number from 0 to ${most}`);
        filter.limit = n;
        break;
      }
      default:
        (filter as Record<string, string>)[key] = raw;
    }
  }
  return filter;
}

/**
 * Checks every answer against its route's schema (an error against the error schema) before it is
 * sent; a mismatch becomes a 500 naming the schema and the problems, which no test can miss.
 */
function responseCheck(ctx: EngineContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const route = findRoute(req.method, req.path);
    const send = res.send.bind(res);
    res.send = ((body: unknown) => {
      const id = res.statusCode >= 400 || !route ? ERROR_SCHEMA : route.response;
      let problems: string[];
      try {
        problems = ctx.schemas.check(id, typeof body === 'string' ? JSON.parse(body) : body).map((e) => e.message);
      } catch (err: any) {
        problems = [`not JSON: ${err.message}`];
      }
      if (problems.length === 0) return send(body);
      res.status(500);
      return send(JSON.stringify({ errors: [{ message: `the answer to ${req.method} ${req.originalUrl} (${res.statusCode}) does not match ${id}: ${problems.join('; ')}` }] }));
    }) as Response['send'];
    next();
  };
}

/**
 * Reads and checks a control-plane body, once, before any route: a body must be declared JSON (415:
 * a browser can send text/plain or a form cross-site without asking), fit --control-body-limit
 * (413), wait for its share of the in-flight byte budget before it is read, nest at most
 * MAX_JSON_DEPTH levels and hold no key that names a prototype (400). The parsed value goes to
 * res.locals.controlBody. A write without a body needs no type (there is nothing to misread).
 */
function controlBody(ctx: EngineContext) {
  const limit = ctx.config.controlBodyLimit;
  const read = rawBody(limit);
  return (req: Request, res: Response, next: NextFunction) => {
    const declared = req.headers['content-length'];
    const chunked = req.headers['transfer-encoding'] !== undefined;
    if (!chunked && (declared === undefined || declared === '0')) return next();
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume(); // drain, so the answer can go out on this connection
      return next(new ControlError(415, `a control-plane request body must be sent as Content-Type: application/json${type ? ` (got ${type})` : ''}`));
    }
    // A declared size over the limit is refused unread; one without a size (chunked, compressed) reserves the whole budget.
    const encoded = req.headers['content-encoding'] !== undefined && req.headers['content-encoding'] !== 'identity';
    const bytes = chunked || encoded ? limit : Number(declared);
    if (!chunked && !(bytes <= limit)) return read(req, res, next); // rawBody answers 413 and drains
    const release = ctx.controlBodies.reserve(bytes, () => {
      read(req, res, (err?: unknown) => {
        if (err) return next(err);
        try {
          const value = jsonBody(req);
          const forbidden = findForbiddenKey(value);
          if (forbidden) {
            const key = forbidden.slice(forbidden.lastIndexOf('/') + 1);
            return next(new ControlError(400, `${forbidden}: the key "${key}" is not allowed (it names a prototype)`, [{ path: forbidden, message: `${forbidden}: the key "${key}" is not allowed anywhere in a control-plane body (it names a prototype)` }]));
          }
          res.locals.controlBody = value;
          next();
        } catch (e) {
          next(e);
        }
      });
    });
    // Released when the response is done or the client goes away, granted or still waiting.
    res.once('close', release);
  };
}
