/**
 * The control plane's answers and inputs, as types only: the one source both the typed client
 * (src/client.ts, which re-exports them) and the dashboard (ui/src/types.ts) use. A declaration
 * file, so the dashboard's build takes the types and no code: nothing of it reaches the browser, and
 * the browser build pulls in nothing of Node. The build copies it next to dist/client.d.ts (and
 * dist/cjs/client.d.ts), which import it.
 */
export type ClockMode = 'system' | 'manual';
export interface ClockState {
  now: string;
  mode: ClockMode;
}
export interface SettleResult {
  /** Steps applied. */
  settled: number;
  /** Pending steps that never come due (a `never` duration): settling cannot finish them. */
  never: number;
}
export interface PendingTransition {
  provider: string;
  collection: string;
  resource: string;
  step: number;
  steps: number;
  transition: string;
  from?: Record<string, unknown>;
  to?: Record<string, unknown>;
  due: string | null;
  dueAt: number | null;
}
/** A transition step the emulator clock completed (GET /_emulator/transitions/completed). */
export interface CompletedTransition {
  /** Its place in the record (restarts at 1 after a reset). */
  seq: number;
  /** When it completed on the emulator clock (the step's due time), ISO and ms. */
  at: string;
  atMs: number;
  provider: string;
  collection: string;
  /** The provider-native id. */
  resource: string;
  /** The provider's named step, or "set" for a step that only sets fields. */
  transition: string;
  /** What changed in the resource: field (dotted path), value before and after. */
  changes: Array<{ field: string; from?: unknown; to?: unknown }>;
  /** The journal id of the request that scheduled the step (or began its chain), when a request did. */
  requestId?: string;
}
export interface FaultRuleInput {
  id?: string;
  provider?: string;
  operation?: string;
  resourceId?: string;
  httpStatus?: number;
  code?: string;
  message?: string;
  latencyMs?: number;
  count?: number;
  probability?: number;
  /** One kind per rule besides an error or a latency (README, "Testing failures"). */
  throttle?: true;
  rateLimit?: { requests: number; windowMs: number };
  network?: 'reset' | 'empty' | 'partial' | 'slow';
  transition?: 'fail' | 'stuck';
}
export type FaultRuleHeld = FaultRuleInput & { id: string; fired: number };
export interface RequestRecord {
  id: string;
  at: string;
  method: string;
  path: string;
  provider?: string;
  operation?: string;
  status?: number;
  errorCode?: string;
  durationMs?: number;
  clientRequestId?: string;
  /** Decoded params or body, credentials redacted. */
  params?: unknown;
  resources?: string[];
  reason?: string;
  unmatched?: boolean;
  changes?: Array<{ collection: string; id: string; field: string; from?: unknown; to?: unknown }>;
}
/** The journal's filters (an unknown one is a 400). */
export interface RequestFilter {
  provider?: string;
  operation?: string;
  resourceId?: string;
  status?: number;
  errorCode?: string;
  /** ISO 8601 or ms on the emulator clock. */
  since?: string | number;
  unmatched?: boolean;
}
export interface Health {
  status: 'ok';
  version: string;
  providers: string[];
  now: string;
}
export type ResettablePart = 'clock' | 'transitions' | 'settings' | 'faults' | 'requests';
export interface ClientResetOptions {
  empty?: boolean;
  keep?: ResettablePart[];
}
/** Durations in ms (null = never); a change may also be given as the flag takes it: "5s", "1m", "never". */
export type TransitionDurations = Record<string, number | null>;
export type SettingValues = Record<string, boolean | number | string>;
export type StateDocument = Record<string, any>;

/** A resource as the dashboard lists it (GET /_emulator/resources). */
export interface ResourceRecord {
  provider: string;
  /** The provider's product, e.g. "eci", "ens", "ece", "koophone". */
  service: string;
  /** e.g. "containerGroup", "instance", "deployment", "phone-instance". */
  kind: string;
  /** The provider-native id. */
  id: string;
  name?: string;
  /** The provider's own status word or code, as its describe call shows it. */
  status: string | number;
  region?: string;
  /** Its earliest pending transition step; `due`/`dueAt` null when it never comes due. */
  next?: { transition: string; due: string | null; dueAt: number | null; to?: Record<string, unknown> };
  /** The public view, exactly as the provider's describe/get call returns it. */
  view: Record<string, any>;
}
export interface ResourcePage {
  /** The emulator clock. */
  now: string;
  total: number;
  offset: number;
  limit: number;
  resources: ResourceRecord[];
}


/** The kinds of fault rule (one per rule). */
export type FaultKind = 'error' | 'latency' | 'throttle' | 'rateLimit' | 'network' | 'transition';
/** GET /_emulator/operations: what a fault rule (and the journal) may name, per enabled provider. */
export interface OperationCatalogue {
  providers: Array<{
    name: string;
    /** Its products, e.g. ["eci", "ens"]. */
    services: string[];
    operations: Array<{ name: string; mutates: boolean; service?: string }>;
  }>;
  faultKinds: FaultKind[];
  /** Per kind: the fields that make a rule that kind, and those it may add. */
  faultFields: Record<FaultKind, string[]>;
  /** Fields every kind of rule takes (id, provider, operation, resourceId, count, probability). */
  faultCommonFields: string[];
}
