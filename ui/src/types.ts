/**
 * The control plane's answers the dashboard reads (see /_emulator/openapi.json): the same types the
 * typed client (src/client.ts) uses, from their one source, src/control-types.d.ts. A declaration
 * file imported with `import type`: the compiled page holds none of it, and pulls in nothing of Node.
 */
import type {
  ClockState,
  CompletedTransition,
  FaultRuleHeld,
  OperationCatalogue,
  RequestRecord,
  ResourcePage,
  ResourceRecord,
  SettingValues,
  TransitionDurations,
} from '../../src/control-types.js';

export type { ClockState, CompletedTransition };
export type Resource = ResourceRecord;
export type ResourcesPage = ResourcePage;
export type NextStep = NonNullable<ResourceRecord['next']>;
export type JournalEntry = RequestRecord;
export type Change = NonNullable<RequestRecord['changes']>[number];
export type FaultRule = FaultRuleHeld;
export type Operations = OperationCatalogue;
export type Durations = TransitionDurations;
export type Settings = SettingValues;
