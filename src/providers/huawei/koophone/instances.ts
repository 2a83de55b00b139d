/**
 * KooPhone instances as ListInstances returns them (result[] of GET /v1/instances/batch-query), so a
 * seed can be a pasted real response. A seed needs instance_id and project_id; the rest defaults.
 */
import type { Entry } from '../../../core/state.js';
import { own } from '../../lookup.js';

export const RUNNING = 2;

/** running_status / status values (ListInstances table, BatchQueryStatus intro, Java SDK StatusEnum). */
export const RUNNING_STATUS = { unknown: 0, stopped: 1, running: 2, goingOffline: 3, starting: 4, shutDown: 5 } as const;

/** frozen_status: 0 normal, 1 frozen (ListInstances table). */
export const FROZEN = 1;
/** backup_status / restore_status: 0 preparing, 1 in progress, 2 succeeded, 3 failed, 4 other; only 1 is busy. */
export const BUSY = 1;

export const DEFAULT_REGION = 'cn-north-4';

const REGION_NAMES: Record<string, [zh: string, en: string]> = {
  'cn-north-4': ['华北-北京四', 'CN North-Beijing4'],
  'cn-south-1': ['华南-广州', 'CN South-Guangzhou'],
  'cn-east-3': ['华东-上海一', 'CN East-Shanghai1'],
  'cn-southwest-2': ['西南-贵阳一', 'CN Southwest-Guiyang1'],
};

/**
 * What a ListInstances entry says when it says nothing (zero or empty). Not stored: listView fills
 * these in when an instance is answered, so a stored entry holds what says something (a data file
 * of 100,000 instances is read, parsed and held at every start). What a seed sets is kept as set.
 */
export const EMPTY_DEFAULTS: Readonly<Record<string, unknown>> = {
  frozen_status: 0,
  login_status: 0,
  assign_status: 0,
  assign_user: '',
  billing_mode: '',
  member_name: '',
  account_name: '',
  backup_status: 0,
  backup_time: '',
  restore_status: 0,
  restore_time: '',
};

/** Fills in what a seeded instance leaves out, in place, but for EMPTY_DEFAULTS; idempotent. */
export function defaultInstance(entry: Entry): void {
  const region: string = entry.region ?? DEFAULT_REGION;
  const names = own(REGION_NAMES, region);
  const defaults: Record<string, unknown> = {
    instance_name: entry.instance_id,
    region,
    instance_sku: '专业版 | 8 核 | 16GB | 10GB 存储 | 最高分辨率 720p',
    running_status: RUNNING,
    project_name: region,
    phone_id: entry.instance_id,
    region_name: names?.[0] ?? '',
    region_name_en: names?.[1] ?? '',
  };
  if (entry.assign_user) defaults.assign_status = 1;
  for (const [key, value] of Object.entries(defaults)) if (entry[key] === undefined) entry[key] = value;
}

/** The documented field order of a ListInstances result entry (extra seeded fields follow). */
export const LIST_FIELDS = [
  'instance_id', 'instance_name', 'region', 'instance_sku', 'frozen_status', 'running_status', 'login_status',
  'assign_status', 'assign_user', 'billing_mode', 'project_id', 'project_name', 'phone_id', 'member_name',
  'account_name', 'region_name', 'region_name_en', 'backup_status', 'backup_time', 'restore_status', 'restore_time',
] as const;

/**
 * Parses the reboot path setting ("2,4,2", "2>4>2" or "2 → 4 → 2"): values 0..5, starting at 2
 * (only running instances reboot) and leaving it at once (a rebooting instance is not running, so a
 * second reboot gets 5005). Returns the values after the first, or undefined if it is invalid.
 */
export function parseRebootPath(text: string): number[] | undefined {
  const parts = text.split(/[^0-9]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  if (values.length < 2 || values[0] !== RUNNING || values[1] === RUNNING) return undefined;
  if (values.some((v) => !Number.isInteger(v) || v < 0 || v > 5)) return undefined;
  if (text.replace(/[0-9\s,>→-]/g, '') !== '') return undefined;
  return values.slice(1);
}
