/** ECI (2018-08-08): operations, collections, transitions, hooks and seed defaults. */
import type { Hook } from '../../../core/lifecycle.js';
import type { CollectionDef } from '../../../core/state.js';
import type { Duration } from '../../../core/transitions.js';
import type { RpcOperation } from '../operation.js';
import { describeContainerGroups, describeContainerGroupStatus } from './describe.js';
import { ECI_REGIONS } from './regions.js';
import { RESOURCE_TYPES } from './resources.js';
import { restartContainerGroup, restarted, RESTARTED_HOOK, RESTART_TRANSITION } from './restart.js';
import { listTagResources, tagResources, TAG_CHANGE_TRANSITION, untagResources } from './tags.js';

export { normalizeEci } from './shapes.js';

export const ECI_COLLECTIONS: CollectionDef[] = Object.values(RESOURCE_TYPES).map((t) => ({ path: t.collection, idField: t.idField }));

export const ECI_TRANSITIONS: Record<string, Duration> = {
  [RESTART_TRANSITION]: 2000,
  /** How long a tag change holds a resource: a second change inside it is OperationConflict. */
  [TAG_CHANGE_TRANSITION]: 0,
};

/** Every ECI call names a RegionId: one ECI does not serve is InvalidRegionId.NotFound. */
export const eciOperations: RpcOperation[] = [restartContainerGroup, tagResources, untagResources, listTagResources, describeContainerGroups, describeContainerGroupStatus].map((op) => ({
  ...op,
  regions: ECI_REGIONS,
}));

export const eciHooks: Record<string, Hook> = { [RESTARTED_HOOK]: restarted };
