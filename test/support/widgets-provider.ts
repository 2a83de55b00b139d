/**
 * A tiny provider used only by the engine's own tests: one collection, one two-step transition with
 * a hook, and three operations served through the pipeline. It proves the spine without any real
 * provider's protocol: its envelope is `{ "error": CODE }`.
 */
import { SeedError } from '../../src/core/context.js';
import { jsonBody } from '../../src/core/http.js';
import type { Operation, ProviderProtocol } from '../../src/core/pipeline/protocol.js';
import { jsonReply } from '../../src/core/pipeline/request.js';
import { publicView } from '../../src/core/state.js';
import type { ProviderModule } from '../../src/providers/provider.js';

export const WIDGETS = 'widgets.items';

class WidgetError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

interface WidgetCall {
  id?: string;
  body?: unknown;
}

interface WidgetResult {
  status: number;
  body: unknown;
}

type WidgetOperation = Operation<WidgetCall, undefined, WidgetResult> & { method: string; pattern: RegExp };

const OPERATIONS: WidgetOperation[] = [
  {
    name: 'GetWidget',
    method: 'GET',
    pattern: /^\/widgets\/([^/]+)$/,
    resources: (call) => [call.id!],
    handle(call, tx) {
      const w = tx.get(WIDGETS, call.id!);
      if (!w) throw new WidgetError(404, 'NotFound');
      return { status: 200, body: publicView(w) };
    },
  },
  {
    name: 'CreateWidget',
    method: 'POST',
    pattern: /^\/widgets$/,
    mutates: true,
    handle(call, tx) {
      const entry = tx.insert(WIDGETS, { id: (call.body as { id: string }).id, status: 'running' });
      return { status: 201, body: entry };
    },
  },
  {
    name: 'RestartWidget',
    method: 'POST',
    pattern: /^\/widgets\/([^/]+)\/restart$/,
    mutates: true,
    resources: (call) => [call.id!],
    handle(call, tx, env) {
      const w = tx.get(WIDGETS, call.id!);
      if (!w) throw new WidgetError(404, 'NotFound');
      if (w.status !== 'running') throw new WidgetError(409, 'IncorrectStatus');
      tx.update(WIDGETS, call.id!, (d) => (d.status = 'restarting'));
      env.lifecycle.schedule(tx, WIDGETS, call.id!, [{ dueAt: env.durations.dueAt('widgets.restart', env.now), set: { status: 'running' }, hook: 'widgets.restarted' }]);
      return { status: 202, body: {} };
    },
  },
];

const widgetsProtocol: ProviderProtocol<WidgetCall, undefined> = {
  name: 'widgets',
  operations: OPERATIONS,
  route(req) {
    for (const operation of OPERATIONS) {
      const m = operation.method === req.method ? operation.pattern.exec(req.path) : null;
      if (m) return { operation, call: { id: m[1], body: req.body.length > 0 ? jsonBody(req) : undefined } };
    }
    return { unmatched: `${req.method} ${req.path}` };
  },
  authenticate: () => undefined,
  render: (result) => jsonReply((result as WidgetResult).status, (result as WidgetResult).body),
  isError: (err) => err instanceof WidgetError,
  renderError: (err) => ({ ...jsonReply((err as WidgetError).status, { error: (err as WidgetError).code }), code: (err as WidgetError).code }),
  errors: {
    fault: (rule) => new WidgetError(rule.httpStatus ?? 500, rule.code ?? 'Injected'),
    invalid: () => new WidgetError(400, 'Invalid'),
    unavailable: () => new WidgetError(503, 'Unavailable'),
    internal: () => new WidgetError(500, 'Internal'),
    notEmulated: () => new WidgetError(404, 'NoSuchOperation'),
    throttled: () => new WidgetError(429, 'Throttled'),
  },
};

export const widgetsProvider: ProviderModule = {
  name: 'widgets',
  services: ['widget'],
  collections: [{ path: WIDGETS, idField: 'id' }],
  transitions: { 'widgets.restart': 1000 },
  settings: [{ key: 'widgets.loud', type: 'boolean', default: false, description: 'test setting' }],
  hooks: {
    'widgets.restarted': ({ entry, at }) => {
      entry.restarts = (entry.restarts ?? 0) + 1;
      entry.restartedAt = new Date(at).toISOString();
    },
  },
  emptyState: () => ({ items: [] }),
  normalize(part) {
    const errors: Array<{ path: string; message: string }> = [];
    part.items.forEach((w: any, i: number) => {
      if (typeof w.id !== 'string') errors.push({ path: `/widgets/items/${i}/id`, message: `/widgets/items/${i}/id must be a string` });
      w.status ??= 'running';
    });
    if (errors.length) throw new SeedError(errors);
  },
  paths: ['widgets'],
  protocol: () => widgetsProtocol,
};
