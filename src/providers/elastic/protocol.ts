/**
 * ECE's protocol for the pipeline: everything under /api/ is ECE's. The route table (routes.ts) names
 * each operation; authentication is ApiKey, Basic or Bearer (401); commands need a managing role (403)
 * and, for credentials that require it, elevation (449); query parameters are typed by the spec (400);
 * a JSON body is checked against its schema. Every error leaves as a BasicFailedReply with the
 * `x-cloud-error-codes` header.
 */
import { jsonBody } from '../../core/http.js';
import { NOTHING_TO_CHECK, type Operation, type ProviderProtocol } from '../../core/pipeline/protocol.js';
import type { HttpReply, RawRequest } from '../../core/pipeline/request.js';
import { authenticate, isElevated, mayRunCommands, type Principal } from './auth.js';
import { EceError, errors, faultError } from './errors.js';
import { type ParamType, type Route, ROUTES, matchRoute } from './routes.js';
import { own } from '../lookup.js';
import { ELASTIC_RESOURCES } from './dashboard.js';

const PREFIX = ['api', 'v1'];
const JSON_TYPE = 'application/json; charset=utf-8';

/** Node knows no reason phrase for 449 ("Retry With", the status ECE's sudo model borrowed). */
const REASONS: Record<number, string> = { 449: 'Retry With' };

export interface EceCall {
  route?: Route;
  params: Record<string, string>;
  /** The raw query (first value of each name; a repeated one is joined by ","), typed at validation. */
  rawQuery: Map<string, string>;
  query: Record<string, boolean | number | string>;
  /** The body parsed at validation (undefined when there is none). */
  body: unknown;
  remoteAddress?: string;
}

type EceOperation = Operation<EceCall, Principal | undefined> & { route: Route };

/** One operation per route: the route table is the operation table. */
const OPERATIONS: EceOperation[] = ROUTES.map((route) => ({
  name: route.operation,
  route,
  schema: route.bodySchema,
  mutates: route.command === true || route.method !== 'GET',
  service: 'ece',
  resources: (call: EceCall) => Object.values(call.params),
  handle: (call, tx, env) => route.handler({ params: call.params, query: call.query, principal: env.principal, body: call.body, now: env.now, remoteAddress: call.remoteAddress, tx, env }),
}));
const BY_ROUTE = new Map<Route, EceOperation>(OPERATIONS.map((op) => [op.route, op]));

export function claimsElastic(head: { path: string }): boolean {
  return head.path === '/api' || head.path.startsWith('/api/') || head.path.startsWith('/api?');
}

function segmentsOf(path: string): string[] | undefined {
  try {
    return path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined; // a broken %-escape names no resource
  }
}

function rawQueryOf(req: RawRequest): Map<string, string> {
  const out = new Map<string, string>();
  if (!req.rawQuery) return out;
  for (const [k, v] of new URLSearchParams(req.rawQuery)) out.set(k, out.has(k) ? `${out.get(k)},${v}` : v);
  return out;
}

function parseQuery(route: Route, raw: Map<string, string>): EceCall['query'] {
  const out: EceCall['query'] = {};
  for (const [name, type] of Object.entries(route.query) as Array<[string, ParamType]>) {
    const text = raw.get(name);
    if (text === undefined) continue;
    if (type === 'boolean') {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw errors.malformedQueryParam(name, text, 'Boolean');
      out[name] = lower === 'true';
    } else if ('integer' in type) {
      if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw errors.malformedQueryParam(name, text, 'Integer');
      const [min, max] = type.integer;
      const n = Number(text);
      if (n < min || n > max) throw errors.malformedQueryParam(name, text, { range: type.integer });
      out[name] = n;
    } else {
      if (!type.string.test(text)) throw errors.malformedQueryParam(name, text.length > 64 ? `${text.slice(0, 64)}...` : text, { expected: type.expected });
      out[name] = text;
    }
  }
  return out;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return { status, statusMessage: own(REASONS, status), headers: { 'content-type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export const elasticProtocol: ProviderProtocol<EceCall, Principal | undefined> = {
  name: 'elastic',
  operations: OPERATIONS,
  resources: ELASTIC_RESOURCES,

  route(req) {
    const call: EceCall = { params: {}, rawQuery: rawQueryOf(req), query: {}, body: undefined, remoteAddress: req.remoteAddress };
    const segments = segmentsOf(req.path);
    const found = segments && segments[0] === PREFIX[0] && segments[1] === PREFIX[1] ? matchRoute(req.method, segments.slice(2)) : undefined;
    if (!found) return { unmatched: `${req.method} ${req.path}`, call };
    call.route = found.route;
    call.params = found.params;
    const operation = BY_ROUTE.get(found.route)!;
    if (req.bodyError) {
      const refused = req.bodyError.kind === 'tooLarge' ? errors.bodyTooLarge(req.bodyLimit) : errors.invalidJsonRequest(req.bodyError.message);
      return { refused, name: operation.name, call };
    }
    return { operation, call };
  },

  authenticate(req, call, _operation, env, state) {
    if (call.route!.anonymous) return undefined;
    const header = req.headers.authorization;
    return authenticate(Array.isArray(header) ? header.join(',') : header, state, env.now);
  },

  authorize(call, _operation, env) {
    const p = env.principal;
    if (!p || !call.route!.command) return undefined;
    if (!mayRunCommands(p)) throw errors.rbac();
    if (p.elevationRequired && !isElevated(p, env.now)) throw errors.elevationRequired();
    return undefined;
  },

  validate(req, call) {
    call.query = parseQuery(call.route!, call.rawQuery);
    if (!call.route!.bodySchema) return;
    try {
      call.body = jsonBody(req);
    } catch (e) {
      throw errors.invalidJsonRequest(e instanceof Error ? e.message : 'malformed body');
    }
  },

  describe(req, call) {
    let body = call?.body;
    if (body === undefined && req.body.length > 0) {
      try {
        body = jsonBody(req);
      } catch {
        body = req.body.toString('utf8').slice(0, 1024);
      }
    }
    return { params: { path: call?.params ?? {}, query: Object.fromEntries(call?.rawQuery ?? []), ...(body === undefined ? {} : { body }) } };
  },

  input(call) {
    return call.body === undefined && call.route!.bodyOptional ? NOTHING_TO_CHECK : call.body;
  },

  render(result) {
    const r = result as { status: number; body: unknown; headers?: Record<string, string> };
    return reply(r.status, r.body, r.headers);
  },

  isError: (err) => err instanceof EceError,

  renderError(err) {
    const e = err as EceError;
    return { ...reply(e.status, e.body(), { 'x-cloud-error-codes': e.code }), code: e.code };
  },

  errors: {
    fault: (rule) => faultError(rule.httpStatus, rule.code, rule.message),
    invalid: (problems) => errors.invalidJsonRequest(problems.map((p) => p.message).join('; ')),
    // A change that could not be stored was undone: ECE's documented 5xx, saying so.
    unavailable: () => errors.unexpected('The change could not be saved and was not applied; retry later.'),
    internal: () => errors.unexpected(),
    notEmulated: (name) => new EceError(errors.routeNotFound.status, errors.routeNotFound.code, `The requested resource could not be found (cloud-api-emulator does not emulate ${name})`),
    // Inferred: the ECE API reference documents no throttling answer of its own; 429 in its envelope.
    throttled: () => new EceError(429, 'root.too_many_requests', 'Too many requests; retry later'),
  },
};
