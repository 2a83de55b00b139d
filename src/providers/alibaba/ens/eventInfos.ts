/**
 * BatchEventRebootInstance's EventInfos: ONE parameter holding a JSON array (style=json in the SDK,
 * a caller-made JSON string with pop-core). The whole batch is checked before anything changes: a
 * malformed item fails the request with InvalidParameter.<field>, while a well-formed item about
 * the wrong event only fails its own entry in Results (see reboot.ts).
 */
import { MAX_TIME_MS } from './constants.js';
import { ensErrors } from './errors.js';

export type OpsType = 'immediate' | 'scheduled';

export interface EventInfo {
  EventId: string;
  ResourceId: string;
  OpsType: OpsType;
  /** The plan time in ms (scheduled only). */
  planAt?: number;
}

const PLAN_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
/** PlanUtcTime has second precision: a PlanTime within the same second agrees with it. */
const PLAN_AGREEMENT_MS = 1000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** Parses and checks EventInfos against the clock; throws the catalogue's InvalidParameter.<field>. */
export function parseEventInfos(raw: string | undefined, now: number): EventInfo[] {
  if (raw === undefined || raw.trim() === '') throw ensErrors.invalidParameter('EventInfos');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw ensErrors.invalidParameter('EventInfos');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw ensErrors.invalidParameter('EventInfos');
  return parsed.map((item) => parseItem(item, now));
}

function parseItem(item: unknown, now: number): EventInfo {
  if (!isObject(item)) throw ensErrors.invalidParameter('EventInfos');
  if (!nonEmptyString(item.EventId)) throw ensErrors.invalidParameter('EventId');
  if (!nonEmptyString(item.ResourceId)) throw ensErrors.invalidParameter('ResourceId');
  if (item.OpsType !== 'immediate' && item.OpsType !== 'scheduled') throw ensErrors.invalidParameter('OpsType');
  // A present plan field must be well-typed even where it is not used, so a typo never passes silently.
  const planTime = item.PlanTime;
  if (planTime !== undefined && !(typeof planTime === 'number' && Number.isSafeInteger(planTime) && planTime >= 0 && planTime <= MAX_TIME_MS)) {
    throw ensErrors.invalidParameter('PlanTime');
  }
  let planUtc: number | undefined;
  if (item.PlanUtcTime !== undefined) {
    if (typeof item.PlanUtcTime !== 'string' || !PLAN_UTC.test(item.PlanUtcTime)) throw ensErrors.invalidParameter('PlanUtcTime');
    planUtc = Date.parse(item.PlanUtcTime);
    if (Number.isNaN(planUtc)) throw ensErrors.invalidParameter('PlanUtcTime');
  }
  const info: EventInfo = { EventId: item.EventId.trim(), ResourceId: item.ResourceId.trim(), OpsType: item.OpsType };
  if (info.OpsType === 'immediate') return info;

  if (planTime === undefined && planUtc === undefined) throw ensErrors.invalidParameter('PlanTime');
  if (planTime !== undefined && planUtc !== undefined && Math.abs(planTime - planUtc) >= PLAN_AGREEMENT_MS) {
    throw ensErrors.invalidParameter('PlanUtcTime');
  }
  const planAt = (planTime as number | undefined) ?? planUtc!;
  if (planAt < now) throw ensErrors.invalidParameter(planTime !== undefined ? 'PlanTime' : 'PlanUtcTime');
  info.planAt = planAt;
  return info;
}

/** The ids a batch names, for fault matching; never throws (a bad batch fails later, in the handler). */
export function idsInEventInfos(raw: string | undefined): string[] {
  try {
    const parsed = JSON.parse(raw ?? '');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((i) => (isObject(i) ? [i.ResourceId, i.EventId].filter((v): v is string => typeof v === 'string') : []));
  } catch {
    return [];
  }
}
