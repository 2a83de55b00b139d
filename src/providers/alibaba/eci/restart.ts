/**
 * RestartContainerGroup: only Pending or Running groups created after 2019-03-07T15:00:00+08:00
 * restart. Accepted → `Restarting` now, `Running` after the `alibaba.eci.restart` duration, when
 * every container's RestartCount goes up and an event is recorded.
 */
import type { HookContext } from '../../../core/lifecycle.js';
import type { Entry } from '../../../core/state.js';
import type { RpcOperation } from '../operation.js';
import { ECI_HOST, eciErrors } from './errors.js';
import { CONTAINER_GROUPS, findVisible } from './resources.js';
import { addEvent, iso } from './shapes.js';

export const RESTART_TRANSITION = 'alibaba.eci.restart';
export const RESTARTED_HOOK = 'alibaba.eci.restarted';
const RESTARTABLE = new Set(['Pending', 'Running']);
/** 2019-03-07T15:00:00+08:00: the doc's cut-off for restartable groups. */
const RESTART_CUTOFF = Date.parse('2019-03-07T07:00:00Z');

export const restartContainerGroup: RpcOperation = {
  product: 'eci',
  version: '2018-08-08',
  action: 'RestartContainerGroup',
  hostId: ECI_HOST,
  changesState: true,
  /** The RAM denial the RestartContainerGroup page documents (403 Forbidden.RAM with AccessDeniedDetail). */
  denied: (permission, call) => eciErrors.forbiddenRam(permission, call.accountId, call.accessKeyId),
  resourceIds: (call) => (call.params.ContainerGroupId ? [call.params.ContainerGroupId] : []),
  handle(call, tx, env) {
    const id = call.params.ContainerGroupId!;
    {
      const group = findVisible(env, tx, call, 'ContainerGroup', id);
      if (!RESTARTABLE.has(group.Status)) throw eciErrors.incorrectStatus(`The container group ${id} is ${group.Status}; only Pending or Running container groups can be restarted.`);
      const created = Date.parse(group.CreationTime);
      if (!Number.isNaN(created) && created < RESTART_CUTOFF) {
        throw eciErrors.incorrectStatus(`The container group ${id} was created before 2019-03-07T15:00:00+08:00 and cannot be restarted.`);
      }
      const at = iso(call.now);
      tx.update(CONTAINER_GROUPS, id, (draft) => {
        draft.Status = 'Restarting';
        for (const c of draft.Containers ?? []) {
          c.Ready = false;
          c.PreviousState = { ...c.CurrentState, State: 'Terminated', FinishTime: at, ExitCode: 0, Reason: 'Completed' };
          c.CurrentState = { State: 'Waiting', Reason: 'Restarting', StartTime: at };
        }
        addEvent(draft, at, 'Normal', 'Restarting', `Restarting container group ${id}`);
      });
      // A transition fault rule: the restart ends Failed, or never ends.
      const fault = env.transitionFault(id);
      const dueAt = fault === 'stuck' ? null : env.durations.dueAt(RESTART_TRANSITION, call.now);
      env.lifecycle.schedule(tx, CONTAINER_GROUPS, id, [{ dueAt, hook: RESTARTED_HOOK, ...(fault === 'fail' ? { args: { fail: true } } : {}) }]);
    }
    return {};
  },
};

/** The restart finishes: containers run again, each restarted once more (or, by a transition fault, the group fails). */
export function restarted({ entry, at, step }: HookContext): void {
  const when = iso(at);
  const group = entry as Entry;
  if (group.Status !== 'Restarting') return;
  if ((step.args as { fail?: boolean } | undefined)?.fail) {
    group.Status = 'Failed';
    for (const c of group.Containers ?? []) {
      c.Ready = false;
      c.RestartCount = (Number(c.RestartCount) || 0) + 1;
      c.CurrentState = { State: 'Terminated', Reason: 'Error', ExitCode: 1, StartTime: when, FinishTime: when, DetailStatus: 'container exited with code 1' };
    }
    addEvent(group, when, 'Warning', 'Failed', `Failed to restart container group ${group.ContainerGroupId}: a container exited with code 1`);
    return;
  }
  group.Status = 'Running';
  for (const c of group.Containers ?? []) {
    c.Ready = true;
    c.RestartCount = (Number(c.RestartCount) || 0) + 1;
    c.CurrentState = { State: 'Running', StartTime: when };
  }
  addEvent(group, when, 'Normal', 'Started', `Started container group ${group.ContainerGroupId}`);
}
