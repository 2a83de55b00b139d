/**
 * The resources the dashboard lists (GET /_emulator/resources): every provider's resource types
 * (ProviderProtocol.resources), each entry described by its provider's own describe code, with its
 * next pending transition step. A page is described at a time: counting is a collection's length,
 * so a store of 100,000 resources costs one page of rendering, not 100,000.
 */
import type { ResourceRecord } from '../control-types.js';
import type { Clock } from './clock.js';
import type { Lifecycle } from './lifecycle.js';
import type { ProviderProtocol, ResourceType } from './pipeline/protocol.js';
import type { Settings } from './settings.js';
import type { Entry, Json } from './state.js';
import type { Store } from './store.js';

/** Page size of a listing: the default, and the most one answer holds. */
export const DEFAULT_RESOURCE_PAGE = 500;
export const MAX_RESOURCE_PAGE = 5000;

/** A resource as listed: the control plane's one declaration of the shape served. */
export type ResourceItem = ResourceRecord;

export interface ResourceSources {
  protocols: ReadonlyMap<string, ProviderProtocol>;
  store: Store;
  lifecycle: Lifecycle;
  clock: Clock;
  settings: Settings;
}

/** Each provider's resource types, in provider order, skipping collections the store does not hold. */
function typesOf(src: ResourceSources, provider?: string): Array<{ provider: string; type: ResourceType }> {
  const out: Array<{ provider: string; type: ResourceType }> = [];
  for (const [name, protocol] of src.protocols) {
    if (provider !== undefined && name !== provider) continue;
    for (const type of protocol.resources ?? []) if (src.store.collection(type.collection)) out.push({ provider: name, type });
  }
  return out;
}

function itemOf(src: ResourceSources, provider: string, type: ResourceType, entry: Entry, now: number): ResourceItem {
  const def = src.store.collection(type.collection)!;
  const d = type.describe(entry, { now, settings: src.settings, view: src.store });
  const first = src.lifecycle.pendingOf(def, entry)[0];
  const item: ResourceItem = {
    provider,
    service: type.service,
    kind: type.kind,
    id: String(entry[def.idField]),
    ...(d.name !== undefined ? { name: d.name } : {}),
    status: d.status,
    ...(d.region !== undefined ? { region: d.region } : {}),
    ...(first ? { next: { transition: first.transition, due: first.due, dueAt: first.dueAt, ...(first.to ? { to: first.to } : {}) } } : {}),
    view: d.view,
  };
  return item;
}

/** One page of resources (of one provider, or all), in provider order then store order, and how many there are. */
export function listResources(src: ResourceSources, options: { provider?: string; limit: number; offset: number }): { total: number; resources: ResourceItem[] } {
  const now = src.clock.now();
  const types = typesOf(src, options.provider);
  let total = 0;
  const resources: ResourceItem[] = [];
  for (const { provider, type } of types) {
    const entries = src.store.list(type.collection);
    const from = Math.max(0, options.offset - total);
    const to = Math.min(entries.length, options.offset + options.limit - total);
    for (let i = from; i < to; i++) resources.push(itemOf(src, provider, type, entries[i]!, now));
    total += entries.length;
  }
  return { total, resources };
}

/** One resource by its provider-native id, or undefined. */
export function findResource(src: ResourceSources, provider: string, id: string): ResourceItem | undefined {
  for (const { type } of typesOf(src, provider)) {
    const entry = src.store.get(type.collection, id);
    if (entry) return itemOf(src, provider, type, entry, src.clock.now());
  }
  return undefined;
}
