/**
 * What a GET returns: the stored resource (kept in full) trimmed by the query flags ECE honours
 * (show_plans, show_plan_logs, show_plan_history, show_settings, clear_transient), without the
 * emulator's own `_emulator` bookkeeping at any level.
 */
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import { DEFAULT_ES_REF, RESOURCE_KINDS, STATELESS_KINDS, defaultDeploymentName, defaultResourceId, resourcesOf } from './model.js';

export interface ViewOptions {
  showPlans: boolean;
  showPlanLogs: boolean;
  showPlanHistory: boolean;
  showSettings: boolean;
  clearTransient: boolean;
}

export function attemptView(a: Entry, opts: Pick<ViewOptions, 'showPlanLogs' | 'clearTransient'>): Entry {
  const out = structuredClone(a);
  if (!opts.showPlanLogs) out.plan_attempt_log = [];
  if (opts.clearTransient && out.plan) delete out.plan.transient;
  return out;
}

export function resourceView(r: Entry, opts: ViewOptions): Entry {
  const { [EMULATOR_KEY]: _hidden, ...rest } = r;
  const out = structuredClone(rest);
  const info = out.info;
  if (!opts.showSettings) delete info.settings;
  const pi = info.plan_info;
  const plans: Entry = { healthy: pi.healthy, history: [] };
  if (opts.showPlans) {
    if (pi.current) plans.current = attemptView(pi.current, opts);
    if (pi.pending) plans.pending = attemptView(pi.pending, opts);
    if (opts.showPlanHistory) plans.history = (pi.history ?? []).map((a: Entry) => attemptView(a, opts));
  }
  info.plan_info = plans;
  return out;
}

export function deploymentHealthy(d: Entry): boolean {
  return RESOURCE_KINDS.every((k) => resourcesOf(d, k).every((r) => r.info?.healthy !== false));
}

export function deploymentView(d: Entry, opts: ViewOptions): Entry {
  const resources: Entry = {};
  for (const kind of RESOURCE_KINDS) resources[kind] = resourcesOf(d, kind).map((r) => resourceView(r, opts));
  return {
    id: d.id,
    name: d.name,
    ...(d.alias !== undefined ? { alias: d.alias } : {}),
    healthy: deploymentHealthy(d),
    resources,
    metadata: structuredClone(d.metadata),
  };
}

/**
 * What GET /deployments lists of a deployment. It reads only identities, so a compact (seeded,
 * never changed) deployment is listed without expanding it: the same defaults, applied here to
 * the few fields the listing shows.
 */
export function listingView(d: Entry): Entry {
  const region = d[EMULATOR_KEY]?.defaults?.region;
  let es = resourcesOf(d, 'elasticsearch');
  if (es.length === 0 && STATELESS_KINDS.some((k) => resourcesOf(d, k).length > 0)) es = [{ ref_id: DEFAULT_ES_REF }];
  const resources: Entry[] = [];
  for (const kind of RESOURCE_KINDS) {
    for (const r of kind === 'elasticsearch' ? es : resourcesOf(d, kind)) {
      resources.push({
        ref_id: r.ref_id,
        ...(kind !== 'elasticsearch' ? { elasticsearch_cluster_ref_id: r.elasticsearch_cluster_ref_id ?? es[0]?.ref_id ?? DEFAULT_ES_REF } : {}),
        id: r.id ?? defaultResourceId(d.id, kind, r.ref_id),
        kind,
        region: r.region ?? region,
      });
    }
  }
  return { id: d.id, name: d.name ?? defaultDeploymentName(d.id), resources };
}
