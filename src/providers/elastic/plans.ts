/**
 * The plan lifecycle of a resource, as timed steps on its deployment entry. A command (restart,
 * start, shutdown) puts a pending plan on the resource and schedules one tick per plan step (steps
 * due at the same instant share a tick; a zero-length plan settles at once); each tick logs
 * progress, and the last one makes the pending plan current (the old one goes to the history
 * collection, history.ts, bounded by elastic.planHistoryLimit) or, for a resource marked
 * `failNextPlan`, ends the attempt with `plan-completed` in error.
 *
 * Every write to the deployment goes through its writer (`w`, recording.ts), at a path from the
 * entry's root (a resource's is `resourcePath`): a restart then costs what it writes, not a copy and
 * a diff of the whole deployment. Objects made here (a new attempt, its log) are filled in directly
 * before or after they are set: the writer reads a set path's value when the change commits.
 */
import type { HookContext, Step } from '../../core/lifecycle.js';
import type { Durations } from '../../core/transitions.js';
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import type { ReadView, Tx } from '../../core/store.js';
import { type EntryWriter, type Path, directWriter } from '../../core/recording.js';
import { copyJson } from '../../core/copy.js';
import { appendHistory, newestFirst } from './history.js';
import { materializeDeployment } from './normalize.js';
import { type ResourceKind, OPEN_PLAN_END, instancesFor, iso, nextAttemptNumber, attemptName, resourcesOf } from './model.js';

/** Where a resource is in its deployment entry. */
export function resourcePath(deployment: Entry, kind: string, resource: Entry): Path {
  const i = resourcesOf(deployment, kind).indexOf(resource);
  if (i < 0) throw new Error(`resource ${resource.ref_id} is not in deployment ${deployment.id}`);
  return ['resources', kind, i];
}

/** Sets a key of the emulator's own data on the object at `at` (created if missing). */
export function setMeta(w: EntryWriter, at: Path, holder: Entry, key: string, value: unknown): void {
  if (!holder[EMULATOR_KEY]) w.set([...at, EMULATOR_KEY], {});
  w.set([...at, EMULATOR_KEY, key], value);
}

function deleteMeta(w: EntryWriter, at: Path, holder: Entry, key: string): void {
  if (holder[EMULATOR_KEY] && Object.hasOwn(holder[EMULATOR_KEY], key)) w.delete([...at, EMULATOR_KEY, key]);
}

export type PlanAction = 'restart' | 'snapshotRestart' | 'start' | 'shutdown';

interface ActionDef {
  transition: string;
  /** info.status while the plan runs, and once it succeeded. */
  during: string;
  after: string;
  steps: string[];
  sourceAction: string;
}

export const ACTIONS: Record<PlanAction, ActionDef> = {
  restart: { transition: 'elastic.restart', during: 'rebooting', after: 'started', steps: ['set-maintenance', 'wait-until-stopped', 'wait-until-running'], sourceAction: 'deployments.restart-stateless-resource' },
  // The Elasticsearch restart with skip_snapshot=false: a snapshot is taken first.
  snapshotRestart: { transition: 'elastic.restart', during: 'rebooting', after: 'started', steps: ['snapshot', 'set-maintenance', 'wait-until-stopped', 'wait-until-running'], sourceAction: 'deployments.restart-es-resource' },
  start: { transition: 'elastic.start', during: 'initializing', after: 'started', steps: ['allocate-instances', 'wait-until-running'], sourceAction: 'deployments.restart-stateless-resource' },
  shutdown: { transition: 'elastic.shutdown', during: 'stopping', after: 'stopped', steps: ['set-maintenance', 'wait-until-stopped'], sourceAction: 'deployments.shutdown-stateless-resource' },
};

export const HOOK_STEP = 'elastic.planStep';

interface StepArgs {
  kind: ResourceKind;
  refId: string;
  attemptId: string;
  action: PlanAction;
  /** The last plan step this tick completes (steps due at the same instant share one tick). */
  index: number;
  /** How many attempts the resource's history keeps (elastic.planHistoryLimit when the plan began; -1 or absent = all). */
  historyLimit?: number;
}

/** Retires a finished attempt into the resource's history (its own entry: history.ts). */
function pushHistory(tx: Tx, w: EntryWriter, rp: Path, deployment: Entry, kind: string, resource: Entry, attempt: Entry, limit: number | undefined): void {
  appendHistory(tx, { deploymentId: deployment.id, kind, resource, w, path: rp }, attempt, typeof limit === 'number' && limit >= 0 ? Math.max(1, limit) : -1);
}

export function hasCapacity(plan: Record<string, any> | undefined): boolean {
  const topo = Array.isArray(plan?.cluster_topology) ? plan!.cluster_topology : [];
  return topo.length === 0 || topo.some((el: any) => !el?.size || el.size.value > 0);
}

const usable = (a: Entry | undefined): boolean => !!a && a.healthy !== false && !!a.plan && hasCapacity(a.plan);

/** The plan a stopped resource starts with: the newest successful attempt that has instances. */
export function lastSuccessfulPlan(view: ReadView, deploymentId: string, kind: string, resource: Entry): Record<string, any> | undefined {
  const current = resource.info.plan_info.current;
  if (usable(current)) return current.plan;
  for (const a of newestFirst(view, { deploymentId, kind, resource })) if (usable(a)) return a.plan;
  return undefined;
}

function logStep(stepId: string, at: string, status: 'success' | 'error' | 'pending', done: boolean, message?: string): Record<string, any> {
  return {
    step_id: stepId,
    started: at,
    ...(done ? { completed: at, duration_in_millis: 0 } : {}),
    status,
    stage: done ? 'completed' : 'in_progress',
    info_log: [{ timestamp: at, stage: done ? 'completed' : 'starting', message: message ?? (done ? `Step [${stepId}] completed` : `Starting step [${stepId}]`), details: {} }],
  };
}

/** Completes a log step of an attempt this change holds as its own (a new one, or a copy): written directly. */
function completeStep(entry: Record<string, any>, at: string, ms: number, status: 'success' | 'error', message?: string): void {
  // Seeded log entries may lack fields: fill them rather than fail the whole plan.
  const started = Date.parse(entry.started);
  entry.started ??= at;
  entry.completed = at;
  entry.duration_in_millis = Number.isNaN(started) ? 0 : Math.max(0, ms - started);
  entry.status = status;
  entry.stage = 'completed';
  if (!Array.isArray(entry.info_log)) entry.info_log = [];
  entry.info_log.push({ timestamp: at, stage: 'completed', message: message ?? `Step [${entry.step_id}] completed`, details: {} });
}

/** Keeps an entry's steps in due order: the lifecycle only ever looks at the first one. */
function addSteps(w: EntryWriter, deployment: Entry, steps: Step[]): void {
  const all: Step[] = [...(deployment[EMULATOR_KEY]?.steps ?? []), ...steps];
  all.sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
  setMeta(w, [], deployment, 'steps', all);
}

function dropSteps(w: EntryWriter, deployment: Entry, kind: string, refId: string): void {
  const meta = deployment[EMULATOR_KEY];
  if (!meta?.steps) return;
  const kept = meta.steps.filter((s: Step) => !(s.hook === HOOK_STEP && (s.args as any)?.kind === kind && (s.args as any)?.refId === refId));
  if (kept.length === 0) w.delete([EMULATOR_KEY, 'steps']);
  else w.set([EMULATOR_KEY, 'steps'], kept);
}

export function touch(w: EntryWriter, deployment: Entry, at: number): void {
  setMeta(w, [], deployment, 'version', (deployment[EMULATOR_KEY]?.version ?? 0) + 1);
  w.set(['metadata', 'last_modified'], iso(at));
}

function settleTopology(w: EntryWriter, rp: Path, kind: ResourceKind, resource: Entry, status: string, plan: Record<string, any> | undefined): void {
  const info = resource.info;
  w.set([...rp, 'info', 'status'], status);
  w.set([...rp, 'info', 'topology', 'instances'], instancesFor(kind, plan, status === 'stopped' ? 'stopped' : 'running'));
  w.set([...rp, 'info', 'topology', 'healthy'], true);
  w.set([...rp, 'info', 'healthy'], info.plan_info.healthy !== false);
}

export interface BeginPlan {
  tx: Tx;
  /** The deployment's writer. */
  w: EntryWriter;
  deployment: Entry;
  kind: ResourceKind;
  resource: Entry;
  action: PlanAction;
  plan: Record<string, any>;
  now: number;
  durations: Durations;
  userId: string;
  remoteAddress?: string;
  newAttemptId: string;
  historyLimit: number | undefined;
  /** info.status while the plan runs, when a setting chooses it (elastic.restartStatus). */
  during?: string;
  /** The plan's `source.action` when the operation is not the action's usual one. */
  sourceAction?: string;
}

/** Puts a pending plan on the resource and schedules its steps on the deployment entry. */
export function beginPlan(b: BeginPlan): void {
  const def = ACTIONS[b.action];
  const at = iso(b.now);
  const { w } = b;
  const rp = resourcePath(b.deployment, b.kind, b.resource);
  const info = b.resource.info;
  setMeta(w, rp, b.resource, 'restoreStatus', info.status === 'stopped' ? 'stopped' : 'started');
  const number = nextAttemptNumber(b.resource);
  setMeta(w, rp, b.resource, 'nextAttempt', number + 1);
  w.set([...rp, 'info', 'plan_info', 'pending'], {
    plan_attempt_id: b.newAttemptId,
    plan_attempt_name: attemptName(number),
    healthy: true,
    attempt_start_time: at,
    plan: b.plan,
    plan_attempt_log: [logStep(def.steps[0]!, at, 'pending', false)],
    source: { facilitator: 'adminconsole', action: b.sourceAction ?? def.sourceAction, date: at, user_id: b.userId, ...(b.remoteAddress ? { remote_addresses: [b.remoteAddress] } : {}) },
    warnings: [],
  });
  w.set([...rp, 'info', 'status'], b.during ?? def.during);
  w.set([...rp, 'info', 'healthy'], false);
  const instances = b.action === 'start' ? instancesFor(b.kind, b.plan, 'booting') : info.topology.instances.map((x: Entry) => ({ ...x, healthy: false, service_running: false }));
  w.set([...rp, 'info', 'topology', 'instances'], instances);
  w.set([...rp, 'info', 'topology', 'healthy'], instances.length === 0 || instances.every((x: Entry) => x.healthy));
  touch(w, b.deployment, b.now);

  const end = b.durations.dueAt(def.transition, b.now);
  const n = def.steps.length;
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) {
    const dueAt = end === null ? null : b.now + Math.round(((end - b.now) * (i + 1)) / n);
    const args: StepArgs = { kind: b.kind, refId: b.resource.ref_id, attemptId: b.newAttemptId, action: b.action, index: i, historyLimit: b.historyLimit };
    // Plan steps falling due at the same instant (a zero-length transition) settle in one tick: one
    // change to the deployment instead of one per plan step.
    const prev = steps[steps.length - 1];
    if (prev && dueAt !== null && prev.dueAt === dueAt) prev.args = args as any;
    else steps.push({ dueAt, hook: HOOK_STEP, args: args as any });
  }
  // A zero-length transition is over before anyone can look: settle it in this same change.
  if (steps.length === 1 && steps[0]!.dueAt === b.now) return advancePlan(b.tx, w, b.deployment, steps[0]!.args as unknown as StepArgs, b.now);
  addSteps(w, b.deployment, steps);
}

/**
 * Ends the pending plan without applying it: gracefully (the attempt goes to history, failed) or
 * force-deleted (it disappears). The resource returns to the state it had before the plan.
 */
export function cancelPending(tx: Tx, w: EntryWriter, deployment: Entry, kind: ResourceKind, resource: Entry, now: number, force: boolean, historyLimit: number | undefined): void {
  const pi = resource.info.plan_info;
  if (!pi.pending) return;
  const rp = resourcePath(deployment, kind, resource);
  const at = iso(now);
  // The history gets a copy of the attempt as it ends: the entry's own is put back as it was if the change is undone.
  const pending = force ? undefined : copyJson(pi.pending);
  w.delete([...rp, 'info', 'plan_info', 'pending']);
  dropSteps(w, deployment, kind, resource.ref_id);
  if (pending) {
    for (const s of pending.plan_attempt_log) if (s.stage !== 'completed') completeStep(s, at, now, 'error', `Step [${s.step_id}] cancelled`);
    pending.plan_attempt_log.push(logStep('plan-completed', at, 'error', true, 'The plan was cancelled'));
    pending.healthy = false;
    pending.attempt_end_time = at;
    pending.plan_end_time = at;
    pending.error = { timestamp: at, message: 'The pending plan was cancelled by a user', details: {}, failure_type: 'ClusterFailure:PlanCancelled' };
    pushHistory(tx, w, rp, deployment, kind, resource, pending, historyLimit);
  }
  const meta = resource[EMULATOR_KEY] ?? {};
  // A seeded pending plan has no recorded status to return to: judge from what is running.
  const info = resource.info;
  const wasDown = info.status === 'stopped' || info.status === 'initializing' || (info.topology?.instances ?? []).length === 0 || !hasCapacity(pi.current?.plan);
  const restore = meta.restoreStatus ?? (wasDown ? 'stopped' : 'started');
  deleteMeta(w, rp, resource, 'restoreStatus');
  settleTopology(w, rp, kind, resource, restore, pi.current?.plan);
  touch(w, deployment, now);
}

/** A due tick of a running plan (the lifecycle hook). */
export function planStepHook(h: HookContext): void {
  // The lifecycle's update copied the entry to diff it: plain writes.
  advancePlan(h.tx, directWriter(h.entry), h.entry, h.step.args as unknown as StepArgs, h.at);
}

/**
 * One tick of a running plan at `atMs`: completes its plan steps up to `index`; the last one settles
 * the attempt. The pending attempt's log is written directly: it was set in this same change (a
 * zero-length plan) or the writer is a plain one (a lifecycle tick, on a copied entry).
 */
function advancePlan(tx: Tx, w: EntryWriter, deployment: Entry, args: StepArgs, atMs: number): void {
  materializeDeployment(deployment);
  const h = { entry: deployment, at: atMs };
  const resource = resourcesOf(h.entry, args.kind).find((r) => r.ref_id === args.refId);
  const pending = resource?.info?.plan_info?.pending;
  if (!resource || !pending || pending.plan_attempt_id !== args.attemptId) return; // cancelled or replaced
  const rp = resourcePath(deployment, args.kind, resource);
  const pip = [...rp, 'info', 'plan_info'];
  const def = ACTIONS[args.action];
  const at = iso(h.at);
  const meta = resource[EMULATOR_KEY] ?? {};
  const log = pending.plan_attempt_log as Record<string, any>[];
  const lastIndex = def.steps.length - 1;
  const fails = args.index === lastIndex && meta.failNextPlan === true;
  // The first step of this tick is the one after the last completed plan step.
  let first = 0;
  for (let i = 0; i < def.steps.length; i++) if (log.some((s) => s.step_id === def.steps[i] && s.stage === 'completed')) first = i + 1;
  for (let i = Math.min(first, args.index); i <= args.index; i++) {
    let open = log.find((s) => s.step_id === def.steps[i] && s.stage !== 'completed');
    if (!open && !log.some((s) => s.step_id === def.steps[i])) log.push((open = logStep(def.steps[i]!, at, 'pending', false)));
    const failsHere = fails && i === lastIndex;
    if (open) completeStep(open, at, h.at, failsHere ? 'error' : 'success', failsHere ? `Step [${open.step_id}] failed: instances did not become healthy in time` : undefined);
  }
  if (args.index < lastIndex) {
    log.push(logStep(def.steps[args.index + 1]!, at, 'pending', false));
    return;
  }

  const pi = resource.info.plan_info;
  w.delete([...pip, 'pending']);
  log.push(logStep('plan-completed', at, fails ? 'error' : 'success', true, fails ? 'Plan failed' : 'Plan completed successfully'));
  pending.attempt_end_time = at;
  pending.plan_end_time = OPEN_PLAN_END;
  // The attempt retired keeps its end in the history's copy; the entry's is put back as it was if the change is undone.
  if (pi.current) pushHistory(tx, w, rp, h.entry, args.kind, resource, { ...pi.current, plan_end_time: at }, args.historyLimit);
  w.set([...pip, 'current'], pending);
  w.set([...rp, 'info', 'metadata', 'version'], (resource.info.metadata.version ?? 0) + 1);
  w.set([...rp, 'info', 'metadata', 'last_modified'], at);
  w.set(['metadata', 'last_resource_plan_modified'], at);
  const restore = meta.restoreStatus ?? 'started';
  deleteMeta(w, rp, resource, 'restoreStatus');
  if (fails) {
    deleteMeta(w, rp, resource, 'failNextPlan');
    pending.healthy = false;
    pending.error = { timestamp: at, message: `Unexpected error during step: [${def.steps[lastIndex]}]`, details: {}, failure_type: 'InfrastructureFailure:Unknown' };
    w.set([...pip, 'healthy'], false);
    // The instances stay as they were before the attempt; the failure shows as unhealthy.
    const plan = lastSuccessfulPlan(tx, h.entry.id, args.kind, resource);
    settleTopology(w, rp, args.kind, resource, restore, plan);
  } else {
    w.set([...pip, 'healthy'], true);
    settleTopology(w, rp, args.kind, resource, def.after, pending.plan);
    if (args.action === 'snapshotRestart') recordSnapshot(w, rp, resource, at);
  }
  touch(w, h.entry, h.at);
}

/** A snapshot taken by a plan's `snapshot` step: the cluster's snapshot summary says so. */
function recordSnapshot(w: EntryWriter, rp: Path, resource: Entry, at: string): void {
  const sp = [...rp, 'info', 'snapshots'];
  if (!resource.info.snapshots) w.set(sp, { healthy: true, count: 0, recent_success: false });
  const snapshots = resource.info.snapshots;
  w.set([...sp, 'count'], (snapshots.count ?? 0) + 1);
  w.set([...sp, 'healthy'], true);
  w.set([...sp, 'recent_success'], true);
  w.set([...sp, 'latest_successful'], true);
  w.set([...sp, 'latest_status'], 'SUCCESS');
  w.set([...sp, 'latest_end_time'], at);
  w.set([...sp, 'latest_successful_end_time'], at);
}
