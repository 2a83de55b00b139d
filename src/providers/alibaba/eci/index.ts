/** ECI (2018-08-08): operations, collections, transitions and seed defaults. */
import type { EngineContext } from '../../../core/context.js';
import type { Hook } from '../../../core/lifecycle.js';
import type { CollectionDef } from '../../../core/state.js';
import type { Duration } from '../../../core/transitions.js';
import type { RpcOperation } from '../operation.js';

export const ECI_COLLECTIONS: CollectionDef[] = [
  { path: 'alibaba.eci.containerGroups', idField: 'ContainerGroupId' },
  { path: 'alibaba.eci.imageCaches', idField: 'ImageCacheId' },
  { path: 'alibaba.eci.dataCaches', idField: 'DataCacheId' },
  { path: 'alibaba.eci.virtualNodes', idField: 'VirtualNodeId' },
];
export const ECI_TRANSITIONS: Record<string, Duration> = { 'alibaba.eci.restart': 2000 };
export const eciOperations: RpcOperation[] = [];
export const eciHooks: Record<string, Hook> = {};
export function normalizeEci(_part: Record<string, any>, _ctx: EngineContext): void {}
