/**
 * ENS (Edge Node Service, API 2017-11-10) facts the handlers share: names, status values and the
 * collections. Status lists come from the public API reference (DescribeHistoryEvents,
 * DescribeInstances, RebootInstance); see the README's fidelity notes for what is inferred.
 */
export const ENS_VERSION = '2017-11-10';
export const ENS_HOST_ID = 'ens.aliyuncs.com';

export const INSTANCES = 'alibaba.ens.instances';
export const EVENTS = 'alibaba.ens.events';

/** The transition a reboot takes, from its start (event Executing) to the instance Running again. */
export const REBOOT_TRANSITION = 'alibaba.ens.reboot';
export const HOOK_REBOOT_START = 'alibaba.ens.rebootStart';
export const HOOK_REBOOT_FINISH = 'alibaba.ens.rebootFinish';

/** The only event type BatchEventRebootInstance acts on (documented). */
export const REBOOT_EVENT_TYPE = 'Instance:SystemMaintenance.Reboot';

export const EVENT_STATUSES = ['Inquiring', 'Scheduled', 'Executing', 'Executed', 'Failed', 'Canceled', 'Avoided'] as const;
/** Statuses from which a reboot may still be requested (or re-planned). */
export const REBOOTABLE_EVENT_STATUSES: readonly string[] = ['Inquiring', 'Scheduled'];

export const EVENT_LEVELS = ['CRITICAL', 'WARN', 'INFO'] as const;

export const EVENT_TYPES = [
  'Instance:SystemFailure.Redeploy',
  'Instance:SystemFailure.Reboot',
  'Instance:RegionNetworkDown',
  'Disk:Stalled',
  'EnsRegion:NetworkMigration',
  'IP:SafeRisk',
  'IP:SafeBan',
  'Instance:SystemUpgrade.Migrate',
  'Instance:SystemMaintenance.Redeploy',
  'Instance:SystemMaintenance.Reboot',
] as const;

/** Documented instance statuses, plus Starting: RebootInstance's doc says a rebooted instance becomes Starting. */
export const INSTANCE_STATUSES = ['Running', 'Stopped', 'Expired', 'Starting', 'Stopping'] as const;
export const RUNNING = 'Running';
/** Where a failed reboot leaves an instance (a transition fault). */
export const STOPPED = 'Stopped';
export const REBOOTING_STATUS = 'Starting';

/** Page size: DescribeInstances documents 10 by default (at most 100: the request schemas say it). */
export const DEFAULT_PAGE_SIZE = 10;
/** DescribeInstances.InstanceIds: "a JSON array that consists of up to 100 IDs". */
export const MAX_INSTANCE_IDS = 100;

/** The latest time ENS texts can show (9999-12-31T23:59:59Z): later ms values are refused, not rendered. */
export const MAX_TIME_MS = 253402300799000;

/** ENS timestamps in responses: ISO 8601 UTC to the second, e.g. 2025-03-20T06:30:32Z. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
