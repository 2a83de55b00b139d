/**
 * DescribeInstances: the account's ENS instances, wrapped the way the API (and the SDK model)
 * has them: `Instances.Instance[]`, each with `Tags.Tags[]`, plus `Code: 0`. Every filter the SDK
 * model sends narrows the list (a value that matches nothing answers an empty page).
 */
import type { ReadView } from '../../../core/store.js';
import { EMULATOR_KEY, publicView, type Entry } from '../../../core/state.js';
import type { RpcCall } from '../operation.js';
import { byText, inOrder } from '../order.js';
import { ownedBy } from './access.js';
import { INSTANCES, MAX_INSTANCE_IDS } from './constants.js';
import { ensErrors } from './errors.js';
import { instanceModelDefaults } from './instance-model.js';
import { readPage, slicePage } from './paging.js';
import { copyJson } from '../../../core/copy.js';

/** The instance with every field of the SDK model (a copy: the entry is not touched). */
function modelOf(entry: Entry): Entry {
  const view = copyJson(publicView(entry)) as Entry;
  instanceModelDefaults(view);
  return view;
}

export function instanceView(entry: Entry): Record<string, unknown> {
  const view: Record<string, unknown> = modelOf(entry);
  view.Tags = { Tags: (entry.Tags?.Tags ?? []).map((t: any) => ({ TagKey: t.TagKey, TagValue: t.TagValue })) };
  return view;
}

/** A param that carries JSON by API design; anything else is InvalidParameter.<name>. */
function jsonOf(params: Record<string, string>, name: string): unknown {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw ensErrors.invalidParameter(name);
  }
}

/** A JSON array of at most 100 strings (`InstanceIds='["i-1"]'`, `EnsRegionIds`, `ServiceStatus`, `EipAddresses`). */
function stringList(params: Record<string, string>, name: string): string[] | undefined {
  const parsed = jsonOf(params, name);
  if (parsed === undefined) return undefined;
  if (!Array.isArray(parsed) || parsed.length > MAX_INSTANCE_IDS || !parsed.every((v) => typeof v === 'string')) throw ensErrors.invalidParameter(name);
  return parsed;
}

/** `Tags='[{"Key":"k","Value":"v"}]'` (style=json): at most 100 pairs, a Value optional. */
function tagFilters(params: Record<string, string>): Array<{ Key: string; Value?: string }> | undefined {
  const parsed = jsonOf(params, 'Tags');
  if (parsed === undefined) return undefined;
  const ok = (t: any) => t && typeof t === 'object' && typeof t.Key === 'string' && (t.Value === undefined || typeof t.Value === 'string');
  if (!Array.isArray(parsed) || parsed.length > MAX_INSTANCE_IDS || !parsed.every(ok)) throw ensErrors.invalidParameter('Tags');
  return parsed;
}

const SORT_KEYS = { InstanceNameSort: 'InstanceName', ExpireTimeSort: 'ExpiredTime', CreationTimeSort: 'CreationTime', InstanceIdSort: 'InstanceId', EnsRegionIdSort: 'EnsRegionId' } as const;

/** `OrderByParams='{"InstanceNameSort":"asc","CreationTimeSort":"desc"}'`: the keys in the order given. */
function orderOf(params: Record<string, string>): ((a: Entry, b: Entry) => number) | undefined {
  const parsed = jsonOf(params, 'OrderByParams');
  if (parsed === undefined) return undefined;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw ensErrors.invalidParameter('OrderByParams');
  const keys: Array<[string, number]> = [];
  for (const [k, v] of Object.entries(parsed)) {
    if (!Object.hasOwn(SORT_KEYS, k) || (v !== 'asc' && v !== 'desc')) throw ensErrors.invalidParameter('OrderByParams');
    keys.push([SORT_KEYS[k as keyof typeof SORT_KEYS], v === 'asc' ? 1 : -1]);
  }
  return (a, b) => {
    for (const [field, dir] of keys) {
      const c = byText(String(a[field] ?? ''), String(b[field] ?? ''));
      if (c !== 0) return c * dir;
    }
    return byText(a.InstanceId, b.InstanceId);
  };
}

/** Plain equality filters: the request parameter and the instance field share a name (InstanceType is the SpecName). */
const EXACT_FILTERS = [
  ['InstanceId', 'InstanceId'],
  ['Status', 'Status'],
  ['EnsRegionId', 'EnsRegionId'],
  ['InstanceName', 'InstanceName'],
  ['ImageId', 'ImageId'],
  ['InstanceResourceType', 'InstanceResourceType'],
  ['InstanceType', 'SpecName'],
] as const;

const ipsIn = (wrapped: any, list: string, item?: string): string[] => {
  const values = Array.isArray(wrapped?.[list]) ? wrapped[list] : [];
  return values.map((v: any) => (item ? v?.[item] : v)).filter((v: unknown): v is string => typeof v === 'string');
};

function privateIps(e: Entry): string[] {
  return [...ipsIn(e.PrivateIpAddresses, 'PrivateIpAddress', 'Ip'), ...ipsIn(e.InnerIpAddress, 'IpAddress'), ...ipsIn(e.NetworkAttributes?.PrivateIpAddress, 'IpAddress')];
}

function publicIps(e: Entry): string[] {
  return [...ipsIn(e.PublicIpAddresses, 'PublicIpAddress', 'Ip'), ...ipsIn(e.PublicIpAddress, 'IpAddress')];
}

export function describeInstances(call: RpcCall, view: ReadView): Record<string, unknown> {
  const p = call.params;
  const ids = stringList(p, 'InstanceIds');
  const regions = stringList(p, 'EnsRegionIds');
  const serviceStatus = stringList(p, 'ServiceStatus');
  const eips = stringList(p, 'EipAddresses');
  const tags = tagFilters(p);
  const order = orderOf(p);
  const page = readPage(p);
  const exact = EXACT_FILTERS.flatMap(([param, field]) => (p[param] ? [[field, p[param]] as const] : []));
  const has = (name: string) => p[name] !== undefined && p[name] !== '';

  const regionSet = regions && new Set(regions);
  // Address and network filters read fields a seed may have left to the model's defaults.
  const needsModel = !!eips || ['IntranetIp', 'VSwitchId', 'NetworkId', 'SecurityGroupId', 'VpdId', 'SearchKey'].some(has);
  const keep = (entry: Entry): boolean => {
    if (!ownedBy(entry, call.accountId)) return false;
    const e = needsModel ? modelOf(entry) : entry;
    if (regionSet && !regionSet.has(e.EnsRegionId)) return false;
    if (!exact.every(([field, value]) => e[field] === value)) return false;
    if (serviceStatus && !serviceStatus.includes(e.ServiceStatus)) return false;
    if (eips && !publicIps(e).some((ip) => eips.includes(ip))) return false;
    if (has('IntranetIp') && !privateIps(e).includes(p.IntranetIp!)) return false;
    if (has('VSwitchId') && e.NetworkAttributes?.VSwitchId !== p.VSwitchId) return false;
    if (has('NetworkId') && e.NetworkAttributes?.NetworkId !== p.NetworkId) return false;
    if (has('SecurityGroupId') && !ipsIn(e.SecurityGroupIds, 'SecurityGroupId').includes(p.SecurityGroupId!)) return false;
    if (has('VpdId') && !(Array.isArray(e.NetworkInterfaces?.NetworkInterfaces) && e.NetworkInterfaces.NetworkInterfaces.some((n: any) => n?.VpdId === p.VpdId))) return false;
    // The edge service an instance belongs to is not a field of the answer: a seed names it in _emulator.ensServiceId.
    if (has('EnsServiceId') && entry[EMULATOR_KEY]?.ensServiceId !== p.EnsServiceId) return false;
    if (tags && !tags.every((t) => (e.Tags?.Tags ?? []).some((x: any) => x.TagKey === t.Key && (t.Value === undefined || x.TagValue === t.Value)))) return false;
    if (has('SearchKey')) {
      // The keyword matches an id, a name or an address, in part (the reference lists ip, InstanceName and InstanceId).
      const key = p.SearchKey!;
      if (![e.InstanceId, e.InstanceName, e.HostName, ...privateIps(e), ...publicIps(e)].some((v) => typeof v === 'string' && v.includes(key))) return false;
    }
    return true;
  };
  // Named ids are looked up one by one (in the order given); only a call without ids walks the collection.
  const found = ids ? [...new Set(ids)].map((id) => view.get(INSTANCES, id)).filter((e): e is Entry => e !== undefined && keep(e)) : view.list(INSTANCES).filter(keep);
  const matching = order ? inOrder(found, order) : found;

  return {
    Code: 0,
    PageNumber: page.number,
    PageSize: page.size,
    TotalCount: matching.length,
    Instances: { Instance: slicePage(matching, page).map(instanceView) },
  };
}
