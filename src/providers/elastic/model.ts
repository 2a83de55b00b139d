/**
 * What an ECE deployment looks like: resource kinds, the field names each kind uses, ids, plans and
 * topology. Shared by the seed defaults (normalize) and the plan lifecycle.
 */
import { createHash } from 'node:crypto';
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import { own } from '../lookup.js';

export const STATELESS_KINDS = ['kibana', 'apm', 'appsearch', 'enterprise_search', 'integrations_server'] as const;
export const RESOURCE_KINDS = ['elasticsearch', ...STATELESS_KINDS] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const isResourceKind = (k: string): k is ResourceKind => (RESOURCE_KINDS as readonly string[]).includes(k);
export const isStatelessKind = (k: string): boolean => (STATELESS_KINDS as readonly string[]).includes(k);

/** Kibana and Elasticsearch infos name themselves cluster_id/cluster_name; the others id/name. */
export const usesClusterNames = (kind: string): boolean => kind === 'kibana' || kind === 'elasticsearch';

/** `current.plan_end_time` as real ECE payloads carry it while a plan is still current. */
export const OPEN_PLAN_END = '0001-01-01T00:00:00.000Z';

export const DEPLOYMENTS = 'elastic.deployments';
export const API_KEYS = 'elastic.apiKeys';
export const USERS = 'elastic.users';
export const TOKENS = 'elastic.tokens';

/** The last instant formatted: one command formats the same `now` a dozen times (plan steps, logs, metadata). */
let lastMs = NaN;
let lastIso = '';

export function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/** A stable 32-hex id derived from what names the object, so a fixture seeds the same ids every time. */
export function hexId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 32);
}

/** A stable UUID-shaped id (version 4 layout) derived from what names the plan attempt. */
export function uuidFrom(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Defaults that both the seed expansion and the cheap listing of a compact deployment use. */
export const defaultDeploymentName = (id: string): string => `deployment-${id.slice(0, 6)}`;
export const defaultResourceId = (deploymentId: string, kind: string, refId: string): string => hexId(deploymentId, kind, refId);
export const DEFAULT_ES_REF = 'main-elasticsearch';

export function attemptName(n: number): string {
  return `attempt-${String(n).padStart(10, '0')}`;
}

const INSTANCE_CONFIGURATION: Record<ResourceKind, string> = {
  elasticsearch: 'data.default',
  kibana: 'kibana',
  apm: 'apm',
  appsearch: 'appsearch',
  enterprise_search: 'enterprise.search',
  integrations_server: 'integrations.server',
};

/** Sizes (MB of memory) an instance configuration offers, and its default, as ECE's default templates have them. */
const SIZES: Record<ResourceKind, { sizes: number[]; default_size: number; node_types?: string[]; storage_multiplier?: number }> = {
  elasticsearch: { sizes: [1024, 2048, 4096, 8192, 16384, 32768, 65536], default_size: 4096, node_types: ['data', 'ingest', 'master'], storage_multiplier: 32 },
  kibana: { sizes: [1024, 2048, 4096, 8192], default_size: 1024 },
  apm: { sizes: [512, 1024, 2048, 4096, 8192], default_size: 512 },
  appsearch: { sizes: [2048, 4096, 8192], default_size: 2048 },
  enterprise_search: { sizes: [2048, 4096, 8192], default_size: 2048 },
  integrations_server: { sizes: [512, 1024, 2048, 4096, 8192], default_size: 1024 },
};

/** An InstanceConfigurationInfo for an id a plan names (show_instance_configurations). */
export function instanceConfigurationInfo(id: string, kind: ResourceKind): Record<string, any> {
  const s = SIZES[kind];
  return {
    id,
    name: id,
    instance_type: kind,
    ...(s.node_types ? { node_types: [...s.node_types] } : {}),
    discrete_sizes: { sizes: [...s.sizes], default_size: s.default_size, resource: 'memory' },
    ...(s.storage_multiplier ? { storage_multiplier: s.storage_multiplier } : {}),
    metadata: {},
  };
}

export function defaultPlan(kind: ResourceKind, version: string): Record<string, any> {
  return {
    cluster_topology: [{ instance_configuration_id: INSTANCE_CONFIGURATION[kind], size: { resource: 'memory', value: kind === 'elasticsearch' ? 4096 : 1024 }, zone_count: 1 }],
    [kind]: { version },
  };
}

/** One instance per zone of each topology element with a non-zero size. */
export function instancesFor(kind: ResourceKind, plan: Record<string, any> | undefined, state: 'running' | 'booting' | 'stopped'): Record<string, any>[] {
  if (state === 'stopped' || !plan) return [];
  const version = plan[kind]?.version;
  const out: Record<string, any>[] = [];
  for (const el of Array.isArray(plan.cluster_topology) ? plan.cluster_topology : []) {
    if (!el || (el.size && el.size.value === 0)) continue;
    const zones = Number.isInteger(el.zone_count) && el.zone_count > 0 ? el.zone_count : 1;
    for (let z = 0; z < zones; z++) {
      out.push({
        instance_name: `instance-${String(out.length).padStart(10, '0')}`,
        ...(typeof version === 'string' ? { service_version: version } : {}),
        healthy: state === 'running',
        container_started: true,
        service_running: state === 'running',
        maintenance_mode: false,
        zone: `ece-zone-${z + 1}`,
        instance_configuration: { id: el.instance_configuration_id ?? INSTANCE_CONFIGURATION[kind], name: el.instance_configuration_id ?? INSTANCE_CONFIGURATION[kind], resource: el.size?.resource ?? 'memory' },
        memory: { instance_capacity: el.size?.value ?? 1024 },
      });
    }
  }
  return out;
}

/** Every plan attempt a resource knows, newest last. */
export function allAttempts(resource: Entry): Record<string, any>[] {
  const pi = resource.info?.plan_info ?? {};
  return [...(pi.history ?? []), ...(pi.current ? [pi.current] : []), ...(pi.pending ? [pi.pending] : [])];
}

/**
 * The number the next attempt is named after: past every attempt the entry holds (seeded history,
 * current, pending) and every one it ever began (`_emulator.nextAttempt`: attempts retired to the
 * history collection are not on the entry).
 */
export function nextAttemptNumber(resource: Entry): number {
  let max = -1;
  for (const a of allAttempts(resource)) {
    const m = /^attempt-(\d+)$/.exec(a.plan_attempt_name ?? '');
    if (m) max = Math.max(max, Number(m[1]));
  }
  const begun = resource[EMULATOR_KEY]?.nextAttempt;
  return Math.max(max + 1, allAttempts(resource).length, typeof begun === 'number' ? begun : 0);
}

/** Test hooks and bookkeeping on a resource (nested, so publicView does not strip them). */
export function resourceMeta(resource: Entry): Record<string, any> {
  return (resource[EMULATOR_KEY] ??= {});
}

export function resourcesOf(deployment: Entry, kind: string): Entry[] {
  const list = own(deployment.resources, kind);
  return Array.isArray(list) ? list : [];
}
