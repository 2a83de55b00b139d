/**
 * A tiny provider used only by the engine's own tests: one collection, one two-step transition with
 * a hook, and routes that start it. It proves the spine without any real provider's protocol.
 */
import { Router } from 'express';
import type { EngineContext } from '../../src/core/context.js';
import { SeedError } from '../../src/core/context.js';
import { jsonBody, rawBody, tagRequest } from '../../src/core/http.js';
import { publicView } from '../../src/core/state.js';
import type { ProviderModule } from '../../src/providers/provider.js';

export const WIDGETS = 'widgets.items';

export const widgetsProvider: ProviderModule = {
  name: 'widgets',
  services: ['widget'],
  operations: ['GetWidget', 'CreateWidget', 'RestartWidget'],
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
  router(ctx: EngineContext) {
    const r = Router();
    r.use('/widgets', rawBody(ctx.config.bodyLimit));
    r.get('/widgets/:id', (req, res) => {
      tagRequest(res, { provider: 'widgets', operation: 'GetWidget' });
      const w = ctx.store.get(WIDGETS, req.params.id);
      if (!w) return res.status(404).json({ error: 'NotFound' });
      res.json(publicView(w));
    });
    r.post('/widgets', async (req, res) => {
      tagRequest(res, { provider: 'widgets', operation: 'CreateWidget' });
      const body = jsonBody(req) as any;
      const entry = await ctx.store.mutate((tx) => tx.insert(WIDGETS, { id: body.id, status: 'running' }));
      res.status(201).json(entry);
    });
    r.post('/widgets/:id/restart', async (req, res) => {
      tagRequest(res, { provider: 'widgets', operation: 'RestartWidget' });
      const fault = ctx.faults.match({ provider: 'widgets', operation: 'RestartWidget', resourceIds: [req.params.id] });
      if (fault) return res.status(fault.httpStatus ?? 500).json({ error: fault.code ?? 'Injected' });
      const result = await ctx.store.mutate((tx) => {
        const w = tx.get(WIDGETS, req.params.id);
        if (!w) return { status: 404, body: { error: 'NotFound' } };
        if (w.status !== 'running') return { status: 409, body: { error: 'IncorrectStatus' } };
        const now = ctx.clock.now();
        tx.update(WIDGETS, req.params.id, (d) => (d.status = 'restarting'));
        ctx.lifecycle.schedule(tx, WIDGETS, req.params.id, [
          { dueAt: ctx.durations.dueAt('widgets.restart', now), set: { status: 'running' }, hook: 'widgets.restarted' },
        ]);
        return { status: 202, body: {} };
      });
      res.status(result.status).json(result.body);
    });
    return r;
  },
};
