/** Everything a provider or the control plane works with, created once per emulator. */
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../config.js';
import type { ByteBudget } from './byte-budget.js';
import type { Clock } from './clock.js';
import type { Faults, OperationCatalogue } from './faults.js';
import type { Idempotency } from './idempotency.js';
import type { Journal } from './journal.js';
import type { CompletedTransitions } from './completed.js';
import type { StateDocuments } from './documents.js';
import type { Lifecycle } from './lifecycle.js';
import type { Pipeline } from './pipeline/engine.js';
import type { ProviderProtocol } from './pipeline/protocol.js';
import type { Schemas } from './schemas.js';
import type { Settings } from './settings.js';
import type { Store } from './store.js';
import type { Durations } from './transitions.js';
import type { EventBus } from './events.js';
import type { ResetOptions } from './reset.js';

export interface EngineContext {
  config: ResolvedConfig;
  store: Store;
  clock: Clock;
  lifecycle: Lifecycle;
  durations: Durations;
  settings: Settings;
  schemas: Schemas;
  idempotency: Idempotency;
  faults: Faults;
  journal: Journal;
  /** Transition steps the clock completed (GET /_emulator/transitions/completed), apart from the journal. */
  completed: CompletedTransitions;
  /** Serves every provider request, in one order of steps. */
  pipeline: Pipeline;
  /** Each provider's protocol, by provider name. */
  protocols: ReadonlyMap<string, ProviderProtocol>;
  logger: Logger;
  version: string;
  providers: string[];
  /** Each provider's operation names (what a fault rule may name). */
  operations: OperationCatalogue;
  /** Bytes of control-plane bodies held at once (at most config.controlBodyLimit). */
  controlBodies: ByteBudget;
  /** The state document service: normalize, seed, the starting state, reset. */
  documents: StateDocuments;
  /** Live events for GET /_emulator/events (nothing is serialized while no one listens). */
  events: EventBus;
  /** Back to the fixtures (or an empty state), and the clock, durations, settings, fault rules and journal as configured, but what `keep` names. Throws RangeError for bad options. */
  reset(options?: ResetOptions): Promise<void>;
}

/** A state document (or a part of it) that cannot be accepted; `errors` say where and why. */
export class SeedError extends Error {
  constructor(readonly errors: Array<{ path: string; message: string }>) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'SeedError';
  }
}
