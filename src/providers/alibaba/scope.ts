/**
 * Which resources a call sees: its own account's, in its region. A seeded resource names its owner
 * as `_emulator.accountId` (normalize fills in the default account).
 */
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import type { RpcCall } from './operation.js';

export function ownerOf(entry: Entry): string | undefined {
  return entry[EMULATOR_KEY]?.accountId;
}

/** Same account, and same region when both the call and the entry name one. */
export function visibleTo(entry: Entry, call: RpcCall, regionField = 'RegionId'): boolean {
  if (ownerOf(entry) !== call.accountId) return false;
  const region = entry[regionField];
  return call.regionId === undefined || region === undefined || region === call.regionId;
}
