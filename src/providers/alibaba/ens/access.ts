/**
 * ENS resources belong to an account (`_emulator.accountId`) and, unlike ECI, are not split by the
 * call's RegionId: ENS calls carry no RegionId (an instance's EnsRegionId is only a filter).
 */
import type { Entry } from '../../../core/state.js';
import type { ReadView } from '../../../core/store.js';
import { ownerOf } from '../scope.js';

export function ownedBy(entry: Entry | undefined, accountId: string): entry is Entry {
  return entry !== undefined && ownerOf(entry) === accountId;
}

export function findOwned(view: ReadView, collection: string, id: string, accountId: string): Entry | undefined {
  const entry = view.get(collection, id);
  return ownedBy(entry, accountId) ? entry : undefined;
}
