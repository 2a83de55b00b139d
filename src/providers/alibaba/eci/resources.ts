/** The four ECI resource types that carry tags, where they live, and finding one a call may see. */
import type { Entry } from '../../../core/state.js';
import type { ReadView } from '../../../core/store.js';
import type { RpcCall, RpcEnv } from '../operation.js';
import { visibleTo } from '../scope.js';
import { ALIBABA } from '../settings.js';
import { eciErrors } from './errors.js';

export const CONTAINER_GROUPS = 'alibaba.eci.containerGroups';

export const RESOURCE_TYPES = {
  ContainerGroup: { collection: CONTAINER_GROUPS, idField: 'ContainerGroupId' },
  ImageCache: { collection: 'alibaba.eci.imageCaches', idField: 'ImageCacheId' },
  DataCache: { collection: 'alibaba.eci.dataCaches', idField: 'DataCacheId' },
  VirtualNode: { collection: 'alibaba.eci.virtualNodes', idField: 'VirtualNodeId' },
} as const;

export type ResourceType = keyof typeof RESOURCE_TYPES;

export function notFound(env: Pick<RpcEnv, 'settings'>, type: string, id: string) {
  const style = env.settings.get(ALIBABA.eciNotFoundStyle);
  if (style === 'NotFound') return eciErrors.resourceNotFound(type, id);
  if (style === 'InvalidParameter.NotFound') return eciErrors.resourceNotFoundSubCode(type, id);
  return eciErrors.resourceNotFoundAsInvalid(type, id);
}

/** The entry, if the caller's account owns it in the call's region; else the not-found error. */
export function findVisible(env: Pick<RpcEnv, 'settings'>, view: ReadView, call: RpcCall, type: ResourceType, id: string): Entry {
  const { collection } = RESOURCE_TYPES[type];
  const entry = view.get(collection, id);
  if (!entry || !visibleTo(entry, call)) throw notFound(env, type === 'ContainerGroup' ? 'ContainerGroupId' : `${type}Id`, id);
  return entry;
}
