/**
 * DescribeContainerGroups and DescribeContainerGroupStatus: the caller's groups in the region,
 * filtered and paged with Limit/NextToken. Array fields are always arrays (the SDK models throw
 * on anything else).
 */
import { publicView, type Entry } from '../../../core/state.js';
import type { RpcCall } from '../operation.js';
import { page } from '../paging.js';
import { boolParam, intParam, jsonParam, objectListParam } from '../params.js';
import type { RpcOperationWithDenial } from '../router.js';
import { visibleTo } from '../scope.js';
import { ECI_HOST, eciErrors } from './errors.js';
import { CONTAINER_GROUPS } from './resources.js';
import type { EngineContext } from '../../../core/context.js';

const MAX_LIMIT = 20;
const MAX_IDS = 20;

function groupIds(call: RpcCall): string[] | undefined {
  const ids = jsonParam(call.params, 'ContainerGroupIds', eciErrors.invalidParameter);
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw eciErrors.invalidParameter('ContainerGroupIds', 'It must be a JSON array of container group ids.');
  if (ids.length > MAX_IDS) throw eciErrors.invalidParameter('ContainerGroupIds', `At most ${MAX_IDS} ids can be given.`);
  return ids;
}

/** The groups a call selects, in creation order, before paging. */
function selected(call: RpcCall, ctx: EngineContext): Entry[] {
  const ids = groupIds(call);
  const tags = objectListParam(call.params, 'Tag', eciErrors.invalidParameter);
  const p = call.params;
  const same = (field: string, value: string | undefined) => (e: Entry) => value === undefined || value === '' || e[field] === value;
  const filters = [same('ContainerGroupName', p.ContainerGroupName), same('Status', p.Status), same('ZoneId', p.ZoneId), same('VSwitchId', p.VSwitchId), same('SecurityGroupId', p.SecurityGroupId), same('ResourceGroupId', p.ResourceGroupId)];
  return ctx.store
    .list(CONTAINER_GROUPS)
    .filter((e) => visibleTo(e, call))
    .filter((e) => !ids || ids.includes(e.ContainerGroupId))
    .filter((e) => filters.every((f) => f(e)))
    .filter((e) => tags.every((t) => (e.Tags ?? []).some((x: Entry) => x.Key === t.Key && (t.Value === undefined || x.Value === t.Value))))
    .sort((a, b) => String(a.CreationTime).localeCompare(String(b.CreationTime)) || String(a.ContainerGroupId).localeCompare(String(b.ContainerGroupId)));
}

/** Without the RAM permission, the documented answer is an empty list, not an error. */
const emptyList = () => ({ TotalCount: 0, NextToken: '', ContainerGroups: [] });

export const describeContainerGroups: RpcOperationWithDenial = {
  product: 'eci',
  version: '2018-08-08',
  action: 'DescribeContainerGroups',
  hostId: ECI_HOST,
  denied: emptyList,
  async handle(call, ctx) {
    const limit = intParam(call.params, 'Limit', { min: 1, max: MAX_LIMIT, fallback: MAX_LIMIT }, eciErrors.invalidParameter)!;
    const withEvent = boolParam(call.params, 'WithEvent', true, eciErrors.invalidParameter);
    const all = selected(call, ctx);
    const result = page(all, call.params.NextToken, limit, eciErrors.invalidParameter);
    const groups = result.items.map((e) => {
      const g = structuredClone(publicView(e)) as Entry;
      if (!withEvent) g.Events = [];
      return g;
    });
    return { TotalCount: all.length, NextToken: result.nextToken, ContainerGroups: groups };
  },
};

function phase(status: string): string {
  if (status === 'Restarting' || status === 'Updating' || status === 'Terminating') return 'Running';
  if (status === 'Scheduling' || status === 'ScheduleFailed') return 'Pending';
  if (status === 'Expired') return 'Failed';
  return status;
}

function containerStatus(c: Entry): Entry {
  const state = (s: Entry | undefined): Entry => {
    if (!s || !s.State) return {};
    if (s.State === 'Running') return { Running: { StartedAtstartedAt: s.StartTime ?? '' } };
    if (s.State === 'Terminated') return { Terminated: { ExitCode: s.ExitCode ?? 0, FinishedAt: s.FinishTime ?? '', Reason: s.Reason ?? '', StartedAt: s.StartTime ?? '', Message: s.Message ?? '' } };
    return { Waiting: { Reason: s.Reason ?? '', Message: s.Message ?? '' } };
  };
  return {
    Name: c.Name,
    Image: c.Image,
    ImageID: c.ImageID ?? '',
    Ready: !!c.Ready,
    Started: c.CurrentState?.State === 'Running',
    RestartCount: c.RestartCount ?? 0,
    State: state(c.CurrentState),
    LastState: state(c.PreviousState),
  };
}

export const describeContainerGroupStatus: RpcOperationWithDenial = {
  product: 'eci',
  version: '2018-08-08',
  action: 'DescribeContainerGroupStatus',
  hostId: ECI_HOST,
  denied: () => ({ TotalCount: 0, NextToken: '', Data: [] }),
  async handle(call, ctx) {
    const limit = intParam(call.params, 'Limit', { min: 1, max: 500, fallback: 20 }, eciErrors.invalidParameter)!;
    const since = intParam(call.params, 'SinceSecond', { min: 0 }, eciErrors.invalidParameter);
    let all = selected(call, ctx);
    if (since !== undefined) {
      const from = call.now - since * 1000;
      all = all.filter((e) => (e.Events ?? []).some((ev: Entry) => Date.parse(ev.LastTimestamp) >= from) || Date.parse(e.CreationTime) >= from);
    }
    const result = page(all, call.params.NextToken, limit, eciErrors.invalidParameter);
    const data = result.items.map((e) => ({
      ContainerGroupId: e.ContainerGroupId,
      Name: e.ContainerGroupName,
      Namespace: 'default',
      uuid: e.ContainerGroupId,
      Status: e.Status,
      Annotations: '{}',
      PodStatus: {
        Phase: phase(e.Status),
        HostIp: '',
        PodIp: e.IntranetIp ?? '',
        PodIps: e.IntranetIp ? [{ Ip: e.IntranetIp }] : [],
        QosClass: 'Guaranteed',
        StartTime: e.CreationTime,
        Conditions: [{ type: 'Ready', status: e.Status === 'Running' ? 'True' : 'False', lastTransitionTime: e.Events?.at(-1)?.LastTimestamp ?? e.CreationTime, Reason: '', Message: '' }],
        ContainerStatuses: (e.Containers ?? []).map(containerStatus),
      },
    }));
    return { TotalCount: all.length, NextToken: result.nextToken, Data: data };
  },
};
