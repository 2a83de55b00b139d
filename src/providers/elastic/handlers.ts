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
import { DEPLOYMENTS, type ResourceKind, isStatelessKind, resourceMeta, resourcesOf } from './model.js';
import { expandDeployment, materializeDeployment } from './normalize.js';
import { beginPlan, cancelPending, lastSuccessfulPlan } from './plans.js';
import { type ViewOptions, attemptView, deploymentView, listingView, resourceView } from './view.js';

/** One call as a handler sees it: inside the pipeline's transaction, after every check has passed. */
export interface Call {
  params: Record<string, string>;
  query: Record<string, boolean | number>;
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
 * elastic.planHistoryLimit; undefined (no limit) for a negative value (it travels in step args, so
 * it must be JSON). At least 1: a stopped resource starts from the plan before its shutdown, which
 * is the newest history entry.
 */
function historyLimit(env: OperationEnv<unknown>): number | undefined {
  const n = env.settings.get(ELASTIC.planHistoryLimit);
  return n < 0 ? undefined : Math.max(1, n);
}

function viewOptions(q: Call['query']): ViewOptions {
  return {
    showPlans: q.show_plans !== false,
    showPlanLogs: q.show_plan_logs === true,
    showPlanHistory: q.show_plan_history === true,
    showSettings: q.show_settings === true,
    clearTransient: q.clear_transient === true,
  };
}

/** Runs `change` on a staged copy of the deployment: a throw inside leaves the store untouched. */
function changeDeployment(tx: Tx, id: string, change: (draft: Entry) => void): Entry {
  if (!tx.get(DEPLOYMENTS, id)) throw errors.deploymentNotFound(id);
  return tx.update(DEPLOYMENTS, id, (draft) => {
    materializeDeployment(draft);
    change(draft);
  });
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
    body: deploymentView(d, viewOptions(call.query)),
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
  return { status: 200, body: resourceView(r, viewOptions(call.query)) };
};

function statelessKind(call: Call): ResourceKind {
  const kind = call.params.stateless_resource_kind!;
  if (!isStatelessKind(kind)) {
    if (call.env.settings.get(ELASTIC.unknownKindError) === 'route_not_found') throw errors.routeNotFound();
    throw errors.resourceNotFound({ kind, refId: call.params.ref_id!, notStateless: true });
  }
  return kind as ResourceKind;
}

/** Runs `change` on the stateless resource a command names, inside one transaction. */
function changeStatelessResource(call: Call, change: (d: Entry, kind: ResourceKind, r: Entry) => void): void {
  changeDeployment(call.tx, call.params.deployment_id!, (d) => {
    const kind = statelessKind(call);
    const r = findResource(d, kind, call.params.ref_id!);
    assertPresent(kind, r);
    change(d, kind, r);
  });
}

/** A transition that never completes (a `stuck` transition fault): every due time is never. */
const NEVER = { get: () => null, dueAt: () => null } as unknown as Durations;

/**
 * What every plan a command begins shares. A transition fault rule naming the deployment or the
 * resource makes the attempt end in error (`fail`, as `failNextPlan` does) or never end (`stuck`).
 */
function planContext(call: Call, d: Entry, kind: ResourceKind, r: Entry) {
  const { env, now } = call;
  const fault = env.transitionFault([d.id, r.ref_id]);
  if (fault === 'fail') resourceMeta(r).failNextPlan = true;
  return { deployment: d, kind, resource: r, now, durations: fault === 'stuck' ? NEVER : env.durations, userId: call.principal!.userId, remoteAddress: call.remoteAddress, newAttemptId: randomUUID(), historyLimit: historyLimit(env) };
}

export function restart(call: Call): Reply {
  const { env, now } = call;
  changeStatelessResource(call, (d, kind, r) => {
    if (r.info.plan_info.pending) {
      if (call.query.cancel_pending !== true) throw errors.planChangeError(kind, r.ref_id, 'pending');
      cancelPending(d, kind, r, now, false, historyLimit(env));
    }
    const common = planContext(call, d, kind, r);
    if (r.info.status === 'stopped') {
      const plan = lastSuccessfulPlan(r);
      if (!plan) throw errors.planChangeError(kind, r.ref_id, 'no_successful_plan');
      const fresh = structuredClone(plan);
      delete fresh.transient;
      beginPlan({ ...common, action: 'start', plan: fresh });
    } else {
      const plan = structuredClone(r.info.plan_info.current.plan);
      plan.transient = { ...(plan.transient ?? {}), plan_configuration: { ...(plan.transient?.plan_configuration ?? {}), cluster_reboot: 'forced' } };
      beginPlan({ ...common, action: 'restart', plan, during: env.settings.get(ELASTIC.restartStatus) });
    }
  });
  return { status: 202, body: {} };
}

export function shutdown(call: Call): Reply {
  changeStatelessResource(call, (d, kind, r) => {
    if (r.info.plan_info.pending) throw errors.planChangeError(kind, r.ref_id, 'pending');
    if (r.info.status === 'stopped') return;
    const plan = structuredClone(r.info.plan_info.current.plan);
    delete plan.transient;
    for (const el of plan.cluster_topology ?? []) if (el?.size) el.size.value = 0;
    beginPlan({ ...planContext(call, d, kind, r), action: 'shutdown', plan });
  });
  return { status: 200, body: {} };
}

export function planActivity(call: Call): Reply {
  const kind = call.params.resource_kind as ResourceKind;
  const d = findDeployment(call.tx, call.params.deployment_id!);
  const r = findResource(d, kind, call.params.ref_id!);
  const pi = r.info.plan_info;
  const attempt = [pi.pending, pi.current, ...[...(pi.history ?? [])].reverse()].find((a) => a && (a.plan_attempt_id === call.params.attempt_id || a.plan_attempt_name === call.params.attempt_id));
  if (!attempt) throw errors.resourceNotFound({ kind, refId: r.ref_id, attemptId: call.params.attempt_id! });
  return { status: 200, body: attemptView(attempt, { showPlanLogs: true, clearTransient: false }) };
}

export function cancelPendingPlan(call: Call): Reply {
  const kind = call.params.resource_kind as ResourceKind;
  let refId = call.params.ref_id!;
  changeDeployment(call.tx, call.params.deployment_id!, (d) => {
    const r = findResource(d, kind, call.params.ref_id!);
    refId = r.ref_id;
    assertPresent(kind, r);
    if (!r.info.plan_info.pending) {
      if (call.query.ignore_missing === true) return;
      throw errors.noPendingPlan(kind, r.ref_id);
    }
    cancelPending(d, kind, r, call.now, call.query.force_delete === true, historyLimit(call.env));
  });
  return { status: 200, body: { id: call.params.deployment_id, kind, ref_id: refId } };
}
