/**
 * The durability layer behind the store: where the state lives between runs. The store keeps the
 * document in memory and runs transactions over it; a layer loads what was stored, appends each
 * group commit, compacts, and closes. Two layers exist: a change log beside a data file
 * (changelog.ts) and memory only (below).
 */
import type { Edit } from './edit.js';
import type { StateDoc, Entry } from './state.js';

/**
 * One line of the change log. A transaction that changed one entry is one record; a transaction
 * that changed several is one line holding their array, so a line is all of a transaction or none.
 * A record puts a whole entry (`v`), edits one in place (`e`: only what changed, edit.ts; logs
 * written before edits existed hold `v` records only, and load as they did), removes one (`d`), or
 * replaces the whole document (`doc`).
 */
export type LogRecord = { p: string; id: string; v: Entry } | { p: string; id: string; e: Edit } | { p: string; id: string; d: 1 } | { doc: StateDoc };

/**
 * A document as ASCII JSON text (one byte per character), in pieces written one after the other
 * (serialize.ts), so a large document is never one string.
 */
export type DocumentText = Iterable<string>;

/** What loading calls back with: the stored document first, then each logged record in order. */
export interface LoadSink {
  document(doc: StateDoc): void;
  record(record: LogRecord): void;
}

export interface Durability {
  /** False for memory only: the store then acknowledges a change without waiting for an append. */
  readonly persistent: boolean;
  /** Bytes appended since the last compaction (the store compacts past its threshold). */
  readonly logBytes: number;
  /** The size of the stored document as last read or written (0 when none is stored). */
  readonly documentBytes: number;
  /**
   * Reads the stored state into `sink`; returns false when nothing is stored yet (the store then
   * calls `create` with its first document). Throws EmulatorError for anything it cannot accept.
   */
  load(sink: LoadSink): boolean;
  /** Stores a first document (a new data file), written whole from its pieces of ASCII JSON text. */
  create(document: DocumentText): void;
  /**
   * Appends one group commit (complete lines, each ending in '\n'). `done` runs once the data is
   * durable, or with the error; after an error nothing of `data` is left behind. `done` may run
   * before `append` returns.
   */
  append(data: Buffer, done: (err: Error | null) => void): void;
  /** Replaces the stored document with the text `document` gives and empties the log; false (error logged) when it could not. Never throws. */
  compact(document: () => DocumentText): boolean;
  /**
   * The stored document is, byte for byte, one this layer wrote (or was told was checked) under the
   * store's check version (a mark beside it says so: see changelog.ts): a start that replays
   * nothing onto it may skip checking it. Known once `load` has returned.
   */
  readonly unchangedSinceChecked: boolean;
  /** The document just loaded passed the check (with nothing replayed onto it): remember it, so the next start need not check it again. Never throws. */
  markChecked(): void;
  /** Releases what the layer holds (files, lock). */
  close(): void;
}

/** Memory only: nothing is stored, nothing is loaded, and every append has already succeeded. */
export class MemoryDurability implements Durability {
  readonly persistent = false;
  readonly logBytes = 0;
  readonly documentBytes = 0;
  load(): boolean {
    return false;
  }
  create(): void {}
  append(_data: Buffer, done: (err: Error | null) => void): void {
    done(null);
  }
  compact(): boolean {
    return true;
  }
  readonly unchangedSinceChecked = false;
  markChecked(): void {}
  close(): void {}
}

/** Runs of non-ASCII characters: a value in another script is a few runs, not one call per character. */
const NON_ASCII = /[\u0080-\uffff]+/g;

/**
 * JSON with every non-ASCII character escaped. The file then decodes as one-byte text, which
 * Node reads and parses several times faster than text holding a single wide character, and its
 * length in characters is its length in bytes.
 */
export function asciiJson(value: unknown): string {
  const text = JSON.stringify(value);
  // byteLength is a native scan, several times faster than a regular expression over long text.
  return Buffer.byteLength(text) === text.length ? text : text.replace(NON_ASCII, escapeRun);
}

/** Escaped runs seen so far (the same region and status names recur on every entry); at most ESCAPE_CACHE of them. */
const escapes = new Map<string, string>();
const ESCAPE_CACHE = 4096;

function escapeRun(run: string): string {
  let e = escapes.get(run);
  if (e === undefined) {
    e = '';
    for (let i = 0; i < run.length; i++) e += `\\u${run.charCodeAt(i).toString(16).padStart(4, '0')}`;
    if (escapes.size < ESCAPE_CACHE && run.length <= 64) escapes.set(run, e);
  }
  return e;
}
