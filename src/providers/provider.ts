/**
 * What a provider plugs into the engine: its collections in the state document, its transitions and
 * settings, the hooks its timed steps call, and its protocol (how the one request pipeline reads its
 * requests, authenticates them and renders its answers).
 */
import type { ProviderProtocol } from '../core/pipeline/protocol.js';
import type { EngineContext } from '../core/context.js';
import type { Hook } from '../core/lifecycle.js';
import type { SettingDef } from '../core/settings.js';
import type { CollectionDef } from '../core/state.js';
import type { Duration } from '../core/transitions.js';

export interface ProviderModule {
  /** The top-level key of its part of the state document, e.g. "alibaba". */
  name: string;
  /** Products it emulates, shown by /_emulator/health, e.g. ["eci", "ens"]. */
  services: string[];
  collections: CollectionDef[];
  transitions: Record<string, Duration>;
  settings?: SettingDef[];
  hooks?: Record<string, Hook>;
  /** Its part of an empty state document. */
  emptyState(): Record<string, any>;
  /** The $id of the schema its part of the state document must match (seeds, PUT state, fixtures). */
  stateSchema?: string;
  /**
   * Fills in defaults on a seeded part, in place, so users can seed only what a test needs.
   * Throws SeedError for what cannot be accepted.
   */
  normalize?(part: Record<string, any>, ctx: EngineContext): void;
  /**
   * The first path segments it serves ('' for the root path itself), e.g. ['api']: requests are
   * dispatched on them straight to its protocol. A provider without `paths` sees every request
   * that no provider claimed, in the order the providers are listed.
   */
  paths?: string[];
  /** Its protocol, served through the engine's one pipeline; made once per emulator. */
  protocol(ctx: EngineContext): ProviderProtocol;
  /** Picks the requests that are its own among those on its `paths` (default: all of them). */
  claims?(head: { method: string; path: string; rawQuery: string; headers: Record<string, string | string[] | undefined> }): boolean;
}
