/**
 * ENS (Edge Node Service, API 2017-11-10, HostId ens.aliyuncs.com): BatchEventRebootInstance and
 * the two calls a client uses to watch it, DescribeHistoryEvents and DescribeInstances.
 */
import type { Hook } from '../../../core/lifecycle.js';
import type { RpcCall, RpcOperation } from '../operation.js';
import { ENS_HOST_ID, ENS_VERSION } from './constants.js';
import { ensErrors } from './errors.js';
import { idsInEventInfos } from './eventInfos.js';
import { describeHistoryEvents, MAX_FILTER_VALUES } from './events.js';
import { describeInstances } from './instances.js';
import { batchEventRebootInstance, rebootHooks } from './reboot.js';

export { normalizeEns } from './normalize.js';

const common = {
  product: 'ens',
  version: ENS_VERSION,
  hostId: ENS_HOST_ID,
  /** ENS documents 400 NoPermission "Permission denied." for a key whose RAM policy lacks the action. */
  denied: (permission: string, call: RpcCall) => ensErrors.noPermission(permission, call.accountId, call.accessKeyId),
  /** ENS names the field in the code: a PageSize its schema refuses is InvalidParameter.PageSize. */
  invalidParameter: (name: string) => ensErrors.invalidParameter(name),
};

export const ensOperations: RpcOperation[] = [
  {
    ...common,
    action: 'BatchEventRebootInstance',
    changesState: true,
    permission: 'ens:BatchEventRebootInstance',
    resourceIds: (call) => idsInEventInfos(call.params.EventInfos),
    handle: batchEventRebootInstance,
  },
  {
    ...common,
    action: 'DescribeHistoryEvents',
    permission: 'ens:DescribeHistoryEvents',
    // Bounded like the filter itself: a longer list is refused by the handler anyway.
    resourceIds: (call) => (call.params.ResourceIds ?? '').split(',', MAX_FILTER_VALUES + 1).filter(Boolean),
    handle: describeHistoryEvents,
  },
  {
    ...common,
    action: 'DescribeInstances',
    permission: 'ens:DescribeInstances',
    resourceIds: (call) => (call.params.InstanceId ? [call.params.InstanceId] : []),
    handle: describeInstances,
  },
];

export const ensHooks: Record<string, Hook> = { ...rebootHooks };
