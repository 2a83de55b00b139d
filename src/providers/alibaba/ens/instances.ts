/**
 * DescribeInstances: the account's ENS instances, wrapped the way the API (and the SDK model)
 * has them: `Instances.Instance[]`, each with `Tags.Tags[]`, plus `Code: 0`.
 */
import type { ReadView } from '../../../core/store.js';
import { publicView, type Entry } from '../../../core/state.js';
import type { RpcCall } from '../operation.js';
import { ownedBy } from './access.js';
import { INSTANCES, MAX_INSTANCE_IDS } from './constants.js';
import { ensErrors } from './errors.js';
import { readPage, slicePage } from './paging.js';

export function instanceView(entry: Entry): Record<string, unknown> {
  const view: Record<string, unknown> = { ...publicView(entry) };
  view.Tags = { Tags: (entry.Tags?.Tags ?? []).map((t: any) => ({ TagKey: t.TagKey, TagValue: t.TagValue })) };
  return view;
}

/** A param that is a JSON array of ids by API design (`InstanceIds='["i-1"]'`). */
function idList(params: Record<string, string>, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ensErrors.invalidParameter(name);
  }
  if (!Array.isArray(parsed) || parsed.length > MAX_INSTANCE_IDS || !parsed.every((v) => typeof v === 'string')) {
    throw ensErrors.invalidParameter(name);
  }
  return parsed;
}

/** Plain equality filters: the request parameter and the instance field share a name. */
const EXACT_FILTERS = ['InstanceId', 'Status', 'EnsRegionId', 'InstanceName', 'ImageId', 'InstanceResourceType'] as const;

export function describeInstances(call: RpcCall, view: ReadView): Record<string, unknown> {
  const ids = idList(call.params, 'InstanceIds');
  const regions = idList(call.params, 'EnsRegionIds');
  const page = readPage(call.params);
  const exact = EXACT_FILTERS.flatMap((f) => (call.params[f] ? [[f, call.params[f]] as const] : []));

  const regionSet = regions && new Set(regions);
  const keep = (e: Entry) => ownedBy(e, call.accountId) && (!regionSet || regionSet.has(e.EnsRegionId)) && exact.every(([field, value]) => e[field] === value);
  // Named ids are looked up one by one (in the order given); only a call without ids walks the collection.
  const matching = ids
    ? [...new Set(ids)].map((id) => view.get(INSTANCES, id)).filter((e): e is Entry => e !== undefined && keep(e))
    : view.list(INSTANCES).filter(keep);

  return {
    Code: 0,
    PageNumber: page.number,
    PageSize: page.size,
    TotalCount: matching.length,
    Instances: { Instance: slicePage(matching, page).map(instanceView) },
  };
}
