/**
 * The deployment operations. Each is pure over (call, state, clock): it reads or changes the store through one
 * transaction and returns a reply, or throws an EceError from the catalogue; the router renders both.
 */
import { randomUUID } from 'node:crypto';
import type { OperationEnv } from '../../core/pipeline/protocol.js';
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import type { Tx } from '../../core/store.js';
import type { Durations } from '../../core/transitions.js';
import type { Principal } from './auth.js';
import { errors } from './errors.js';
import { ELASTIC } from './settings.js';
import { DEPLOYMENTS, type ResourceKind, isStatelessKind, resourcesOf } from './model.js';
import { historyOf } from './history.js';
import { expandDeployment, materializeDeployment } from './normalize.js';
import { type PlanAction, beginPlan, cancelPending, lastSuccessfulPlan, resourcePath, setMeta, touch } from './plans.js';
import { type EntryWriter, directWriter } from '../../core/recording.js';
import { type ViewContext, type ViewOptions, attemptView, deploymentView, listingView, resourceView } from './view.js';
import { copyJson } from '../../core/copy.js';

/** One call as a handler sees it: inside the pipeline's transaction, after every check has passed. */
export interface Call {
  params: Record<string, string>;
  query: Record<string, boolean | number | string>;
  principal?: Principal;
  body: unknown;
  now: number;
  remoteAddress?: string;
  tx: Tx;
  env: OperationEnv<Principal | undefined>;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The deployment to read, in its full shape (a seeded one is expanded on a copy). */
function findDeployment(view: { get(c: string, id: string): Entry | undefined }, id: string): Entry {
  const d = view.get(DEPLOYMENTS, id);
  if (!d) throw errors.deploymentNotFound(id);
  return expandDeployment(d);
}

/** Resolves a ref_id, `_main` meaning the only resource of the kind. */
export function findResource(d: Entry, kind: ResourceKind, refId: string): Entry {
  const list = resourcesOf(d, kind);
  if (refId === '_main') {
    if (list.length !== 1) throw errors.resourceNotFound(list.length === 0 ? { kind, refId } : { kind, refId: '_main', count: list.length });
    return list[0]!;
  }
  const r = list.find((x) => x.ref_id === refId);
  if (!r) throw errors.resourceNotFound({ kind, refId });
  return r;
}

function assertPresent(kind: ResourceKind, r: Entry): void {
  if (r[EMULATOR_KEY]?.gone === true) throw errors.noLongerExists(kind, r.ref_id);
}

/**
 * elastic.planHistoryLimit; -1 = no limit. At least 1: a stopped resource starts from the plan
 * before its shutdown, which is the newest history entry.
 */
function historyLimit(env: OperationEnv<unknown>): number {
  const n = env.settings.get(ELASTIC.planHistoryLimit);
  return n < 0 ? -1 : Math.max(1, n);
}

/** The query flags of the reads, with the spec's defaults. */
export function viewOptions(q: Call['query']): ViewOptions & { showInstanceConfigurations: boolean } {
  return {
    showPlans: q.show_plans !== false,
    showPlanLogs: q.show_plan_logs === true,
    showPlanHistory: q.show_plan_history === true,
    forceAllPlanHistory: q.force_all_plan_history === true,
    showSettings: q.show_settings === true,
    showMetadata: q.show_metadata === true,
    showSystemAlerts: typeof q.show_system_alerts === 'number' ? q.show_system_alerts : 0,
    showInstanceConfigurations: q.show_instance_configurations !== false,
    clearTransient: q.clear_transient === true,
  };
}

function viewContext(call: Call, d: Entry): ViewContext {
  return {
    deployment: d,
    history: (kind, resource) => historyOf(call.tx, { deploymentId: d.id, kind, resource }),
    domain: call.env.settings.get(ELASTIC.endpointDomain),
  };
}

/**
 * Runs `change` on the deployment inside the transaction: a throw inside leaves the store
 * untouched. `change` writes through `w` (recording.ts): the change log gets what it wrote. A
 * deployment still stored as seeded is expanded first, by an update that copies and diffs it (once).
 */
function changeDeployment(tx: Tx, id: string, change: (draft: Entry, w: EntryWriter) => void): Entry {
  const current = tx.get(DEPLOYMENTS, id);
  if (!current) throw errors.deploymentNotFound(id);
  if (current[EMULATOR_KEY]?.defaults) {
    return tx.update(DEPLOYMENTS, id, (draft) => {
      materializeDeployment(draft);
      change(draft, directWriter(draft));
    });
  }
  return tx.edit(DEPLOYMENTS, id, change);
}

export function listDeployments(call: Call): Reply {
  const deployments = call.tx.list(DEPLOYMENTS).map(listingView);
  return { status: 200, body: { deployments } };
}

export function getDeployment(call: Call): Reply {
  const d = findDeployment(call.tx, call.params.deployment_id!);
  const meta = d[EMULATOR_KEY] ?? {};
  return {
    status: 200,
    body: deploymentView(d, viewOptions(call.query), viewContext(call, d)),
    headers: {
      'x-cloud-resource-version': String(meta.version ?? 0),
      'x-cloud-resource-created': meta.createdAt ?? d.metadata.last_modified,
      'x-cloud-resource-last-modified': d.metadata.last_modified,
    },
  };
}

export const getResourceInfo = (kind: ResourceKind) => (call: Call): Reply => {
  const d = findDeployment(call.tx, call.params.deployment_id!);
  const r = findResource(d, kind, call.params.ref_id!);
  assertPresent(kind, r);
  return { status: 200, body: resourceView(kind, r, viewOptions(call.query), viewContext(call, d)) };
};

function statelessKind(call: Call): ResourceKind {
  const kind = call.params.stateless_resource_kind!;
  if (!isStatelessKind(kind)) {
    if (call.env.settings.get(ELASTIC.unknownKindError) === 'route_not_found') throw errors.routeNotFound();
    throw errors.resourceNotFound({ kind, refId: call.params.ref_id!, notStateless: true });
  }
  return kind as ResourceKind;
}

/** Runs `change` on the resource of `kind` a command names, inside one transaction. */
function changeResource(call: Call, kind: () => ResourceKind, change: (d: Entry, kind: ResourceKind, r: Entry, w: EntryWriter) => void): void {
  changeDeployment(call.tx, call.params.deployment_id!, (d, w) => {
    const k = kind();
    const r = findResource(d, k, call.params.ref_id!);
    assertPresent(k, r);
    change(d, k, r, w);
  });
}

function changeStatelessResource(call: Call, change: (d: Entry, kind: ResourceKind, r: Entry, w: EntryWriter) => void): void {
  changeResource(call, () => statelessKind(call), change);
}

/** A transition that never completes (a `stuck` transition fault): every due time is never. */
const NEVER = { get: () => null, dueAt: () => null } as unknown as Durations;

/**
 * What every plan a command begins shares. A transition fault rule naming the deployment or the
 * resource makes the attempt end in error (`fail`, as `failNextPlan` does) or never end (`stuck`).
 * A fresh object the caller completes with Object.assign: on Node 20 a spread copy that then gains
 * new keys (`{ ...common, action }`) costs microseconds per call, as much as the rest of the plan.
 */
function planContext(call: Call, w: EntryWriter, d: Entry, kind: ResourceKind, r: Entry) {
  const { env, now } = call;
  const fault = env.transitionFault([d.id, r.ref_id]);
  if (fault === 'fail') setMeta(w, resourcePath(d, kind, r), r, 'failNextPlan', true);
  return { tx: call.tx, w, deployment: d, kind, resource: r, now, durations: fault === 'stuck' ? NEVER : env.durations, userId: call.principal!.userId, remoteAddress: call.remoteAddress, newAttemptId: randomUUID(), historyLimit: historyLimit(env) };
}

/** How a restart is asked for: the stateless restart's `cancel_pending`, and the Elasticsearch restart's own flags. */
interface RestartAsk {
  /** The plan's `transient` additions for a running resource (cluster_reboot, snapshot, strategy). */
  transient: Record<string, any>;
  /** The action for a running resource (a snapshot first, or not). */
  action: PlanAction;
  sourceAction?: string;
  /** What a stopped resource's plan restores (Elasticsearch with restore_snapshot and a snapshot to restore). */
  restore?: (r: Entry) => Record<string, any> | undefined;
}

function restartResource(call: Call, w: EntryWriter, d: Entry, kind: ResourceKind, r: Entry, ask: RestartAsk): void {
  const { env, now } = call;
  if (r.info.plan_info.pending) {
    if (call.query.cancel_pending !== true) throw errors.planChangeError(kind, r.ref_id, 'pending');
    cancelPending(call.tx, w, d, kind, r, now, false, historyLimit(env));
  }
  const common = planContext(call, w, d, kind, r);
  if (r.info.status === 'stopped') {
    const plan = lastSuccessfulPlan(call.tx, d.id, kind, r);
    if (!plan) throw errors.planChangeError(kind, r.ref_id, 'no_successful_plan');
    const fresh = copyJson(plan);
    delete fresh.transient;
    const restore = ask.restore?.(r);
    if (restore) fresh.transient = { restore_snapshot: restore };
    beginPlan(Object.assign(common, { action: 'start' as const, plan: fresh, sourceAction: ask.sourceAction }));
  } else {
    const plan = copyJson(r.info.plan_info.current.plan);
    const transient = plan.transient ?? {};
    plan.transient = { ...transient, ...ask.transient, plan_configuration: { ...(transient.plan_configuration ?? {}), ...ask.transient.plan_configuration } };
    beginPlan(Object.assign(common, { action: ask.action, plan, during: env.settings.get(ELASTIC.restartStatus), sourceAction: ask.sourceAction }));
  }
}

export function restart(call: Call): Reply {
  changeStatelessResource(call, (d, kind, r, w) => restartResource(call, w, d, kind, r, { action: 'restart', transient: { plan_configuration: { cluster_reboot: 'forced' } } }));
  return { status: 202, body: {} };
}

/**
 * restart-deployment-es-resource: a forced cluster reboot rolled over groups of instances
 * (`group_attribute`, `shard_init_wait_time` become the plan's rolling strategy), with a snapshot
 * first unless `skip_snapshot` (default true); a stopped cluster starts again, restored from its
 * latest snapshot when `restore_snapshot` (default true) and it has one.
 */
export function restartElasticsearch(call: Call): Reply {
  const q = call.query;
  const skipSnapshot = q.skip_snapshot !== false;
  const groupBy = typeof q.group_attribute === 'string' ? q.group_attribute : '__zone__';
  const waitTime = typeof q.shard_init_wait_time === 'number' ? q.shard_init_wait_time : 600;
  changeResource(
    call,
    () => 'elasticsearch',
    (d, kind, r, w) =>
      restartResource(call, w, d, kind, r, {
        action: skipSnapshot ? 'restart' : 'snapshotRestart',
        sourceAction: 'deployments.restart-es-resource',
        transient: { plan_configuration: { cluster_reboot: 'forced', skip_snapshot: skipSnapshot }, strategy: { rolling: { group_by: groupBy, shard_init_wait_time: waitTime } } },
        restore: (res) => (q.restore_snapshot !== false && (res.info.snapshots?.count ?? 0) > 0 ? { snapshot_name: '__latest_success__', source_cluster_id: res.id } : undefined),
      }),
  );
  return { status: 202, body: {} };
}

export function shutdown(call: Call): Reply {
  changeStatelessResource(call, (d, kind, r, w) => {
    if (r.info.plan_info.pending) throw errors.planChangeError(kind, r.ref_id, 'pending');
    if (r.info.status === 'stopped') return;
    const plan = copyJson(r.info.plan_info.current.plan);
    delete plan.transient;
    for (const el of plan.cluster_topology ?? []) if (el?.size) el.size.value = 0;
    beginPlan(Object.assign(planContext(call, w, d, kind, r), { action: 'shutdown' as const, plan }));
  });
  return { status: 200, body: {} };
}

export function planActivity(call: Call): Reply {
  const kind = call.params.resource_kind as ResourceKind;
  const d = findDeployment(call.tx, call.params.deployment_id!);
  const r = findResource(d, kind, call.params.ref_id!);
  const pi = r.info.plan_info;
  const history = historyOf(call.tx, { deploymentId: d.id, kind, resource: r });
  const attempt = [pi.pending, pi.current, ...history.reverse()].find((a) => a && (a.plan_attempt_id === call.params.attempt_id || a.plan_attempt_name === call.params.attempt_id));
  if (!attempt) throw errors.resourceNotFound({ kind, refId: r.ref_id, attemptId: call.params.attempt_id! });
  return { status: 200, body: attemptView(attempt, { showPlanLogs: true, clearTransient: false }) };
}

export function cancelPendingPlan(call: Call): Reply {
  const kind = call.params.resource_kind as ResourceKind;
  let refId = call.params.ref_id!;
  changeDeployment(call.tx, call.params.deployment_id!, (d, w) => {
    const r = findResource(d, kind, call.params.ref_id!);
    refId = r.ref_id;
    assertPresent(kind, r);
    if (!r.info.plan_info.pending) {
      if (call.query.ignore_missing === true) return;
      throw errors.noPendingPlan(kind, r.ref_id);
    }
    cancelPending(call.tx, w, d, kind, r, call.now, call.query.force_delete === true, historyLimit(call.env));
  });
  return { status: 200, body: { id: call.params.deployment_id, kind, ref_id: refId } };
}

/** Which instances an instances command names: all of them, or the comma-separated `instance_ids`. */
function targetInstances(call: Call, kind: ResourceKind, r: Entry): Entry[] {
  const instances: Entry[] = r.info.topology?.instances ?? [];
  const ids = call.params.instance_ids;
  if (ids === undefined) return instances;
  const wanted = new Set(ids.split(',').map((x) => x.trim()).filter(Boolean));
  const found = instances.filter((x) => wanted.has(x.instance_name));
  if (found.length < wanted.size && call.query.ignore_missing !== true) {
    const known = new Set(instances.map((x) => x.instance_name));
    throw errors.instancesMissing(kind, r.ref_id, [...wanted].filter((w) => !known.has(w)));
  }
  return found;
}

export type InstancesCommand = 'stop' | 'start' | 'maintenanceStart' | 'maintenanceStop';

/**
 * The instances commands (stop, start, maintenance mode on and off; all instances or those named):
 * applied at once to the instances of the topology (the answer is 202 as in ECE; the change is
 * what any later read shows). A resource with a plan in progress refuses them: the plan owns its
 * instances until it ends.
 */
export const instancesCommand = (command: InstancesCommand) => (call: Call): Reply => {
  const kind = call.params.resource_kind as ResourceKind;
  changeResource(
    call,
    () => kind,
    (d, k, r, w) => {
      if (r.info.plan_info.pending) throw errors.instanceUpdateProhibited(command, k, r.ref_id);
      const targets = targetInstances(call, k, r);
      const rp = resourcePath(d, k, r);
      const topo = r.info.topology;
      for (const x of targets) {
        const at = [...rp, 'info', 'topology', 'instances', topo.instances.indexOf(x)];
        if (command === 'stop' || command === 'start') {
          const up = command === 'start';
          w.set([...at, 'container_started'], up);
          w.set([...at, 'service_running'], up);
          w.set([...at, 'healthy'], up);
        } else {
          w.set([...at, 'maintenance_mode'], command === 'maintenanceStart');
        }
      }
      const healthy = topo.instances.every((x: Entry) => x.healthy !== false);
      w.set([...rp, 'info', 'topology', 'healthy'], healthy);
      w.set([...rp, 'info', 'healthy'], healthy && r.info.plan_info.healthy !== false && !['initializing', 'stopping', 'rebooting', 'restarting', 'reconfiguring'].includes(r.info.status));
      touch(w, d, call.now);
    },
  );
  return { status: 202, body: {} };
};
