/**
 * What a GET returns: the stored resource trimmed or completed by the query flags ECE honours
 * (show_plans, show_plan_logs, show_plan_history with force_all_plan_history, show_metadata,
 * show_settings, show_system_alerts, show_instance_configurations, clear_transient), with the
 * endpoint fields real payloads carry, and without the emulator's own `_emulator` bookkeeping at
 * any level.
 */
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import { shownHistory } from './history.js';
import { DEFAULT_ES_REF, RESOURCE_KINDS, STATELESS_KINDS, defaultDeploymentName, defaultResourceId, instanceConfigurationInfo, resourcesOf } from './model.js';
import { copyJson } from '../../core/copy.js';

export interface ViewOptions {
  showPlans: boolean;
  showPlanLogs: boolean;
  showPlanHistory: boolean;
  /** force_all_plan_history: every kept attempt, not only the first 10 and the last 90. */
  forceAllPlanHistory: boolean;
  showSettings: boolean;
  showMetadata: boolean;
  /** How many system alerts to show; 0 or less leaves the field out. */
  showSystemAlerts: number;
  clearTransient: boolean;
}

/** What a view needs besides the resource: its history (a separate collection) and where it is served. */
export interface ViewContext {
  deployment: Entry;
  /** The resource's whole kept history, oldest first (read only when show_plan_history asks). */
  history(kind: string, resource: Entry): Entry[];
  /** elastic.endpointDomain */
  domain: string;
}

/** The ports ECE's proxies listen on (its documented defaults). */
export const PORTS = { http: 9200, https: 9243, transport_passthrough: 9400 } as const;

export function attemptView(a: Entry, opts: Pick<ViewOptions, 'showPlanLogs' | 'clearTransient'>): Entry {
  const out = copyJson(a);
  if (!opts.showPlanLogs) out.plan_attempt_log = [];
  if (opts.clearTransient && out.plan) delete out.plan.transient;
  return out;
}

/** The endpoint a resource is reached at: `<resource id>.<domain>`. */
const endpointOf = (r: Entry, domain: string): string => `${r.id}.${domain}`;

/**
 * The Cloud ID of an Elasticsearch resource: `<deployment name>:base64(<domain>:<https port>$<es id>$<kibana id>)`,
 * the format Elastic's clients decode (the Kibana part empty without a Kibana).
 */
export function cloudId(d: Entry, es: Entry, domain: string): string {
  const kibana = resourcesOf(d, 'kibana').find((k) => k.elasticsearch_cluster_ref_id === es.ref_id);
  return `${d.name}:${Buffer.from(`${domain}:${PORTS.https}$${es.id}$${kibana?.id ?? ''}`).toString('base64')}`;
}

function metadataView(kind: string, r: Entry, metadata: Entry, opts: ViewOptions, ctx: ViewContext): Entry {
  const m: Entry = { ...metadata };
  const endpoint = endpointOf(r, ctx.domain);
  m.endpoint ??= endpoint;
  m.service_url ??= `https://${endpoint}:${PORTS.https}`;
  m.ports ??= { ...PORTS };
  if (kind === 'elasticsearch') m.cloud_id ??= cloudId(ctx.deployment, r, ctx.domain);
  // The full cluster metadata is only for show_metadata (the spec: "can be large ... include credentials").
  if (opts.showMetadata) m.raw ??= { id: r.id, ref_id: r.ref_id, kind, region: r.region, deployment_id: ctx.deployment.id, version: m.version };
  else delete m.raw;
  return m;
}

export function resourceView(kind: string, r: Entry, opts: ViewOptions, ctx: ViewContext): Entry {
  const { [EMULATOR_KEY]: _hidden, ...rest } = r;
  const { plan_info: pi, system_alerts: alerts, ...info } = rest.info;
  const out = copyJson({ ...rest, info });
  const o = out.info;
  o.metadata = metadataView(kind, r, o.metadata ?? {}, opts, ctx);
  if (opts.showSettings) o.settings ??= { metadata: { name: ctx.deployment.name } };
  else delete o.settings;
  if (kind === 'elasticsearch' && opts.showSystemAlerts > 0) o.system_alerts = copyJson(Array.isArray(alerts) ? alerts.slice(-opts.showSystemAlerts) : []);
  const plans: Entry = { healthy: pi.healthy, history: [] };
  if (opts.showPlans) {
    if (pi.current) plans.current = attemptView(pi.current, opts);
    if (pi.pending) plans.pending = attemptView(pi.pending, opts);
    if (opts.showPlanHistory) plans.history = shownHistory(ctx.history(kind, r), opts.forceAllPlanHistory).map((a: Entry) => attemptView(a, opts));
  }
  o.plan_info = plans;
  return out;
}

export function deploymentHealthy(d: Entry): boolean {
  return RESOURCE_KINDS.every((k) => resourcesOf(d, k).every((r) => r.info?.healthy !== false));
}

/** The instance configurations the deployment's current plans name, once each (show_instance_configurations). */
function instanceConfigurations(d: Entry): Entry[] {
  const seen = new Map<string, Entry>();
  for (const kind of RESOURCE_KINDS) {
    for (const r of resourcesOf(d, kind)) {
      for (const el of r.info?.plan_info?.current?.plan?.cluster_topology ?? []) {
        const id = el?.instance_configuration_id;
        if (typeof id === 'string' && !seen.has(id)) seen.set(id, instanceConfigurationInfo(id, kind));
      }
    }
  }
  return [...seen.values()];
}

export function deploymentView(d: Entry, opts: ViewOptions & { showInstanceConfigurations: boolean }, ctx: ViewContext): Entry {
  const resources: Entry = {};
  for (const kind of RESOURCE_KINDS) resources[kind] = resourcesOf(d, kind).map((r) => resourceView(kind, r, opts, ctx));
  return {
    id: d.id,
    name: d.name,
    ...(d.alias !== undefined ? { alias: d.alias } : {}),
    healthy: deploymentHealthy(d),
    resources,
    ...(opts.showSettings ? { settings: copyJson(d.settings ?? { autoscaling_enabled: false, auto_ops: { status: 'not_connected' } }) } : {}),
    metadata: copyJson(d.metadata),
    ...(opts.showInstanceConfigurations ? { instance_configurations: instanceConfigurations(d) } : {}),
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
