/**
 * BatchEventRebootInstance and the reboot it starts, as timed steps on the event entry (so a
 * planned reboot survives an emulator restart):
 *
 *   immediate:  event Executing, instance Starting  --reboot duration-->  event Executed, instance Running
 *   scheduled:  event Scheduled (NotBefore = plan)  --at the plan time-->  as immediate
 *
 * Each item is judged alone (see results.ts); a repeated request is harmless because an event that
 * is Executing or Executed is reported, not rebooted again, and a Scheduled one is re-planned.
 */
import type { Hook, Lifecycle } from '../../../core/lifecycle.js';
import type { Tx } from '../../../core/store.js';
import type { TransitionFault } from '../../../core/faults.js';
import type { Duration } from '../../../core/transitions.js';
import type { RpcCall, RpcEnv } from '../operation.js';
import { ownerOf } from '../scope.js';
import { findOwned } from './access.js';
import {
  EVENTS,
  HOOK_REBOOT_FINISH,
  HOOK_REBOOT_START,
  INSTANCES,
  isoSeconds,
  REBOOT_EVENT_TYPE,
  REBOOT_TRANSITION,
  REBOOTABLE_EVENT_STATUSES,
  REBOOTING_STATUS,
  RUNNING,
  STOPPED,
} from './constants.js';
import { parseEventInfos, type EventInfo } from './eventInfos.js';
import { itemResult, outcomes, type ItemResult, type Outcome } from './results.js';

export function batchEventRebootInstance(call: RpcCall, tx: Tx, env: RpcEnv): Record<string, unknown> {
  const infos = parseEventInfos(call.params.EventInfos, call.now);
  const rebootMs = env.durations.get(REBOOT_TRANSITION);
  const results: ItemResult[] = infos.map((info) =>
    itemResult(rebootOne(tx, env.lifecycle, info, call, rebootMs, () => env.transitionFault([info.ResourceId, info.EventId])), info.EventId, info.ResourceId),
  );
  return { Results: results };
}

/** What a transition fault rule makes of one reboot (asked only for a reboot that is accepted). */
type FaultOf = () => TransitionFault | undefined;

function rebootOne(tx: Tx, lifecycle: Lifecycle, info: EventInfo, call: RpcCall, rebootMs: Duration, faultOf: FaultOf): Outcome {
  const event = findOwned(tx, EVENTS, info.EventId, call.accountId);
  if (!event) return outcomes.eventNotFound(info.EventId);
  if (event.ResourceId !== info.ResourceId) return outcomes.resourceMismatch(info.EventId, info.ResourceId);
  if (event.EventType !== REBOOT_EVENT_TYPE) return outcomes.unsupportedEventType(event.EventType);
  if (!REBOOTABLE_EVENT_STATUSES.includes(event.EventStatus)) return outcomes.incorrectEventStatus(info.EventId, event.EventStatus);
  const instance = findOwned(tx, INSTANCES, info.ResourceId, call.accountId);
  if (!instance) return outcomes.instanceNotFound(info.ResourceId);

  if (info.OpsType === 'immediate') {
    if (instance.Status !== RUNNING) return outcomes.incorrectInstanceStatus(info.ResourceId, instance.Status);
    lifecycle.cancel(tx, EVENTS, info.EventId);
    beginReboot(tx, lifecycle, info.EventId, info.ResourceId, call.now, rebootMs, faultOf());
    return outcomes.success();
  }

  // A new plan replaces an earlier one; the instance is checked when the plan falls due.
  const planAt = info.planAt!;
  lifecycle.cancel(tx, EVENTS, info.EventId);
  tx.update(EVENTS, info.EventId, (draft) => {
    draft.EventStatus = 'Scheduled';
    draft.NotBefore = planAt;
    draft.NotBeforeUtcTime = isoSeconds(planAt);
  });
  const fault = faultOf();
  lifecycle.schedule(tx, EVENTS, info.EventId, [{ dueAt: planAt, hook: HOOK_REBOOT_START, args: { rebootMs, ...(fault ? { fault } : {}) } }]);
  return outcomes.success();
}

function beginReboot(tx: Tx, lifecycle: Lifecycle, eventId: string, instanceId: string, at: number, rebootMs: Duration, fault: TransitionFault | undefined): void {
  tx.update(EVENTS, eventId, (draft) => {
    draft.EventStatus = 'Executing';
  });
  tx.update(INSTANCES, instanceId, (draft) => {
    draft.Status = REBOOTING_STATUS;
  });
  // A transition fault rule: the reboot ends Failed, or never ends.
  const dueAt = rebootMs === null || fault === 'stuck' ? null : at + rebootMs;
  lifecycle.schedule(tx, EVENTS, eventId, [{ dueAt, hook: HOOK_REBOOT_FINISH, ...(fault === 'fail' ? { args: { fail: true } } : {}) }]);
}

/** The plan time: reboot now if the instance can be, else the event fails (an emulator choice). */
const rebootStart: Hook = ({ tx, entry, step, at, lifecycle }) => {
  if (entry.EventStatus !== 'Scheduled') return;
  const args = step.args as { rebootMs?: Duration; fault?: TransitionFault } | null;
  const rebootMs = (args?.rebootMs ?? null) as Duration;
  const instance = findOwned(tx, INSTANCES, entry.ResourceId, ownerOf(entry) ?? '');
  if (!instance || instance.Status !== RUNNING) {
    entry.EventStatus = 'Failed';
    return;
  }
  beginReboot(tx, lifecycle, entry.EventId, entry.ResourceId, at, rebootMs, args?.fault);
};

/** The reboot ends: Executed and the instance Running, or (a transition fault) Failed and the instance Stopped. */
const rebootFinish: Hook = ({ tx, entry, step }) => {
  const failed = (step.args as { fail?: boolean } | null | undefined)?.fail === true;
  entry.EventStatus = failed ? 'Failed' : 'Executed';
  const instance = findOwned(tx, INSTANCES, entry.ResourceId, ownerOf(entry) ?? '');
  if (instance && instance.Status === REBOOTING_STATUS) {
    tx.update(INSTANCES, entry.ResourceId, (draft) => {
      draft.Status = failed ? STOPPED : RUNNING;
    });
  }
};

export const rebootHooks: Record<string, Hook> = {
  [HOOK_REBOOT_START]: rebootStart,
  [HOOK_REBOOT_FINISH]: rebootFinish,
};
