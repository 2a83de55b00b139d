/** The control plane's answers the dashboard reads (see /_emulator/openapi.json). */

export interface ClockState {
  now: string;
  mode: 'system' | 'manual';
}

export interface NextStep {
  transition: string;
  due: string | null;
  dueAt: number | null;
  to?: Record<string, unknown>;
}

export interface Resource {
  provider: string;
  service: string;
  kind: string;
  id: string;
  name?: string;
  status: unknown;
  region?: string;
  next?: NextStep;
  view: Record<string, unknown>;
}

export interface ResourcesPage {
  now: string;
  total: number;
  offset: number;
  limit: number;
  resources: Resource[];
}

export interface Change {
  collection: string;
  id: string;
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface JournalEntry {
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
  params?: unknown;
  resources?: string[];
  reason?: string;
  unmatched?: boolean;
  changes?: Change[];
}

/** A transition step the emulator clock completed (GET /_emulator/transitions/completed). */
export interface CompletedTransition {
  seq: number;
  at: string;
  atMs: number;
  provider: string;
  collection: string;
  resource: string;
  transition: string;
  changes: Array<{ field: string; from?: unknown; to?: unknown }>;
  requestId?: string;
}

export interface FaultRule {
  id: string;
  fired: number;
  provider?: string;
  operation?: string;
  resourceId?: string;
  httpStatus?: number;
  code?: string;
  message?: string;
  latencyMs?: number;
  count?: number;
  probability?: number;
  throttle?: true;
  rateLimit?: { requests: number; windowMs: number };
  network?: string;
  transition?: string;
}

export interface Operations {
  providers: Array<{ name: string; services?: string[]; operations: Array<{ name: string; mutates: boolean; service?: string }> }>;
  faultKinds: string[];
  faultFields?: Record<string, string[]>;
}

export type Durations = Record<string, number | null>;
export type Settings = Record<string, boolean | number | string>;
