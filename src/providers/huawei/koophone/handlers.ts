/**
 * KooPhone operations, pure over (params, state, clock): each returns the response body or throws
 * one of KooPhoneErrors; the router renders it.
 */
import type { Step } from '../../../core/lifecycle.js';
import { publicView, type Entry } from '../../../core/state.js';
import type { ReadView, Tx } from '../../../core/store.js';
import { COLLECTION, type ProjectEntry } from '../collections.js';
import { KooPhoneErrors } from '../errors.js';
import { withReason } from '../../../core/pipeline/protocol.js';
import type { Principal } from '../gateway/auth.js';
import { BUSY, EMPTY_DEFAULTS, FROZEN, LIST_FIELDS, RUNNING } from './instances.js';

export interface KooPhoneOptions {
  /** HTTP status of KOOPHONE.API.1001. */
  noPermissionStatus: number;
  /** HTTP status of the state codes 1004, 2004, 2005, 2006. */
  stateErrorStatus: number;
}

/** Every KooPhone call of a project that has not subscribed answers 1004 (a project not seeded is subscribed). */
export function requireSubscribed(view: ReadView, principal: Principal, options: KooPhoneOptions): void {
  const project = view.get(COLLECTION.projects, principal.projectId) as ProjectEntry | undefined;
  if (project !== undefined && project.subscribed === false) throw KooPhoneErrors.notSubscribed(options.stateErrorStatus);
}

/** running_status in words (the provider's status table). */
const STATUS_WORDS: Record<number, string> = { 0: 'unknown', 1: 'stopped', 2: 'running', 3: 'going offline', 4: 'starting', 5: 'shut down' };

/** The instances named, in order; any unknown or foreign one fails the whole call (1001). */
function ownedInstances(view: ReadView, ids: readonly string[], principal: Principal, options: KooPhoneOptions): Entry[] {
  return ids.map((id) => {
    const entry = view.get(COLLECTION.instances, id);
    if (!entry) throw withReason(KooPhoneErrors.insufficientPermissions(options.noPermissionStatus), `instance ${id} does not exist`);
    if (entry.project_id !== principal.projectId) throw withReason(KooPhoneErrors.insufficientPermissions(options.noPermissionStatus), `instance ${id} belongs to project ${entry.project_id}, not the caller's ${principal.projectId}`);
    return entry;
  });
}

export interface RebootPlan {
  /** running_status values after "running", from the rebootPath setting. */
  path: readonly number[];
  /** How long the whole path takes (ms); null = it never gets past the first value. */
  durationMs: number | null;
  now: number;
  schedule(tx: Tx, id: string, steps: Step[]): void;
  cancel(tx: Tx, id: string): void;
  /** A transition fault rule's verdict for one instance: it comes back abnormal, or never comes back. */
  faultOf?(id: string): 'fail' | 'stuck' | undefined;
}

/**
 * Where a reboot that fails (a transition fault) leaves an instance: 0, "unknown", the only abnormal
 * value of running_status (0..5 per the status table; an inferred choice, in the fidelity notes).
 */
export const FAILED_REBOOT_STATUS = 0;

/** POST /v1/instances/reboot: all or nothing, so every check runs before any instance changes. */
export function rebootInstances(tx: Tx, ids: readonly string[], principal: Principal, options: KooPhoneOptions, plan: RebootPlan): { error_code: '0'; error_msg: 'OK' } {
  requireSubscribed(tx, principal, options);
  const instances = ownedInstances(tx, ids, principal, options);
  // The error table's state codes before the generic "not all running": frozen, recovering, backing up.
  if (instances.some((i) => i.frozen_status === FROZEN)) throw KooPhoneErrors.frozen(options.stateErrorStatus);
  if (instances.some((i) => i.restore_status === BUSY)) throw KooPhoneErrors.recovering(options.stateErrorStatus);
  if (instances.some((i) => i.backup_status === BUSY)) throw KooPhoneErrors.backingUp(options.stateErrorStatus);
  const notRunning = instances.filter((i) => i.running_status !== RUNNING);
  if (notRunning.length > 0) {
    const which = notRunning.map((i) => `instance ${i.instance_id} is ${STATUS_WORDS[i.running_status] ?? 'in an unknown state'} (running_status ${i.running_status})`).join('; ');
    throw withReason(KooPhoneErrors.notAllRunning(), `${which}; a reboot needs running (${RUNNING}) for every instance, so none was rebooted`);
  }
  const [first, ...rest] = plan.path;
  for (const id of ids) {
    plan.cancel(tx, id);
    tx.update(COLLECTION.instances, id, (draft) => {
      draft.running_status = first;
    });
    const fault = plan.faultOf?.(id);
    const steps: Step[] = rest.map((value, i) => ({
      dueAt: plan.durationMs === null || fault === 'stuck' ? null : plan.now + Math.round((plan.durationMs * (i + 1)) / rest.length),
      set: { running_status: fault === 'fail' && i === rest.length - 1 ? FAILED_REBOOT_STATUS : value },
    }));
    if (steps.length > 0) plan.schedule(tx, id, steps);
  }
  return { error_code: '0', error_msg: 'OK' };
}

/** POST /v1/instances/batch-query-status */
export function queryStatus(view: ReadView, ids: readonly string[], principal: Principal, options: KooPhoneOptions) {
  requireSubscribed(view, principal, options);
  const instances = ownedInstances(view, ids, principal, options);
  return {
    data: { status_results: instances.map((i) => ({ instance_id: i.instance_id as string, status: i.running_status as number })) },
    error_code: '0',
    error_msg: 'ok',
  };
}

export interface ListQuery {
  page_no: number;
  page_size: number;
  instance_id?: string;
  instance_name?: string;
  query_start_time?: string;
  query_end_time?: string;
}

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function parseQueryTime(text: string): number {
  const m = TIME.exec(text);
  const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : NaN;
  if (!m || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 19).replace('T', ' ') !== text) throw KooPhoneErrors.timeFormatIncorrect();
  return ms;
}

/** An instance as ListInstances answers it: the documented fields in order, then any seeded extras. */
export function listView(entry: Entry): Record<string, unknown> {
  const view = publicView(entry) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of LIST_FIELDS) out[field] = view[field] === undefined ? EMPTY_DEFAULTS[field] : view[field];
  for (const [k, v] of Object.entries(view)) if (!Object.hasOwn(out, k)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

export type CodesPlacement = 'both' | 'data' | 'top';

function listable(entry: Entry | undefined, query: ListQuery, principal: Principal): entry is Entry {
  return (
    entry !== undefined &&
    entry.project_id === principal.projectId &&
    (query.instance_id === undefined || entry.instance_id === query.instance_id) &&
    (query.instance_name === undefined || String(entry.instance_name).includes(query.instance_name))
  );
}

/**
 * GET /v1/instances/batch-query: the caller's project's instances, a page at a time (page_no from 1),
 * in store order. An instance_id filter is a lookup by id; otherwise one pass counts the matches and
 * keeps only the page asked for.
 */
export function listInstances(view: ReadView, query: ListQuery, principal: Principal, placement: CodesPlacement, options: KooPhoneOptions) {
  requireSubscribed(view, principal, options);
  const start = query.query_start_time === undefined ? undefined : parseQueryTime(query.query_start_time);
  const end = query.query_end_time === undefined ? undefined : parseQueryTime(query.query_end_time);
  if (start !== undefined && end !== undefined && end < start) throw KooPhoneErrors.endBeforeStart();
  const candidates: readonly Entry[] = query.instance_id === undefined ? view.list(COLLECTION.instances) : [view.get(COLLECTION.instances, query.instance_id)].filter((e): e is Entry => e !== undefined);
  const from = (query.page_no - 1) * query.page_size;
  const to = from + query.page_size;
  const page: Entry[] = [];
  let total = 0;
  for (const entry of candidates) {
    if (!listable(entry, query, principal)) continue;
    if (total >= from && total < to) page.push(entry);
    total++;
  }
  const codes = { error_code: '0', error_msg: 'ok' };
  const data: Record<string, unknown> = { result: page.map(listView), page_no: query.page_no, page_size: query.page_size, total_count: total };
  if (placement !== 'top') Object.assign(data, codes);
  return placement === 'data' ? { data } : { data, ...codes };
}
