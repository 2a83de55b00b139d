/**
 * Seed defaults: a deployment is seeded in the shape GET /api/v1/deployments/{id} returns it, and
 * whatever a seed leaves out (ids, names, plans, topology, metadata) is filled in here. Only missing
 * fields are filled, so normalizing an already normalized document changes nothing.
 */
import { ELASTIC } from './settings.js';
import { type EngineContext, SeedError } from '../../core/context.js';
import { EMULATOR_KEY, type Entry, isPlainObject } from '../../core/state.js';
import {
  DEFAULT_ES_REF,
  OPEN_PLAN_END,
  RESOURCE_KINDS,
  type ResourceKind,
  attemptName,
  defaultDeploymentName,
  defaultPlan,
  defaultResourceId,
  hexId,
  instancesFor,
  iso,
  uuidFrom,
} from './model.js';

const TRANSITIONAL = new Set(['initializing', 'stopping', 'rebooting', 'restarting', 'reconfiguring']);

export function normalizeElastic(part: Record<string, any>, ctx: EngineContext): void {
  const now = iso(ctx.clock.now());
  const version = ctx.settings.get(ELASTIC.defaultVersion);
  const region = ctx.settings.get(ELASTIC.region);
  for (const key of part.apiKeys ?? []) key.role ??= 'platform_admin';
  for (const user of part.users ?? []) user.role ??= 'platform_admin';
  part.tokens ??= [];

  const seen = new Set<string>();
  (part.deployments ?? []).forEach((d: Entry, i: number) => {
    if (seen.has(d.id)) throw new SeedError([{ path: `/elastic/deployments/${i}/id`, message: `duplicate deployment id ${d.id}` }]);
    seen.add(d.id);
    const meta = (d[EMULATOR_KEY] ??= {});
    // A deployment no command has changed yet is stored as seeded, with what its defaults depend
    // on (seed time, version, region): the full GET shape is ~4 KB, a minimal seed ~0.2 KB, and a
    // store of 100,000 seeded deployments must stay small. Reads expand a copy (expandDeployment),
    // the first change expands the entry itself (materializeDeployment).
    if (meta.createdAt === undefined) meta.defaults ??= { at: now, version, region };
    const given = meta.defaults;
    if (given !== undefined && !(isPlainObject(given) && !Number.isNaN(Date.parse(given.at)) && typeof given.version === 'string' && typeof given.region === 'string')) {
      throw new SeedError([{ path: `/elastic/deployments/${i}/_emulator/defaults`, message: 'must be { at: date-time, version: string, region: string } (the emulator writes it; leave it out)' }]);
    }
    if (meta.defaults) normalizeDeployment(structuredClone(d), i, defaultsOf(meta.defaults)); // checks the seed only
    else normalizeDeployment(d, i, { now, version, region });
  });
}

function defaultsOf(stored: { at: string; version: string; region: string }): Defaults {
  return { now: stored.at, version: stored.version, region: stored.region };
}

/** The deployment in its full GET shape: itself if already full, else an expanded copy. */
export function expandDeployment(d: Entry): Entry {
  if (!d[EMULATOR_KEY]?.defaults) return d;
  const copy = structuredClone(d);
  materializeDeployment(copy);
  return copy;
}

/** Fills a seeded deployment's defaults into the entry itself (on a draft, before its first change). */
export function materializeDeployment(d: Entry): void {
  const meta = d[EMULATOR_KEY];
  if (!meta?.defaults) return;
  normalizeDeployment(d, 0, defaultsOf(meta.defaults));
  delete meta.defaults;
}

interface Defaults {
  now: string;
  version: string;
  region: string;
}

function normalizeDeployment(d: Entry, index: number, defs: Defaults): void {
  d.name ??= defaultDeploymentName(d.id);
  d.resources ??= {};
  for (const kind of RESOURCE_KINDS) d.resources[kind] ??= [];
  const stateless = RESOURCE_KINDS.filter((k) => k !== 'elasticsearch').some((k) => d.resources[k].length > 0);
  // Every stateless resource points at an Elasticsearch cluster of its deployment.
  if (d.resources.elasticsearch.length === 0 && stateless) d.resources.elasticsearch.push({ ref_id: DEFAULT_ES_REF, info: { status: 'started' } });
  d[EMULATOR_KEY] ??= {};
  d[EMULATOR_KEY].createdAt ??= defs.now;
  d.metadata ??= {};
  d.metadata.last_modified ??= defs.now;
  d.metadata.system_owned ??= false;
  d.metadata.hidden ??= false;

  for (const kind of RESOURCE_KINDS) {
    const refs = new Set<string>();
    d.resources[kind].forEach((r: Entry, j: number) => {
      const where = `/elastic/deployments/${index}/resources/${kind}/${j}`;
      if (refs.has(r.ref_id)) throw new SeedError([{ path: `${where}/ref_id`, message: `duplicate ${kind} ref_id ${r.ref_id}` }]);
      refs.add(r.ref_id);
      normalizeResource(d, kind, r, defs, where);
    });
  }
  const es = d.resources.elasticsearch;
  for (const r of es) {
    const assoc = (kind: ResourceKind, idField: string) =>
      d.resources[kind].filter((s: Entry) => s.elasticsearch_cluster_ref_id === r.ref_id).map((s: Entry) => ({ [idField]: s.id, enabled: true }));
    r.info.associated_kibana_clusters ??= assoc('kibana', 'kibana_id');
    r.info.associated_apm_clusters ??= assoc('apm', 'apm_id');
    r.info.associated_appsearch_clusters ??= assoc('appsearch', 'app_search_id');
    r.info.associated_enterprise_search_clusters ??= assoc('enterprise_search', 'enterprise_search_id');
  }
}

function normalizeResource(d: Entry, kind: ResourceKind, r: Entry, defs: Defaults, where: string): void {
  r.id ??= defaultResourceId(d.id, kind, r.ref_id);
  r.region ??= defs.region;
  if (kind !== 'elasticsearch') {
    const es = d.resources.elasticsearch;
    r.elasticsearch_cluster_ref_id ??= es[0]?.ref_id ?? DEFAULT_ES_REF;
    if (!es.some((e: Entry) => e.ref_id === r.elasticsearch_cluster_ref_id)) {
      throw new SeedError([{ path: `${where}/elasticsearch_cluster_ref_id`, message: `no elasticsearch resource ${r.elasticsearch_cluster_ref_id} in deployment ${d.id}` }]);
    }
  }
  const info = (r.info ??= {});
  info.status ??= 'started';
  if (kind === 'kibana' || kind === 'elasticsearch') {
    info.cluster_id ??= r.id;
    info.cluster_name ??= d.name;
  } else {
    info.id ??= r.id;
    info.name ??= d.name;
  }
  info.deployment_id ??= d.id;
  info.region ??= r.region;
  if (kind !== 'elasticsearch') {
    const es = d.resources.elasticsearch.find((e: Entry) => e.ref_id === r.elasticsearch_cluster_ref_id);
    info.elasticsearch_cluster ??= { elasticsearch_id: es.id ?? hexId(d.id, 'elasticsearch', es.ref_id) };
  }
  info.external_links ??= [];
  info.metadata ??= {};
  info.metadata.version ??= 1;
  info.metadata.last_modified ??= defs.now;

  const pi = (info.plan_info ??= {});
  pi.history ??= [];
  if (!isPlainObject(pi.current)) pi.current = {};
  // The current attempt is the newest finished one: it comes after every seeded history entry.
  fillAttempt(pi.current, kind, defaultPlan(kind, defs.version), [d.id, kind, r.ref_id, 'current'], defs.now, Array.isArray(pi.history) ? pi.history.length : 0, true);
  pi.current.plan_end_time ??= OPEN_PLAN_END;
  pi.history.forEach((h: Entry, i: number) => fillAttempt(h, kind, pi.current.plan, [d.id, kind, r.ref_id, 'history', String(i)], defs.now, i, true));
  if (pi.pending !== undefined) {
    if (!isPlainObject(pi.pending)) throw new SeedError([{ path: `${where}/info/plan_info/pending`, message: 'pending must be a plan info object' }]);
    fillAttempt(pi.pending, kind, pi.current.plan, [d.id, kind, r.ref_id, 'pending'], defs.now, pi.history.length + 1, false);
  }
  pi.healthy ??= pi.current.healthy !== false;

  const running = info.status === 'stopped' ? 'stopped' : TRANSITIONAL.has(info.status) ? 'booting' : 'running';
  info.topology ??= {};
  info.topology.instances ??= instancesFor(kind, pi.current.plan, running);
  info.topology.healthy ??= info.topology.instances.every((x: Entry) => x.healthy !== false);
  info.healthy ??= !TRANSITIONAL.has(info.status) && pi.healthy && info.topology.healthy;

  if (kind === 'elasticsearch') {
    // ElasticsearchInfo requires shard, master and blocking-issue summaries: a healthy cluster's.
    const es = (info.elasticsearch ??= {});
    es.healthy ??= true;
    es.shard_info ??= { healthy: true, available_shards: [], unavailable_shards: [], unavailable_replicas: [] };
    es.master_info ??= { healthy: true, masters: [], instances_with_no_master: [] };
    es.blocking_issues ??= { healthy: true, cluster_level: [], index_level: [] };
    info.snapshots ??= { healthy: true, count: 0, recent_success: false };
  }
}

/** Fills a plan attempt (current, pending or history) in the shape of a `*PlanInfo`. */
function fillAttempt(a: Entry, kind: ResourceKind, plan: Record<string, any>, idParts: string[], now: string, n: number, finished: boolean): void {
  a.plan_attempt_id ??= uuidFrom(...idParts);
  a.plan_attempt_name ??= attemptName(n);
  a.healthy ??= true;
  a.attempt_start_time ??= now;
  if (finished) a.attempt_end_time ??= now;
  a.plan ??= structuredClone(plan);
  a.plan[kind] ??= structuredClone(plan[kind] ?? {});
  a.plan_attempt_log ??= finished
    ? [{ step_id: 'plan-completed', started: a.attempt_end_time, completed: a.attempt_end_time, duration_in_millis: 0, status: a.healthy ? 'success' : 'error', stage: 'completed', info_log: [] }]
    : [];
  for (const step of a.plan_attempt_log) {
    step.started ??= a.attempt_start_time;
    step.stage ??= 'completed';
    step.status ??= step.stage === 'completed' ? 'success' : 'pending';
    step.info_log ??= [];
  }
  a.source ??= { facilitator: 'adminconsole', action: finished ? 'deployments.create-deployment' : 'deployments.update-deployment', date: a.attempt_start_time };
  a.warnings ??= [];
}
