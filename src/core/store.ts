/**
 * The state store: the document in memory, changed only by transactions, and made durable through
 * a durability layer (durability.ts: a change log beside a data file, or memory only).
 *
 * - A change is a synchronous transaction (`mutate`): checks and changes run in one turn of the
 *   event loop; inserts and removals are staged, updates keep an undo snapshot, so a throw leaves
 *   nothing half-written.
 * - Its effect is one line handed to the layer. Concurrent transactions share one append (group
 *   commit); a caller waits only for the append that holds its own change, never for later ones.
 * - A change that cannot be made durable is not applied: when an append fails, its transactions and
 *   every one queued after it (which may have been built on them) are undone in memory, newest
 *   first, and their callers get a DurabilityError. The next append tries again: writes succeed
 *   once there is space, without a restart.
 * - When the log grows past a threshold (and at close, when it holds anything) the layer compacts:
 *   the whole document replaces the data file and the log is emptied.
 */
import { LowSync, type SyncAdapter } from 'lowdb';
import { ChangeLogFile } from './changelog.js';
import { asciiJson, type DocumentText, type Durability, type LogRecord, MemoryDurability } from './durability.js';
import { DurabilityError, EmulatorError } from './errors.js';
import type { FileSystem } from './fsio.js';
import { applyEdit, isWhole } from './edit.js';
import { documentPieces } from './serialize.js';
import { type CollectionDef, type Entry, type StateDoc, ensureArray } from './state.js';
import { type ReadView, Transaction, type Tx } from './transaction.js';

export type { ReadView, Tx } from './transaction.js';
export { asciiJson } from './durability.js';

export interface StoreOptions {
  /** The data file; undefined keeps the state in memory only. */
  file?: string;
  collections: CollectionDef[];
  /** Compact the document once the change log is larger than this (bytes). */
  compactBytes?: number;
  /** fdatasync each group commit: survives power loss, not only a process crash. */
  fsync?: boolean;
  /** The file-system calls of the change log (tests inject failures here). */
  fs?: FileSystem;
  /** A durability layer of the caller's own (instead of one made from `file`). */
  durability?: Durability;
  /** Progress of a large load or compaction (info), warnings and errors of the durability layer (a torn log tail cut off, a failed append or compaction). */
  log?: StoreLog;
  /** Loading or compacting a document of at least this many bytes says so as it goes (a few info lines). */
  progressBytes?: number;
  /** Checks the loaded state (data file + log) before anything is written; throws to refuse it. */
  check?: (doc: StateDoc) => void;
  /**
   * What `check` checks against (schemas, code), as one string. With it, a data file is marked as
   * checked under this version when it passes, and when the store writes it: the store trusts its
   * first document and its own transactions to keep the state valid (the same trust that lets it
   * skip checking each write). A start finding the file unchanged since, under the same version,
   * with an empty change log, skips `check`. An edited file, another version, a missing mark or
   * any replayed record: checked, as without it.
   */
  checkVersion?: string;
}

export type StoreLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Progress lines are written for documents from 8 MiB up: below that, loading and compacting take well under a second. */
export const PROGRESS_BYTES = 8 * 1024 * 1024;

/** The first document with its text already made (fixtures kept as text for reset), in pieces: it is written as it is. */
export class InitialDocument {
  constructor(
    readonly doc: StateDoc,
    readonly text: readonly string[],
  ) {}
}

interface Index {
  def: CollectionDef;
  array: Entry[];
  byId: Map<string, number>;
}

/** One entry a committed transaction put or removed, with what was there before (kept until durable). */
interface Applied {
  idx: Index;
  id: string;
  /** The entry before (undefined: there was none). */
  prior: Entry | undefined;
  /** Where `prior` was in its collection. */
  at: number;
  removed: boolean;
}

/** A committed transaction waiting for its append. */
interface Pending {
  line: string;
  tx: Transaction;
  applied: Applied[] | undefined;
  replaced: { doc: StateDoc; indexes: Map<string, Index> } | undefined;
  value: unknown;
  resolve: ((value: any) => void) | undefined;
  reject: ((err: Error) => void) | undefined;
}

/** What a commit changed: each entry put (with its id) or removed (entry undefined). */
export type CommitListener = (changes: ReadonlyArray<{ collection: string; id: string; entry: Entry | undefined }>, replaced: boolean) => void;

export class Store implements ReadView {
  /**
   * lowdb holds the document; its adapter writes it whole through the durability layer (a verified
   * temp file + fsync + rename, then the log is emptied), which is what a compaction is.
   */
  private readonly db: LowSync<StateDoc>;
  private readonly adapter: DurableDocument;

  private get document(): StateDoc {
    return this.db.data;
  }

  private set document(doc: StateDoc) {
    this.db.data = doc;
  }
  private readonly defs = new Map<string, CollectionDef>();
  private indexes = new Map<string, Index>();
  private readonly durability: Durability;
  /** Whether changes wait for an append (false in memory: nothing to wait for, nothing to undo). */
  private readonly persistent: boolean;
  private pending: Pending[] = [];
  private writing = false;
  private flushScheduled = false;
  private closed = false;
  /** The last append failed: the next success is reported once. */
  private failing = false;
  private idleWaiters: Array<() => void> = [];
  private readonly commitListeners = new Set<CommitListener>();
  private readonly compactBytes: number;
  /** Compact once the log is past this; moved on after a failed compaction, so a full disk is not retried on every write. */
  private compactAt: number;
  private readonly log: StoreLog;
  private readonly progressBytes: number;
  /** Counters for tests and the benchmark. */
  readonly stats = {
    appends: 0,
    compactions: 0,
    acknowledged: 0,
    failedAppends: 0,
    failedCompactions: 0,
    rolledBack: 0,
    reindexed: 0,
    loadChecks: 0,
    /** Log records holding a whole entry (inserts and puts), ... */
    entryRecords: 0,
    /** ... of them, entries changed in place yet written whole (their keys reordered: an edit cannot say so). */
    wholeUpdates: 0,
    /** Log records holding an edit of an entry changed in place (only what differs). */
    editRecords: 0,
  };

  private constructor(options: StoreOptions) {
    for (const def of options.collections) this.defs.set(def.path, def);
    this.compactBytes = options.compactBytes ?? 64 * 1024 * 1024;
    this.compactAt = this.compactBytes;
    this.log = options.log ?? (() => {});
    this.progressBytes = options.progressBytes ?? PROGRESS_BYTES;
    this.durability =
      options.durability ??
      (options.file ? new ChangeLogFile({ file: options.file, fsync: options.fsync, fs: options.fs, log: this.log, progressBytes: this.progressBytes, checkVersion: options.check ? options.checkVersion : undefined }) : new MemoryDurability());
    this.persistent = this.durability.persistent;
    this.adapter = new DurableDocument(this.durability, () => this.defs.keys(), this.log, this.progressBytes);
    this.db = new LowSync<StateDoc>(this.adapter, {});
  }

  /**
   * Opens the store. `initial` is called only when nothing is stored yet (or in memory) and gives
   * the first document. Throws EmulatorError for an unreadable, corrupt, invalid or locked file.
   */
  static open(options: StoreOptions, initial: () => StateDoc | InitialDocument): Store {
    const store = new Store(options);
    try {
      store.load(initial, options.check);
    } catch (err) {
      store.durability.close();
      throw err;
    }
    return store;
  }

  private load(initial: () => StateDoc | InitialDocument, check: ((doc: StateDoc) => void) | undefined): void {
    let replayed = 0;
    let line = 0;
    const existing = this.durability.load({
      document: (doc) => {
        this.document = doc;
        this.reindex();
      },
      record: (record) => {
        line++;
        try {
          this.applyRecord(record);
        } catch (err: any) {
          throw new EmulatorError(`change log record ${line} cannot be applied (${err.message}); fix or remove the change log`);
        }
        replayed++;
      },
    });
    this.flushReplayRemovals();
    if (existing && check) {
      if (replayed === 0 && this.durability.unchangedSinceChecked) {
        if (this.durability.documentBytes >= this.progressBytes) this.log('info', `state not checked again: the data file is unchanged since it was checked (${this.entryCount()} entries)`);
      } else {
        const started = performance.now();
        this.stats.loadChecks++;
        check(this.document);
        if (this.durability.documentBytes >= this.progressBytes) this.log('info', `state checked in ${Math.round(performance.now() - started)} ms: ${this.entryCount()} entries`);
        if (replayed === 0) this.durability.markChecked();
      }
    } else if (!existing) {
      const first = initial();
      this.document = first instanceof InitialDocument ? first.doc : first;
      this.reindex();
      this.durability.create(first instanceof InitialDocument ? first.text : this.pieces());
    }
    if (replayed > 0 && this.durability.logBytes > this.compactBytes / 4) this.compact();
  }

  /**
   * Replays one record. Removals wait in `replayRemovals` until a record of another kind (or the end)
   * needs them applied, so a log of k prunings replays in one pass per run of removals, not k.
   */
  private applyRecord(record: LogRecord): void {
    if ('d' in record) {
      const idx = this.index(record.p);
      let ids = this.replayRemovals.get(idx);
      if (!ids) this.replayRemovals.set(idx, (ids = new Set()));
      ids.add(record.id);
      return;
    }
    this.flushReplayRemovals();
    if ('doc' in record) {
      this.document = record.doc;
      this.reindex();
    } else if ('e' in record) {
      const entry = this.get(record.p, record.id);
      if (entry === undefined) throw new Error(`it edits ${record.id} in ${record.p}, which is not there`);
      applyEdit(entry, record.e);
    } else {
      this.putRaw(this.index(record.p), record.id, record.v);
    }
  }

  private readonly replayRemovals = new Map<Index, Set<string>>();

  private flushReplayRemovals(): void {
    for (const [idx, ids] of this.replayRemovals) this.removeMany(idx, ids, undefined);
    this.replayRemovals.clear();
  }

  /** The document as ASCII JSON, in pieces (see serialize.ts). */
  private pieces(): DocumentText {
    return documentPieces(this.document, this.defs.keys());
  }

  private entryCount(): number {
    let n = 0;
    for (const idx of this.indexes.values()) n += idx.array.length;
    return n;
  }

  /** The whole document as JSON text: a copy no caller can change the store through. */
  snapshot(): string {
    return JSON.stringify(this.document);
  }

  collection(path: string): CollectionDef | undefined {
    return this.defs.get(path);
  }

  collections(): CollectionDef[] {
    return [...this.defs.values()];
  }

  private reindex(): void {
    this.indexes = new Map();
    for (const def of this.defs.values()) {
      const array = ensureArray(this.document, def.path);
      const byId = new Map<string, number>();
      array.forEach((entry, i) => byId.set(String(entry[def.idField]), i));
      this.indexes.set(def.path, { def, array, byId });
    }
  }

  private index(collection: string): Index {
    const idx = this.indexes.get(collection);
    if (!idx) throw new Error(`unknown collection ${collection}`);
    return idx;
  }

  get(collection: string, id: string): Entry | undefined {
    const idx = this.index(collection);
    const i = idx.byId.get(id);
    return i === undefined ? undefined : idx.array[i];
  }

  list(collection: string): readonly Entry[] {
    return this.index(collection).array;
  }

  /** Puts `entry` under `id`; returns where it went and what was there. */
  private putRaw(idx: Index, id: string, entry: Entry): number {
    const i = idx.byId.get(id);
    if (i === undefined) {
      idx.byId.set(id, idx.array.length);
      idx.array.push(entry);
      return -1;
    }
    idx.array[i] = entry;
    return i;
  }

  /** Removes `id`; returns where it was (-1: it was not there). */
  private removeRaw(idx: Index, id: string): number {
    const i = idx.byId.get(id);
    if (i === undefined) return -1;
    idx.array.splice(i, 1);
    idx.byId.delete(id);
    for (let j = i; j < idx.array.length; j++) idx.byId.set(String(idx.array[j]![idx.def.idField]), j);
    return i;
  }

  /**
   * Removes every id in `ids` in one pass over the collection, then re-indexes what moved once. With
   * `applied`, records each removal (highest position first, so an undo walking the list backwards
   * puts them back lowest first, each at its old place).
   */
  private removeMany(idx: Index, ids: ReadonlySet<string>, applied: Applied[] | undefined): void {
    const removed: Applied[] = [];
    let from = Infinity;
    let w = 0;
    const array = idx.array;
    for (let r = 0; r < array.length; r++) {
      const entry = array[r]!;
      const id = String(entry[idx.def.idField]);
      if (ids.has(id) && idx.byId.get(id) === r) {
        if (from === Infinity) from = r;
        idx.byId.delete(id);
        removed.push({ idx, id, prior: entry, at: r, removed: true });
      } else {
        array[w++] = entry;
      }
    }
    if (from === Infinity) return;
    array.length = w;
    for (let j = from; j < w; j++) idx.byId.set(String(array[j]![idx.def.idField]), j);
    this.stats.reindexed += w - from;
    if (applied) for (let i = removed.length - 1; i >= 0; i--) applied.push(removed[i]!);
  }

  /** Puts `entry` back at `at` (undoing a removal), moving later entries up one. */
  private insertAt(idx: Index, at: number, entry: Entry): void {
    idx.array.splice(at, 0, entry);
    for (let j = at; j < idx.array.length; j++) idx.byId.set(String(idx.array[j]![idx.def.idField]), j);
  }

  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * Runs `fn` as one atomic transaction and resolves with its result once the change is durable.
   * If `fn` throws, nothing it staged is applied and the promise rejects with that error. If the
   * change cannot be made durable, it is undone and the promise rejects with a DurabilityError.
   */
  mutate<T>(fn: (tx: Tx) => T): Promise<T> {
    let result: T;
    let pending: Pending | undefined;
    try {
      ({ result, pending } = this.runTx(fn));
    } catch (err) {
      return Promise.reject(err);
    }
    if (pending === undefined) return Promise.resolve(result);
    return new Promise<T>((resolve, reject) => {
      pending.value = result;
      pending.resolve = resolve;
      pending.reject = reject;
      this.pending.push(pending);
      this.scheduleFlush();
    });
  }

  /**
   * The same transaction without waiting for durability (for settling due transitions on a read).
   * It follows the same rule: if its append fails, it is undone with everything queued after it.
   */
  mutateSync<T>(fn: (tx: Tx) => T): T {
    const { result, pending } = this.runTx(fn);
    if (pending !== undefined) {
      this.pending.push(pending);
      this.scheduleFlush();
    }
    return result;
  }

  private runTx<T>(fn: (tx: Tx) => T): { result: T; pending: Pending | undefined } {
    if (this.closed) throw new Error('store is closed');
    const tx = new Transaction(this);
    let result: T;
    try {
      result = fn(tx);
      tx.runBeforeCommit();
    } catch (err) {
      tx.restoreInPlace();
      throw err;
    }
    return { result, pending: this.commit(tx) };
  }

  /** Applies a finished transaction; nothing here throws for a well-formed one. Returns what waits for its append. */
  private commit(tx: Transaction): Pending | undefined {
    const persistent = this.persistent;
    const journal = tx.changes;
    let first: string | undefined;
    let more: string[] | undefined;
    const record = (text: string) => {
      if (first === undefined) first = text;
      else (more ??= []).push(text);
    };
    let replaced: Pending['replaced'];
    let applied: Applied[] | undefined;
    let removals: Map<Index, Set<string>> | undefined;
    const changes: Array<{ collection: string; id: string; entry: Entry | undefined }> = [];
    if (tx.replacement) {
      if (persistent) replaced = { doc: this.document, indexes: this.indexes };
      this.document = tx.replacement;
      this.reindex();
      if (persistent) record(asciiJson({ doc: tx.replacement }));
    }
    for (const [collection, m] of tx.staged) {
      const idx = this.index(collection);
      const head = persistent ? `{"p":${asciiJson(collection)},"id":` : '';
      for (const [id, s] of m) {
        if (s.kind === 'put') {
          const stored = this.get(collection, id);
          const before = tx.undo?.get(s.entry);
          const at = this.putRaw(idx, id, s.entry);
          if (persistent) (applied ??= []).push({ idx, id, prior: stored, at, removed: false });
          changes.push({ collection, id, entry: s.entry });
          if (!persistent && !journal) continue;
          if (stored === s.entry && tx.changedInPlace(s.entry)) {
            // Changed in place: write what differs (edit.ts: from the copy taken before, or from the paths written), not the entry.
            const edit = tx.editOf(s.entry, journal !== undefined);
            if (edit === undefined) continue;
            if (!isWhole(edit)) {
              const text = asciiJson(edit);
              this.stats.editRecords++;
              if (persistent) record(`${head}${asciiJson(id)},"e":${text}}`);
              journal?.push({ collection, id, kind: 'edited', text, edit });
              continue;
            }
          }
          const text = persistent ? asciiJson(s.entry) : undefined;
          if (persistent) {
            this.stats.entryRecords++;
            if (before !== undefined && stored === s.entry) this.stats.wholeUpdates++;
            record(`${head}${asciiJson(id)},"v":${text}}`);
          }
          if (journal) {
            if (stored === undefined) journal.push({ collection, id, kind: 'created' });
            else journal.push({ collection, id, kind: 'replaced', before: before ? JSON.stringify(before) : JSON.stringify(stored), after: text ?? JSON.stringify(s.entry) });
          }
        } else {
          journal?.push({ collection, id, kind: 'removed' });
          (removals ??= new Map()).set(idx, (removals.get(idx) ?? new Set()).add(id));
          if (persistent) record(asciiJson({ p: collection, id, d: 1 }));
          changes.push({ collection, id, entry: undefined });
        }
      }
    }
    // Removals last, one pass per collection: pruning k entries costs one walk, not k re-indexings.
    if (removals) for (const [idx, ids] of removals) this.removeMany(idx, ids, persistent ? (applied ??= []) : undefined);
    const changed = tx.replacement !== undefined || changes.length > 0;
    if (changed) for (const l of this.commitListeners) l(changes, tx.replacement !== undefined);
    if (!changed || !persistent) return undefined;
    // One line per transaction: a line is all of a transaction or none of it, even when torn. No
    // line when every update left its entry as it was: it still waits for the appends before it
    // (it may have read what they changed) and is undone with them.
    const line = first === undefined ? '' : more === undefined ? first : `[${first},${more.join(',')}]`;
    return { line, tx, applied, replaced, value: undefined, resolve: undefined, reject: undefined };
  }

  /** Undoes one committed transaction; the state must be exactly as it left it (later ones undone first). */
  private undo(p: Pending): void {
    const applied = p.applied ?? [];
    for (let i = applied.length - 1; i >= 0; i--) {
      const a = applied[i]!;
      if (!a.removed) {
        if (a.prior === undefined) this.removeRaw(a.idx, a.id);
        else a.idx.array[a.at] = a.prior;
      } else if (a.prior !== undefined) {
        this.insertAt(a.idx, a.at, a.prior);
      }
    }
    if (p.replaced) {
      this.document = p.replaced.doc;
      this.indexes = p.replaced.indexes;
    }
    p.tx.restoreInPlace();
  }

  /** @internal for Transaction */
  idFieldOf(collection: string): string {
    return this.index(collection).def.idField;
  }

  private scheduleFlush(): void {
    if (this.writing || this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate gathers every change made in this turn of the loop into one append.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.writing || this.pending.length === 0) {
      if (!this.writing && this.pending.length === 0) this.notifyIdle();
      return;
    }
    const batch = this.pending;
    this.pending = [];
    let text = '';
    for (const p of batch) if (p.line !== '') text += p.line + '\n';
    this.writing = true;
    if (text === '') return this.appended(batch, null);
    const data = Buffer.from(text, 'latin1'); // asciiJson: every character is one byte
    this.stats.appends++;
    this.durability.append(data, (err) => this.appended(batch, err));
  }

  private appended(batch: Pending[], err: Error | null): void {
    this.writing = false;
    if (err) {
      this.fail(batch, err);
    } else {
      if (this.failing) {
        this.failing = false;
        this.log('warn', 'the change log is writable again: changes are acknowledged as before');
      }
      for (const p of batch) {
        if (p.resolve) {
          this.stats.acknowledged++;
          p.resolve(p.value);
        }
      }
      if (this.pending.length === 0) this.compactIfDue();
    }
    if (this.pending.length > 0) this.flush();
    else this.notifyIdle();
  }

  /** An append failed: undo its transactions and every one queued after it, newest first; their callers get a DurabilityError. */
  private fail(batch: Pending[], cause: Error): void {
    const later = this.pending;
    this.pending = [];
    const all = later.length > 0 ? batch.concat(later) : batch;
    for (let i = all.length - 1; i >= 0; i--) this.undo(all[i]!);
    this.stats.failedAppends++;
    this.stats.rolledBack += all.length;
    if (!this.failing) {
      this.failing = true;
      this.log('error', `cannot write the change log (${cause.message}): the changes of this append are undone and answered as failed; reads go on, writes are tried again as they come`);
    }
    // Entries came back as they were: whoever tracks them (timed transitions) looks at all of them again.
    for (const l of this.commitListeners) l([], true);
    const error = new DurabilityError(`the change could not be made durable (${cause.message}); it was not applied`);
    for (const p of all) p.reject?.(error);
  }

  private compactIfDue(): void {
    if (this.durability.logBytes > this.compactAt) this.compact();
  }

  /**
   * Writes the whole document and empties the log. Runs only when no append is in flight or
   * queued, so the document holds exactly the durable changes. Never throws: a failure is logged
   * by the layer, the old data file and log are kept, and the next try waits for more log.
   */
  compact(): boolean {
    if (this.writing || this.pending.length > 0 || !this.persistent) return false;
    this.db.write();
    const ok = this.adapter.lastWriteOk;
    if (ok) {
      this.stats.compactions++;
      this.compactAt = this.compactBytes;
    } else {
      this.stats.failedCompactions++;
      this.compactAt = this.durability.logBytes + Math.max(1, Math.floor(this.compactBytes / 4));
    }
    return ok;
  }

  /** Resolves once every change made so far is durable (or undone). */
  whenIdle(): Promise<void> {
    if (!this.writing && this.pending.length === 0 && !this.flushScheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  /** Flushes what is pending, compacts the document if the log holds anything, and closes the layer. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.whenIdle();
    this.closed = true;
    if (this.durability.logBytes > 0) this.compact();
    this.durability.close();
  }

  /** Stops without compacting or waiting: what was acknowledged is in the log already. */
  abandon(): void {
    this.closed = true;
    this.durability.close();
  }
}

/**
 * The lowdb adapter of the store's document. Reading is the durability layer's load (the store calls
 * it itself: it replays the log too); writing is a compaction, whose outcome the store reads back.
 */
class DurableDocument implements SyncAdapter<StateDoc> {
  lastWriteOk = false;

  constructor(
    private readonly durability: Durability,
    private readonly collections: () => Iterable<string>,
    private readonly log: StoreLog,
    private readonly progressBytes: number,
  ) {}

  read(): StateDoc | null {
    return null;
  }

  write(doc: StateDoc): void {
    // The log's size stands for the work: the document is about as large as what it took to change it, or larger.
    const loud = this.durability.logBytes >= this.progressBytes || this.durability.documentBytes >= this.progressBytes;
    const started = performance.now();
    if (loud) this.log('info', `compacting: writing the whole state to the data file (change log ${mb(this.durability.logBytes)} MB)`);
    this.lastWriteOk = this.durability.compact(() => documentPieces(doc, this.collections()));
    if (loud && this.lastWriteOk) this.log('info', `compacted in ${Math.round(performance.now() - started)} ms: data file ${mb(this.durability.documentBytes)} MB, change log emptied`);
  }
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
