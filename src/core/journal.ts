/**
 * The request journal: what each request sent (decoded, credentials redacted), what the emulator made
 * of it (provider, operation, resources, status, error code, the reason in plain words) and what it
 * changed (resource, field, from → to). Bounded by count and by bytes: the oldest go first.
 */
import { diffEntries, editChanges, type FieldChange } from './diff.js';
import type { Edit } from './edit.js';
import type { Json } from './state.js';
import { BoundedLog } from './bounded-log.js';
import { Listeners } from './listeners.js';

/**
 * A change to one entry, as the commit recorded it: nothing is copied or written as text for the
 * journal that the change log did not need already, and field changes are made only when someone
 * asks. An entry changed in place keeps its edit (what the log wrote) and the values it replaced.
 */
export type EntryChange = { collection: string; id: string } & (
  | { kind: 'created' }
  | { kind: 'removed' }
  /** Put whole over another entry: the JSON of both. */
  | { kind: 'replaced'; before: string; after: string }
  /** Changed in place: its edit as written (JSON) and as made (holding the values it replaced; edit.ts). */
  | { kind: 'edited'; text: string; edit: Edit }
);

export interface JournalRecord {
  id: string;
  /** The id the client sent with the request (x-request-id and the like), when it sent one. */
  clientRequestId?: string;
  /** When it was served (ISO 8601); left out, the instant `add` was given, printed when the entry is shown. */
  at?: string;
  method: string;
  path: string;
  provider?: string;
  operation?: string;
  /** The decoded params or body, credentials and signatures redacted. */
  params?: Json;
  /** The resource ids the request named. */
  resources?: string[];
  status?: number;
  errorCode?: string;
  /** Why the emulator answered as it did, in plain words (errors mostly). */
  reason?: string;
  /** The request named an operation the emulator does not emulate. */
  unmatched?: boolean;
  durationMs?: number;
  /** Entries the request changed (the JSON texts); shown as field changes. */
  entryChanges?: EntryChange[];
}

export interface JournalEntry extends Omit<JournalRecord, 'entryChanges' | 'at'> {
  at: string;
  changes?: FieldChange[];
}

export interface JournalFilter {
  provider?: string;
  operation?: string;
  resourceId?: string;
  status?: number;
  errorCode?: string;
  /** ms on the emulator clock: entries at or after it. */
  since?: number;
  unmatched?: boolean;
  limit?: number;
}

/** The query filters GET /_emulator/requests accepts (anything else is refused). */
export const JOURNAL_FILTERS = ['provider', 'operation', 'resourceId', 'status', 'errorCode', 'since', 'unmatched', 'limit'] as const;

/** Default byte budget: the journal never holds more than this of recorded text. */
export const DEFAULT_JOURNAL_BYTES = 32 * 1024 * 1024;

export class Journal {
  private readonly log: BoundedLog<{ record: JournalRecord; atMs: number }>;

  constructor(capacity: number, maxBytes: number = DEFAULT_JOURNAL_BYTES) {
    this.log = new BoundedLog(capacity, maxBytes);
  }

  /** How many entries and bytes are held (for tests and the health of a long run). */
  get size(): { entries: number; bytes: number } {
    return this.log.size;
  }

  /** Told of each entry kept, as a thunk: presenting it (its changes as fields) costs only a listener that asks. */
  private readonly listeners = new Listeners<[entry: () => JournalEntry]>();

  onAdd(listener: (entry: () => JournalEntry) => void): () => void {
    return this.listeners.add(listener);
  }

  add(record: JournalRecord, atMs: number): void {
    if (!this.log.keeps) return; // nothing sized (the params' JSON) when nothing is kept
    if (this.log.add({ record, atMs }, sizeOf(record))) this.listeners.notify(() => present(record, atMs));
  }

  private *matching(filter: JournalFilter): Generator<{ record: JournalRecord; atMs: number }> {
    for (const e of this.log) {
      const r = e.record;
      if (filter.provider !== undefined && r.provider !== filter.provider) continue;
      if (filter.operation !== undefined && r.operation !== filter.operation) continue;
      if (filter.resourceId !== undefined && !(r.resources ?? []).includes(filter.resourceId)) continue;
      if (filter.status !== undefined && r.status !== filter.status) continue;
      if (filter.errorCode !== undefined && r.errorCode !== filter.errorCode) continue;
      if (filter.since !== undefined && e.atMs < filter.since) continue;
      if (filter.unmatched !== undefined && (r.unmatched === true) !== filter.unmatched) continue;
      yield e;
    }
  }

  /** The matching entries, oldest first (the last `limit` of them), with their changes as fields. */
  query(filter: JournalFilter = {}): JournalEntry[] {
    const all = [...this.matching(filter)];
    const picked = filter.limit !== undefined ? all.slice(Math.max(0, all.length - filter.limit)) : all;
    return picked.map((e) => present(e.record, e.atMs));
  }

  count(filter: JournalFilter = {}): number {
    let n = 0;
    for (const _ of this.matching(filter)) n++;
    return n;
  }

  clear(): void {
    this.log.clear();
  }
}

/** An entry as shown; its time is printed here, not per request (most entries are never shown). */
function present(record: JournalRecord, atMs: number): JournalEntry {
  const { entryChanges, ...rest } = record;
  const shown = { ...rest, at: record.at ?? new Date(atMs).toISOString() };
  if (!entryChanges || entryChanges.length === 0) return shown;
  return { ...shown, changes: entryChanges.flatMap(fieldChanges) };
}

/** A recorded change as field changes (what a journal entry and a completed transition show). */
export function fieldChanges(c: EntryChange): FieldChange[] {
  switch (c.kind) {
    case 'created':
      return [{ collection: c.collection, id: c.id, field: '', to: 'created' }];
    case 'removed':
      return [{ collection: c.collection, id: c.id, field: '', from: 'removed' }];
    case 'replaced':
      return diffEntries(c.collection, c.id, c.before, c.after);
    case 'edited':
      return editChanges(c.collection, c.id, c.edit, c.text);
  }
}

/** What an entry costs the journal: its texts, roughly (the changes' JSON dominates). */
function sizeOf(record: JournalRecord): number {
  let n = 256 + record.path.length + (record.reason?.length ?? 0);
  if (record.params !== undefined) n += JSON.stringify(record.params).length;
  return n + changeBytes(record.entryChanges ?? []);
}

/** What recorded changes cost a record, roughly: their texts (an edit holds about as much of what it replaced as it writes). */
export function changeBytes(changes: readonly EntryChange[]): number {
  let n = 0;
  for (const c of changes) n += c.id.length + 32 + (c.kind === 'replaced' ? c.before.length + c.after.length : c.kind === 'edited' ? 2 * c.text.length : 0);
  return n;
}
