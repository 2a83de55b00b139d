/**
 * DescribeContainerGroups and DescribeContainerGroupStatus: the caller's groups in the region,
 * filtered and paged with Limit/NextToken. Array fields are always arrays (the SDK models throw
 * on anything else).
 */
import { publicView, type Entry } from '../../../core/state.js';
import type { RpcCall, RpcOperation } from '../operation.js';
import type { ReadView } from '../../../core/store.js';
import { page } from '../paging.js';
import { boolParam, intParam, jsonParam, objectListParam } from '../params.js';
import { visibleTo } from '../scope.js';
import { protocolErrors } from '../errors.js';
import { ECI_HOST, eciErrors } from './errors.js';
import { iso, modelDefaults } from './shapes.js';
import { CONTAINER_GROUPS } from './resources.js';
import { byText, inOrder } from '../order.js';
import { copyJson } from '../../../core/copy.js';

/** Limit's default; its bounds are in the request schemas. */
const GROUPS_PAGE = 20;
/** DescribeContainerGroupStatus's default Limit: the SDK model documents 200. */
const STATUS_PAGE = 200;
const MAX_IDS = 20;
/** Tag.N filters: "up to 20" (the ECI reference); more → NumberExceed.Tags, as the tag calls answer. */
const MAX_TAG_FILTERS = 20;

function groupIds(call: RpcCall): string[] | undefined {
  const ids = jsonParam(call.params, 'ContainerGroupIds', protocolErrors.invalidParameter);
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw protocolErrors.invalidParameter('ContainerGroupIds', 'It must be a JSON array of container group ids.');
  if (ids.length > MAX_IDS) throw protocolErrors.invalidParameter('ContainerGroupIds', `At most ${MAX_IDS} ids can be given.`);
  return ids;
}

/** The ids a Describe call names, for fault rules and the journal (before validation: never throws). */
function namedIds(call: RpcCall): string[] {
  try {
    const ids: unknown = JSON.parse(call.params.ContainerGroupIds ?? '[]');
    return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Creation order, the id breaking ties: the order both Describe calls list groups in. */
const byCreation = (a: Entry, b: Entry) => byText(a.CreationTime, b.CreationTime) || byText(a.ContainerGroupId, b.ContainerGroupId);

/**
 * The groups a call selects, in creation order, before paging. Named ids are looked up one by one
 * (a call names at most 20); only a call without ids walks the collection, which the store keeps
 * in seed order, so it is sorted only when a seed broke creation order.
 */
function selected(call: RpcCall, view: ReadView): readonly Entry[] {
  const ids = groupIds(call);
  const tags = objectListParam(call.params, 'Tag', protocolErrors.invalidParameter);
  if (tags.length > MAX_TAG_FILTERS) throw eciErrors.numberExceedTags();
  const p = call.params;
  const fields = (['ContainerGroupName', 'Status', 'ZoneId', 'VSwitchId', 'SecurityGroupId', 'ResourceGroupId', 'ComputeCategory'] as const).filter((f) => p[f] !== undefined && p[f] !== '');
  const keep = (e: Entry) =>
    visibleTo(e, call) &&
    fields.every((f) => e[f] === p[f]) &&
    tags.every((t) => (e.Tags ?? []).some((x: Entry) => x.Key === t.Key && (t.Value === undefined || x.Value === t.Value)));
  if (ids) {
    const found: Entry[] = [];
    for (const id of new Set(ids)) {
      const e = view.get(CONTAINER_GROUPS, id);
      if (e && keep(e)) found.push(e);
    }
    return found.sort(byCreation);
  }
  return inOrder(view.list(CONTAINER_GROUPS).filter(keep), byCreation);
}

/** A group as DescribeContainerGroups answers it: a copy with every field of the SDK model. */
export function containerGroupView(e: Entry, now: number): Entry {
  const g = copyJson(publicView(e)) as Entry;
  modelDefaults(g, iso(now));
  return g;
}

/** Without the RAM permission, the documented answer is an empty list, not an error. */
const emptyList = () => ({ TotalCount: 0, NextToken: '', ContainerGroups: [] });

export const describeContainerGroups: RpcOperation = {
  product: 'eci',
  version: '2018-08-08',
  action: 'DescribeContainerGroups',
  hostId: ECI_HOST,
  denied: emptyList,
  resourceIds: namedIds,
  handle(call, tx) {
    const limit = intParam(call.params, 'Limit', GROUPS_PAGE)!;
    const withEvent = boolParam(call.params, 'WithEvent', true, protocolErrors.invalidParameter);
    const all = selected(call, tx);
    const result = page(all, call.params.NextToken, limit, protocolErrors.invalidParameter);
    const groups = result.items.map((e) => {
      const g = containerGroupView(e, call.now);
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
    if (s.State === 'Terminated') {
      return { Terminated: { ContainerID: '', ExitCode: s.ExitCode ?? 0, FinishedAt: s.FinishTime ?? '', Message: s.Message ?? '', Reason: s.Reason ?? '', Signal: s.Signal ?? 0, StartedAt: s.StartTime ?? '' } };
    }
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

export const describeContainerGroupStatus: RpcOperation = {
  product: 'eci',
  version: '2018-08-08',
  action: 'DescribeContainerGroupStatus',
  hostId: ECI_HOST,
  denied: () => ({ TotalCount: 0, NextToken: '', Data: [] }),
  resourceIds: namedIds,
  handle(call, tx) {
    const limit = intParam(call.params, 'Limit', STATUS_PAGE)!;
    const since = intParam(call.params, 'SinceSecond');
    let all: readonly Entry[] = selected(call, tx);
    if (since !== undefined) {
      const from = call.now - since * 1000;
      all = all.filter((e) => (e.Events ?? []).some((ev: Entry) => Date.parse(ev.LastTimestamp) >= from) || Date.parse(e.CreationTime) >= from);
    }
    const result = page(all, call.params.NextToken, limit, protocolErrors.invalidParameter);
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
