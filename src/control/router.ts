/**
 * The control plane under /_emulator: JSON in and out, errors as { "errors": [{ "message", ... }] }.
 * This is the contract test suites rely on to set up and observe the emulated world.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { type EngineContext, SeedError } from '../core/context.js';
import { EmulatorError } from '../core/errors.js';
import { type FaultRule, parseFaultRule } from '../core/faults.js';
import { BodyError, jsonBody } from '../core/http.js';
import { rawBody, tagRequest } from '../http/body.js';
import { type Entry, getPath, isPlainObject, mergeObjects, type StateDoc } from '../core/state.js';

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Array<Record<string, unknown>> = [{ message }],
  ) {
    super(message);
  }
}

function objectBody(req: Request, allowEmpty = false): Record<string, any> {
  const body = jsonBody(req);
  if (body === undefined && allowEmpty) return {};
  if (!isPlainObject(body)) throw new ControlError(400, 'the request body must be a JSON object');
  return body;
}

function normalized(ctx: EngineContext, doc: StateDoc): StateDoc {
  try {
    return ctx.normalizeState(doc);
  } catch (err) {
    if (err instanceof SeedError) throw new ControlError(400, 'invalid state document', err.errors);
    throw err;
  }
}

export function controlRouter(ctx: EngineContext): Router {
  const r = Router();
  const json = (res: Response, status: number, body: unknown) => res.status(status).type('application/json').send(JSON.stringify(body));
  r.use((_req, res, next) => {
    tagRequest(res, { provider: 'emulator' });
    next();
  });
  r.use(rawBody(Math.max(ctx.config.bodyLimit, 64 * 1024 * 1024)));

  r.get('/health', (_req, res) => {
    json(res, 200, { status: 'ok', version: ctx.version, providers: ctx.providers, now: ctx.clock.nowIso() });
  });

  r.get('/state', (_req, res) => {
    // Serialised straight from the store: the document is the contract, bookkeeping included.
    res.status(200).type('application/json').send(JSON.stringify(ctx.store.doc));
  });

  r.put('/state', async (req, res) => {
    const doc = normalized(ctx, objectBody(req));
    await ctx.store.mutate((tx) => tx.replaceDoc(doc));
    json(res, 200, ctx.store.doc);
  });

  r.post('/seed', async (req, res) => {
    const partial = objectBody(req);
    // Merge entries by id into a copy of the current document, then validate the whole result.
    const merged = structuredClone(ctx.store.doc);
    const { seeded, otherChanges } = mergeSeed(ctx, merged, partial);
    const doc = normalized(ctx, merged);
    // Only the seeded entries are written (a seed into a large store logs what it adds, not the
    // whole document), unless the seed changed something outside the collections.
    const puts: Array<[string, Entry | undefined]> = [];
    for (const [collection, ids] of otherChanges ? [] : seeded) {
      const idField = ctx.store.collection(collection)!.idField;
      const byId = new Map((getPath(doc, collection) as Entry[]).map((e) => [e[idField], e]));
      for (const id of ids) puts.push([collection, byId.get(id)]);
    }
    await ctx.store.mutate((tx) => {
      if (otherChanges || puts.some(([, entry]) => entry === undefined)) return tx.replaceDoc(doc);
      for (const [collection, entry] of puts) tx.put(collection, entry!);
    });
    json(res, 200, { status: 'seeded', entries: [...seeded.values()].reduce((n, ids) => n + ids.size, 0) });
  });

  r.post('/reset', async (req, res) => {
    const body = objectBody(req, true);
    if (body.empty !== undefined && typeof body.empty !== 'boolean') throw new ControlError(400, '"empty" must be a boolean');
    await ctx.reset(body.empty === true);
    json(res, 200, { status: 'reset', empty: body.empty === true });
  });

  r.get('/clock', (_req, res) => json(res, 200, ctx.clock.state()));

  r.post('/clock', async (req, res) => {
    const body = objectBody(req);
    const known = ['mode', 'set', 'advanceMs'];
    const keys = Object.keys(body);
    if (keys.length === 0) throw new ControlError(400, 'give one of "mode", "set" or "advanceMs"');
    for (const k of keys) if (!known.includes(k)) throw new ControlError(400, `unknown clock field "${k}" (use mode, set or advanceMs)`);
    if (body.mode !== undefined && body.mode !== 'system' && body.mode !== 'manual') throw new ControlError(400, '"mode" must be "system" or "manual"');
    let setMs: number | undefined;
    if (body.set !== undefined) {
      setMs = typeof body.set === 'string' ? Date.parse(body.set) : typeof body.set === 'number' ? body.set : NaN;
      if (!Number.isFinite(setMs)) throw new ControlError(400, '"set" must be an ISO 8601 time');
    }
    if (body.advanceMs !== undefined && !(Number.isSafeInteger(body.advanceMs) && body.advanceMs >= 0)) {
      throw new ControlError(400, '"advanceMs" must be a whole number of ms >= 0');
    }
    if (body.mode) ctx.clock.setMode(body.mode);
    if (setMs !== undefined) ctx.clock.set(setMs);
    if (body.advanceMs !== undefined) ctx.clock.advance(body.advanceMs);
    ctx.lifecycle.settleDue();
    await ctx.store.whenIdle();
    json(res, 200, ctx.clock.state());
  });

  r.get('/transitions', (_req, res) => json(res, 200, ctx.durations.toJSON()));

  r.put('/transitions', (req, res) => {
    const body = objectBody(req);
    try {
      ctx.durations.update(body);
    } catch (err: any) {
      throw new ControlError(400, err.message);
    }
    json(res, 200, ctx.durations.toJSON());
  });

  r.get('/settings', (_req, res) => json(res, 200, ctx.settings.toJSON()));

  r.patch('/settings', (req, res) => {
    try {
      ctx.settings.update(objectBody(req));
    } catch (err: any) {
      if (err instanceof ControlError) throw err;
      throw new ControlError(400, err.message);
    }
    json(res, 200, ctx.settings.toJSON());
  });

  r.get('/faults', (_req, res) => json(res, 200, { faults: ctx.faults.list() }));

  r.post('/faults', (req, res) => {
    const body = jsonBody(req);
    const rules = Array.isArray(body) ? body : [body];
    let parsed: FaultRule[];
    try {
      parsed = rules.map(parseFaultRule); // every rule is checked before any is added
    } catch (err: any) {
      throw new ControlError(400, err.message);
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
    const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new ControlError(400, '"limit" must be a whole number');
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    json(res, 200, { requests: ctx.journal.query({ provider: str(req.query.provider), operation: str(req.query.operation), limit }) });
  });

  r.delete('/requests', (_req, res) => {
    ctx.journal.clear();
    json(res, 200, { requests: [] });
  });

  r.use((req, _res, next) => next(new ControlError(404, `no control route ${req.method} ${req.baseUrl}${req.path}`)));

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ControlError) return json(res, err.status, { errors: err.details });
    if (err instanceof BodyError) return json(res, err.kind === 'tooLarge' ? 413 : 400, { errors: [{ message: err.message }] });
    // The emulator's own set-up is wrong (e.g. its fixtures file went bad): say so, plainly.
    if (err instanceof EmulatorError) return json(res, 500, { errors: [{ message: err.message }] });
    ctx.logger.error({ err }, 'control plane failure');
    json(res, 500, { errors: [{ message: 'internal emulator error' }] });
  });
  return r;
}

/**
 * Merges a partial document into `target`: collection arrays merge by id (a seeded id replaces the
 * entry), other values merge as objects. Returns the ids seeded per collection, and whether the
 * partial changed anything that is not a collection entry.
 */
function mergeSeed(ctx: EngineContext, target: StateDoc, partial: StateDoc): { seeded: Map<string, Set<unknown>>; otherChanges: boolean } {
  const collections = new Map(ctx.store.collections().map((c) => [c.path, c.idField]));
  const seeded = new Map<string, Set<unknown>>();
  let otherChanges = false;
  const walk = (t: Record<string, any>, p: Record<string, any>, prefix: string) => {
    for (const [key, value] of Object.entries(p)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const idField = collections.get(path);
      if (idField && Array.isArray(value) && Array.isArray(t[key])) {
        const out = [...t[key]];
        const at = new Map<unknown, number>();
        out.forEach((e, i) => isPlainObject(e) && e[idField] !== undefined && at.set(e[idField], i));
        const ids = seeded.get(path) ?? new Set();
        seeded.set(path, ids);
        for (const entry of value) {
          const id = isPlainObject(entry) ? entry[idField] : undefined;
          // An entry without a usable id fails validation below; it is merged so the error can say where.
          if (typeof id !== 'string' && typeof id !== 'number') otherChanges = true;
          else ids.add(id);
          const i = id !== undefined ? at.get(id) : undefined;
          if (i !== undefined) out[i] = entry;
          else {
            if (id !== undefined) at.set(id, out.length);
            out.push(entry);
          }
        }
        t[key] = out;
      } else if (isPlainObject(value) && isPlainObject(t[key])) {
        walk(t[key], value, path);
      } else {
        otherChanges = true;
        const single: Record<string, any> = {};
        single[key] = value;
        mergeObjects(t, single);
      }
    }
  };
  walk(target, partial, '');
  return { seeded, otherChanges };
}
