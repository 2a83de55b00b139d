/**
 * ECI tag operations on the four taggable resource types: TagResources, UntagResources and
 * ListTagResources. A tag change holds a resource for the `alibaba.eci.tagChange` duration; another
 * change inside that window is the documented OperationConflict.
 */
import { EMULATOR_KEY, type Entry } from '../../../core/state.js';
import type { Tx } from '../../../core/store.js';
import type { RpcCall, RpcEnv, RpcOperation } from '../operation.js';
import { decodeNextToken, encodeNextToken } from '../paging.js';
import { boolParam, intParam, listParam, objectListParam } from '../params.js';
import { protocolErrors } from '../errors.js';
import { visibleTo } from '../scope.js';
import { ECI_HOST, eciErrors } from './errors.js';
import { findVisible, RESOURCE_TYPES, type ResourceType } from './resources.js';

export const TAG_CHANGE_TRANSITION = 'alibaba.eci.tagChange';
const MAX_TAGS = 20;
const MAX_RESOURCE_IDS = 50;
/** Resource statuses in which tags cannot change (a group going away). */
const FROZEN = new Set(['Terminating', 'Expired', 'Deleting']);

interface Tag {
  Key: string;
  Value: string;
}

/** The request schema requires ResourceType and lists the four types (an unknown one never reaches a handler). */
function resourceType(call: RpcCall): ResourceType {
  return call.params.ResourceType as ResourceType;
}

function resourceIds(call: RpcCall, required: boolean): string[] {
  const ids = listParam(call.params, 'ResourceId', protocolErrors.invalidParameter);
  if (required && ids.length === 0) throw protocolErrors.missingParameter('ResourceId.N');
  if (ids.length > MAX_RESOURCE_IDS) throw protocolErrors.invalidParameter('ResourceId.N', `At most ${MAX_RESOURCE_IDS} resource ids can be given.`);
  return ids;
}

function checkKey(key: string | undefined, name: string): string {
  if (key === undefined || key === '') throw protocolErrors.invalidParameter(name, 'A tag key cannot be empty.');
  if (key.length > 128) throw protocolErrors.invalidParameter(name, 'A tag key is at most 128 characters long.');
  if (/^(aliyun|acs:)/i.test(key)) throw protocolErrors.invalidParameter(name, 'A tag key cannot start with "aliyun" or "acs:".');
  if (/https?:\/\//i.test(key)) throw protocolErrors.invalidParameter(name, 'A tag key cannot contain "http://" or "https://".');
  return key;
}

function checkValue(value: string | undefined, name: string): string {
  const v = value ?? '';
  if (v.length > 128) throw protocolErrors.invalidParameter(name, 'A tag value is at most 128 characters long.');
  // TagResources documents the same reserved prefixes for values as for keys.
  if (/^(aliyun|acs:)/i.test(v)) throw protocolErrors.invalidParameter(name, 'A tag value cannot start with "aliyun" or "acs:".');
  if (/https?:\/\//i.test(v)) throw protocolErrors.invalidParameter(name, 'A tag value cannot contain "http://" or "https://".');
  return v;
}

/** The documented tag-permission error for any tag call a key may not make. */
function tagDenied(permission: string, call: RpcCall) {
  return eciErrors.noPermissionTag(permission, call.accountId, call.accessKeyId);
}

/** Finds every resource first (all or nothing), then changes each, holding it for the conflict window. */
function changeTags(env: RpcEnv, tx: Tx, call: RpcCall, type: ResourceType, ids: string[], change: (tags: Tag[]) => Tag[]): void {
  const { collection } = RESOURCE_TYPES[type];
  const entries = ids.map((id) => findVisible(env, tx, call, type, id));
  for (const entry of entries) {
    if (FROZEN.has(entry.Status)) throw eciErrors.incorrectStatus(`The ${type} ${entry[RESOURCE_TYPES[type].idField]} is ${entry.Status}.`);
    const busyUntil = entry[EMULATOR_KEY]?.tagBusyUntil;
    if (typeof busyUntil === 'number' && call.now < busyUntil) throw eciErrors.operationConflict();
  }
  const holdUntil = env.durations.dueAt(TAG_CHANGE_TRANSITION, call.now) ?? call.now;
  for (const id of new Set(ids)) {
    tx.update(collection, id, (draft) => {
      const next = change([...((draft.Tags as Tag[] | undefined) ?? [])]);
      if (next.length > MAX_TAGS) throw eciErrors.numberExceedTags();
      draft.Tags = next;
      const meta = (draft[EMULATOR_KEY] ??= {});
      if (holdUntil > call.now) meta.tagBusyUntil = holdUntil;
      else delete meta.tagBusyUntil;
    });
  }
}

/** What the three tag operations share: product, RAM denial, and the resources a fault rule can name. */
const tagOperation = {
  product: 'eci',
  version: '2018-08-08',
  hostId: ECI_HOST,
  denied: tagDenied,
  resourceIds: (call: RpcCall) => listParam(call.params, 'ResourceId'),
} as const;

export const tagResources: RpcOperation = {
  ...tagOperation,
  action: 'TagResources',
  changesState: true,
  handle(call, tx, env) {
    const type = resourceType(call);
    const ids = resourceIds(call, true);
    const raw = objectListParam(call.params, 'Tag', protocolErrors.invalidParameter);
    if (raw.length === 0) throw protocolErrors.missingParameter('Tag.N');
    if (raw.length > MAX_TAGS) throw eciErrors.numberExceedTags();
    const wanted = raw.map((t, i) => ({ Key: checkKey(t.Key, `Tag.${i + 1}.Key`), Value: checkValue(t.Value, `Tag.${i + 1}.Value`) }));
    changeTags(env, tx, call, type, ids, (tags) => {
      for (const t of wanted) {
        const existing = tags.find((x) => x.Key === t.Key);
        if (existing) existing.Value = t.Value;
        else tags.push({ ...t });
      }
      return tags.map((t) => ({ ...t }));
    });
    return {};
  },
};

export const untagResources: RpcOperation = {
  ...tagOperation,
  action: 'UntagResources',
  changesState: true,
  handle(call, tx, env) {
    const type = resourceType(call);
    const ids = resourceIds(call, true);
    const keys = listParam(call.params, 'TagKey', protocolErrors.invalidParameter);
    if (keys.length > MAX_TAGS) throw eciErrors.numberExceedTags();
    const all = boolParam(call.params, 'All', false, protocolErrors.invalidParameter);
    // `All` counts only when no TagKey is given (documented); without either nothing is removed.
    const removes = keys.length > 0 ? (t: Tag) => keys.includes(t.Key) : all ? () => true : () => false;
    changeTags(env, tx, call, type, ids, (tags) => tags.filter((t) => !removes(t)));
    return {};
  },
};

export const listTagResources: RpcOperation = {
  ...tagOperation,
  action: 'ListTagResources',
  handle(call, tx) {
    const type = resourceType(call);
    const ids = resourceIds(call, false);
    const filters = objectListParam(call.params, 'Tag', protocolErrors.invalidParameter);
    if (filters.length > MAX_TAGS) throw eciErrors.numberExceedTags();
    const limit = intParam(call.params, 'Limit', 20)!;
    const { collection, idField } = RESOURCE_TYPES[type];
    const offset = decodeNextToken(call.params.NextToken, protocolErrors.invalidParameter);
    // Named ids are looked up one by one; without ids the collection is walked only as far as this page needs.
    const entries: Iterable<Entry> = ids.length > 0 ? [...new Set(ids)].map((id) => tx.get(collection, id)).filter((e): e is Entry => e !== undefined) : tx.list(collection);
    const matches = (e: Entry) => visibleTo(e, call) && filters.every((f) => ((e.Tags as Tag[]) ?? []).some((t) => t.Key === f.Key && (f.Value === undefined || t.Value === f.Value)));
    const rows: Array<Record<string, string>> = [];
    let index = 0;
    let more = false;
    walk: for (const e of entries) {
      if (!matches(e)) continue;
      for (const t of (e.Tags as Tag[]) ?? []) {
        if (index >= offset + limit) {
          more = true;
          break walk;
        }
        if (index >= offset) rows.push({ ResourceId: e[idField], ResourceType: type, TagKey: t.Key, TagValue: t.Value ?? '' });
        index += 1;
      }
    }
    return { NextToken: more ? encodeNextToken(offset + limit) : '', TagResources: rows };
  },
};

export const tagOperations: RpcOperation[] = [tagResources, untagResources, listTagResources];
