/**
 * The control plane's routes, declared once: GET /_emulator lists them, GET /_emulator/openapi.json
 * describes them, and each names the JSON Schemas (schemas/control/) of its body and its answers.
 */
export interface ControlRoute {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Under /_emulator, with {name} for a path parameter. */
  path: string;
  summary: string;
  request?: string;
  response: string;
  /** The success status (200 unless said). */
  status?: number;
  query?: Array<{ name: string; description: string; schema: Record<string, unknown> }>;
  /** The success answer's media type (application/json unless said). */
  contentType?: string;
}

export const ERROR_SCHEMA = 'control/error.response.json';

/** The journal's filters: the same for the list and the count. */
const JOURNAL_QUERY = [
  { name: 'provider', description: 'only this provider\'s requests', schema: { type: 'string' } },
  { name: 'operation', description: 'only this operation\'s requests', schema: { type: 'string' } },
  { name: 'resourceId', description: 'only requests that named this resource', schema: { type: 'string' } },
  { name: 'status', description: 'only answers with this HTTP status (0: lost on the wire)', schema: { type: 'integer', minimum: 0, maximum: 599 } },
  { name: 'errorCode', description: 'only answers with this provider error code', schema: { type: 'string' } },
  { name: 'since', description: 'only requests at or after this instant (ISO 8601 or ms)', schema: { type: 'string' } },
  { name: 'unmatched', description: 'only (true) or no (false) requests for operations the emulator does not emulate', schema: { type: 'boolean' } },
];

export const CONTROL_ROUTES: readonly ControlRoute[] = [
  { method: 'GET', path: '', summary: 'this list of routes', response: 'control/index.response.json' },
  { method: 'GET', path: '/openapi.json', summary: 'an OpenAPI 3.1 description of the control plane', response: 'control/openapi.response.json' },
  { method: 'GET', path: '/health', summary: 'status, version, providers and the emulator clock (no token needed)', response: 'control/health.response.json' },
  { method: 'GET', path: '/state', summary: 'the whole state document', response: 'control/state.response.json' },
  { method: 'PUT', path: '/state', summary: 'replace the state document', request: 'control/state.request.json', response: 'control/state.response.json' },
  { method: 'POST', path: '/seed', summary: 'merge a partial state document by id', request: 'control/seed.request.json', response: 'control/seed.response.json' },
  { method: 'POST', path: '/reset', summary: 'back to the fixtures (or empty), and the clock, transitions, settings, faults and journal as configured, but what "keep" names', request: 'control/reset.request.json', response: 'control/reset.response.json' },
  { method: 'GET', path: '/clock', summary: 'the emulator clock', response: 'control/clock.response.json' },
  { method: 'POST', path: '/clock', summary: 'set the mode, set or advance the clock, or settle every pending transition (or one resource\'s)', request: 'control/clock.request.json', response: 'control/clock.response.json' },
  { method: 'GET', path: '/transitions', summary: 'transition durations by name', response: 'control/transitions.response.json' },
  { method: 'PUT', path: '/transitions', summary: 'change transition durations', request: 'control/transitions.request.json', response: 'control/transitions.response.json' },
  {
    method: 'GET',
    path: '/transitions/pending',
    summary: 'the pending transition steps, in due order',
    response: 'control/pending.response.json',
    query: [{ name: 'resource', description: "one resource's steps (its id)", schema: { type: 'string', minLength: 1, maxLength: 256 } }],
  },
  {
    method: 'GET',
    path: '/transitions/completed',
    summary: 'the transition steps the clock completed (advance, settle, timer), oldest first, with their field changes and the request that scheduled them; apart from the journal',
    response: 'control/completed.response.json',
    query: [
      { name: 'provider', description: "only this provider's", schema: { type: 'string' } },
      { name: 'resource', description: "only this resource's (its id)", schema: { type: 'string', minLength: 1, maxLength: 256 } },
      { name: 'limit', description: 'the last N', schema: { type: 'integer', minimum: 0, maximum: 100000 } },
    ],
  },
  { method: 'GET', path: '/settings', summary: 'provider settings by key', response: 'control/settings.response.json' },
  { method: 'PATCH', path: '/settings', summary: 'change provider settings', request: 'control/settings.request.json', response: 'control/settings.response.json' },
  { method: 'GET', path: '/faults', summary: 'the fault rules held', response: 'control/faults.response.json' },
  { method: 'POST', path: '/faults', summary: 'add fault rules (one, or a list)', request: 'control/faults.request.json', response: 'control/faults.response.json', status: 201 },
  { method: 'DELETE', path: '/faults', summary: 'remove every fault rule', response: 'control/faults.response.json' },
  { method: 'DELETE', path: '/faults/{id}', summary: 'remove one fault rule', response: 'control/faults.response.json' },
  {
    method: 'GET',
    path: '/requests',
    summary: 'the journal of provider requests served',
    response: 'control/requests.response.json',
    query: [
      ...JOURNAL_QUERY,
      { name: 'limit', description: 'the last N', schema: { type: 'integer', minimum: 0, maximum: 100000 } },
    ],
  },
  {
    method: 'GET',
    path: '/requests/count',
    summary: 'how many journal entries match the filters',
    response: 'control/requests-count.response.json',
    query: JOURNAL_QUERY,
  },
  { method: 'DELETE', path: '/requests', summary: 'clear the journal', response: 'control/requests.response.json' },
  {
    method: 'GET',
    path: '/resources',
    summary: "a page of every provider's resources: id, status, next transition step, and the public view the provider's describe call returns",
    response: 'control/resources.response.json',
    query: [
      { name: 'provider', description: "only this provider's resources", schema: { type: 'string' } },
      { name: 'limit', description: 'how many (default 500)', schema: { type: 'integer', minimum: 1, maximum: 5000 } },
      { name: 'offset', description: 'how many to skip (default 0)', schema: { type: 'integer', minimum: 0, maximum: 1_000_000_000 } },
    ],
  },
  { method: 'GET', path: '/resources/{provider}/{id}', summary: 'one resource by its provider-native id (its journal timeline: GET /_emulator/requests?resourceId=)', response: 'control/resource.response.json' },
  { method: 'GET', path: '/events', summary: 'live events (server-sent): journal requests, resource changes, clock, faults, settings, transitions, reset', response: 'control/events.response.json', contentType: 'text/event-stream' },
  { method: 'GET', path: '/operations', summary: "each enabled provider's operations (the names fault rules and the journal use), and the kinds of fault rule with their fields", response: 'control/operations.response.json' },
];

/** The route a request meets (method and path under /_emulator), or undefined. */
export function findRoute(method: string, path: string): ControlRoute | undefined {
  const p = path === '/' ? '' : path;
  return CONTROL_ROUTES.find((r) => r.method === method && new RegExp(`^${r.path.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`).test(p));
}
