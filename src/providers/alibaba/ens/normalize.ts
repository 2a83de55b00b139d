/**
 * Seed defaults for `alibaba.ens.instances` and `alibaba.ens.events`, so a fixture can be pasted
 * from a real DescribeInstances / DescribeHistoryEvents answer or name only what a test needs.
 * Runs on every seed over the whole part, so it only fills what is absent (idempotent).
 */
import { SeedError, type EngineContext } from '../../../core/context.js';
import { EMULATOR_KEY, isPlainObject } from '../../../core/state.js';
import { ALIBABA } from '../settings.js';
import { isoSeconds, MAX_TIME_MS, REBOOT_EVENT_TYPE } from './constants.js';

type Problem = { path: string; message: string };

/** Events seeded without NotBefore are due this long after they are published (an emulator choice). */
export const DEFAULT_NOT_BEFORE_DELAY_MS = 3 * 24 * 60 * 60 * 1000;

export function normalizeEns(part: Record<string, any>, ctx: EngineContext): void {
  const ens = part.ens;
  if (ens === undefined) return;
  const problems: Problem[] = [];
  if (!isPlainObject(ens)) throw new SeedError([{ path: 'alibaba.ens', message: 'alibaba.ens must be an object' }]);
  const account = ctx.settings.get(ALIBABA.defaultAccountId);
  const now = ctx.clock.now();
  each(ens, 'instances', 'InstanceId', problems, (entry, path) => normalizeInstance(entry, path, now, problems));
  each(ens, 'events', 'EventId', problems, (entry, path) => normalizeEvent(entry, path, now, problems));
  for (const list of [ens.instances, ens.events]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isPlainObject(entry)) continue;
      const meta = (entry[EMULATOR_KEY] ??= {});
      meta.accountId ??= account;
      if (typeof meta.accountId !== 'string') meta.accountId = String(meta.accountId);
    }
  }
  if (problems.length > 0) throw new SeedError(problems);
}

function each(ens: Record<string, any>, key: string, idField: string, problems: Problem[], fn: (entry: Record<string, any>, path: string) => void): void {
  const list = ens[key];
  if (list === undefined) return;
  const base = `alibaba.ens.${key}`;
  if (!Array.isArray(list)) {
    problems.push({ path: base, message: `${base} must be an array` });
    return;
  }
  list.forEach((entry: unknown, i: number) => {
    const path = `${base}[${i}]`;
    if (!isPlainObject(entry)) return void problems.push({ path, message: `${path} must be an object` });
    if (typeof entry[idField] !== 'string' || entry[idField] === '') {
      return void problems.push({ path, message: `${path}.${idField} must be a non-empty string` });
    }
    fn(entry, path);
  });
}

function normalizeInstance(entry: Record<string, any>, path: string, now: number, problems: Problem[]): void {
  entry.InstanceName ??= entry.InstanceId;
  entry.Status ??= 'Running';
  entry.EnsRegionId ??= 'cn-hangzhou-telecom';
  entry.SpecName ??= 'ens.sn1.small';
  entry.Cpu ??= '2';
  entry.Memory ??= 4096;
  entry.OSName ??= 'centos 7.6';
  entry.ImageId ??= 'centos_7_06_64_20G_alibase_20190711';
  entry.CreationTime ??= isoSeconds(now);
  entry.InstanceResourceType ??= 'EnsInstance';
  // The SDK model types: Cpu is a string, Memory a number.
  if (typeof entry.Cpu === 'number') entry.Cpu = String(entry.Cpu);
  if (typeof entry.Memory === 'string' && /^\d+$/.test(entry.Memory)) entry.Memory = Number(entry.Memory);
  entry.Tags = wrapTags(entry.Tags, `${path}.Tags`, problems);
  for (const field of ['InstanceName', 'Status', 'EnsRegionId', 'SpecName', 'Cpu', 'OSName', 'ImageId', 'CreationTime', 'InstanceResourceType']) {
    if (typeof entry[field] !== 'string') problems.push({ path, message: `${path}.${field} must be a string` });
  }
  if (typeof entry.Memory !== 'number') problems.push({ path, message: `${path}.Memory must be a number` });
}

/** Tags as DescribeInstances answers them (`{ Tags: [{ TagKey, TagValue }] }`); a bare list or Key/Value pairs are accepted too. */
function wrapTags(tags: unknown, path: string, problems: Problem[]): { Tags: Array<{ TagKey: string; TagValue: string }> } {
  if (tags === undefined || tags === null) return { Tags: [] };
  const list = Array.isArray(tags) ? tags : isPlainObject(tags) && Array.isArray(tags.Tags) ? tags.Tags : undefined;
  if (!list) {
    problems.push({ path, message: `${path} must be { "Tags": [{ "TagKey", "TagValue" }] }` });
    return { Tags: [] };
  }
  return {
    Tags: list.map((t: any, i: number) => {
      const key = t?.TagKey ?? t?.Key;
      const value = t?.TagValue ?? t?.Value ?? '';
      if (typeof key !== 'string' || typeof value !== 'string') problems.push({ path: `${path}[${i}]`, message: `${path}[${i}] must have string TagKey and TagValue` });
      return { TagKey: String(key), TagValue: String(value) };
    }),
  };
}

function normalizeEvent(entry: Record<string, any>, path: string, now: number, problems: Problem[]): void {
  if (typeof entry.ResourceId !== 'string' || entry.ResourceId === '') problems.push({ path, message: `${path}.ResourceId must be a non-empty string` });
  entry.EventType ??= REBOOT_EVENT_TYPE;
  entry.EventStatus ??= 'Inquiring';
  entry.EventLevel ??= 'WARN';
  entry.Reason ??= 'The instance needs to be rebooted for system maintenance.';
  entry.ExtendedAttribute ??= '{}';
  if (isPlainObject(entry.ExtendedAttribute)) entry.ExtendedAttribute = JSON.stringify(entry.ExtendedAttribute);
  pairTime(entry, 'PublishTime', 'PublishUtcTime', now, path, problems);
  pairTime(entry, 'NotBefore', 'NotBeforeUtcTime', (entry.PublishTime ?? now) + DEFAULT_NOT_BEFORE_DELAY_MS, path, problems);
  for (const field of ['EventType', 'EventStatus', 'EventLevel', 'Reason', 'ExtendedAttribute']) {
    if (typeof entry[field] !== 'string') problems.push({ path, message: `${path}.${field} must be a string` });
  }
}

/** Keeps a ms field and its UTC text twin in step: either may be seeded, the other follows. */
function pairTime(entry: Record<string, any>, msField: string, utcField: string, fallback: number, path: string, problems: Problem[]): void {
  if (entry[msField] === undefined && typeof entry[utcField] === 'string') {
    const parsed = Date.parse(entry[utcField]);
    if (Number.isNaN(parsed)) return void problems.push({ path, message: `${path}.${utcField} must be an ISO 8601 UTC time` });
    entry[msField] = parsed;
  }
  entry[msField] ??= fallback;
  if (!(typeof entry[msField] === 'number' && Number.isSafeInteger(entry[msField]) && entry[msField] >= 0 && entry[msField] <= MAX_TIME_MS)) {
    return void problems.push({ path, message: `${path}.${msField} must be a time in ms` });
  }
  entry[utcField] ??= isoSeconds(entry[msField]);
}
