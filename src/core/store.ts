/**
 * The state store: lowdb holds the document, and every change is made durable before it is
 * acknowledged without rewriting the whole document per request.
 *
 * - A change is a synchronous transaction (`mutate`): checks and changes run in one turn of the
 *   event loop; inserts and removals are staged, updates keep an undo snapshot, so a throw leaves
 *   nothing half-written.
 * - Its effect is appended to a change log next to the data file, one JSON line per changed entry.
 *   Concurrent transactions share one append (group commit); a caller waits only for the append that
 *   holds its own change, never for later ones.
 * - When the log grows past a threshold (and at close) the document is compacted: lowdb writes it
 *   whole through an adapter that writes a temp file and renames it, then the log is emptied. The data
 *   file is therefore always a complete, parseable document, and document + log is the state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LowSync, MemorySync, type SyncAdapter } from 'lowdb';
import { EmulatorError } from './errors.js';
import { type CollectionDef, type Entry, type StateDoc, ensureArray } from './state.js';

/** lowdb adapter: reads a JSON document, writes it atomically (temp file + fsync + rename). */
export class AtomicJsonFile implements SyncAdapter<StateDoc> {
  constructor(readonly file: string) {}

  read(): StateDoc | null {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err: any) {
      if (err.code === 'ENOENT') return null;
      throw new EmulatorError(`cannot read data file ${this.file}: ${err.message}`);
    }
    try {
      const doc = JSON.parse(text);
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not a JSON object');
      return doc;
    } catch (err: any) {
      throw new EmulatorError(`data file ${this.file} is corrupt (${err.message}); fix or remove it`);
    }
  }

  write(doc: StateDoc): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, asciiJson(doc));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}

const NON_ASCII = /[\u0080-\uffff]/g;

/**
 * JSON with every non-ASCII character escaped. The file then decodes as one-byte text, which
 * Node reads and parses several times faster than text holding a single wide character.
 */
export function asciiJson(value: unknown): string {
  const text = JSON.stringify(value);
  // byteLength is a native scan, several times faster than a regular expression over long text.
  return Buffer.byteLength(text) === text.length ? text : text.replace(NON_ASCII, escapeChar);
}

const escapes = new Map<string, string>();
function escapeChar(c: string): string {
  let e = escapes.get(c);
  if (e === undefined) {
    e = `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    if (escapes.size < 4096) escapes.set(c, e);
  }
  return e;
}

type LogRecord = { p: string; id: string; v: Entry } | { p: string; id: string; d: 1 } | { doc: StateDoc };

export interface StoreOptions {
  /** The data file; undefined keeps the state in memory only. */
  file?: string;
  collections: CollectionDef[];
  /** Compact the document once the change log is larger than this (bytes). */
  compactBytes?: number;
  /** fdatasync each group commit: survives power loss, not only a process crash. */
  fsync?: boolean;
}

export interface ReadView {
  get(collection: string, id: string): Entry | undefined;
  list(collection: string): readonly Entry[];
}

/** What a transaction may do. Entries returned by get/list are live: change them only via update (outside a transaction, never). */
export interface Tx extends ReadView {
  readonly doc: StateDoc;
  /** Runs `change` on the entry (undone if the transaction throws) and stages it; returns it. Throws if it is missing. */
  update(collection: string, id: string, change: (draft: Entry) => void): Entry;
  insert(collection: string, entry: Entry): Entry;
  /** Inserts or replaces by id. */
  put(collection: string, entry: Entry): Entry;
  remove(collection: string, id: string): boolean;
  /** Replaces the whole document (reset, PUT state). */
  replaceDoc(doc: StateDoc): void;
  /** Runs once `fn` has returned, still inside the transaction (a throw rolls everything back). */
  beforeCommit(fn: () => void): void;
}

interface Index {
  def: CollectionDef;
  array: Entry[];
  byId: Map<string, number>;
}

type Staged = { kind: 'put'; entry: Entry } | { kind: 'del' };

export type CommitListener = (changes: ReadonlyArray<{ collection: string; entry: Entry | undefined }>, replaced: boolean) => void;

export class Store implements ReadView {
  private readonly db: LowSync<StateDoc>;
  private readonly defs = new Map<string, CollectionDef>();
  private indexes = new Map<string, Index>();
  private readonly logFile?: string;
  private logFd?: number;
  private logBytes = 0;
  private pending: string[] = [];
  private pendingWaiters: Array<() => void> = [];
  private pendingFailures: Array<(err: Error) => void> = [];
  private writing = false;
  private flushScheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly commitListeners = new Set<CommitListener>();
  private readonly compactBytes: number;
  private readonly fsyncEach: boolean;
  /** Counters for tests and the benchmark: appends to the change log, compactions, changes. */
  readonly stats = { appends: 0, compactions: 0, acknowledged: 0 };

  private constructor(private readonly options: StoreOptions) {
    for (const def of options.collections) this.defs.set(def.path, def);
    this.compactBytes = options.compactBytes ?? 64 * 1024 * 1024;
    this.fsyncEach = options.fsync ?? false;
    if (options.file) {
      this.db = new LowSync<StateDoc>(new AtomicJsonFile(options.file), {});
      this.logFile = `${options.file}.log`;
    } else {
      this.db = new LowSync<StateDoc>(new MemorySync<StateDoc>(), {});
    }
  }

  /**
   * Opens the store. `initial` is called only when there is no data file yet (or in memory) and
   * gives the first document. Throws EmulatorError for an unreadable or corrupt file.
   */
  static open(options: StoreOptions, initial: () => StateDoc): Store {
    const store = new Store(options);
    store.load(initial);
    return store;
  }

  private load(initial: () => StateDoc): void {
    if (this.options.file) fs.mkdirSync(path.dirname(path.resolve(this.options.file)), { recursive: true });
    this.db.read();
    const existing = this.options.file !== undefined && this.db.data !== null && fs.existsSync(this.options.file);
    if (!existing) this.db.data = initial();
    this.reindex();
    if (!this.logFile) return;
    // A log without its document (the document was deleted by hand) describes nothing that exists.
    if (!existing) fs.rmSync(this.logFile, { force: true });
    const replayed = this.replayLog();
    if (!existing) this.db.write();
    this.logFd = fs.openSync(this.logFile, 'a');
    this.logBytes = fs.fstatSync(this.logFd).size;
    if (replayed > 0 && this.logBytes > this.compactBytes / 4) this.compact();
  }

  /** Applies the change log left by the last run; a torn last line (a crash mid-append) is dropped. */
  private replayLog(): number {
    let text: string;
    try {
      text = fs.readFileSync(this.logFile!, 'utf8');
    } catch (err: any) {
      if (err.code === 'ENOENT') return 0;
      throw new EmulatorError(`cannot read change log ${this.logFile}: ${err.message}`);
    }
    const lines = text.split('\n');
    let applied = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      let record: LogRecord;
      try {
        record = JSON.parse(line);
      } catch {
        if (i >= lines.length - 2) break;
        throw new EmulatorError(`change log ${this.logFile} is corrupt at line ${i + 1}; fix or remove it`);
      }
      this.applyRecord(record);
      applied++;
    }
    return applied;
  }

  private applyRecord(record: LogRecord): void {
    if ('doc' in record) {
      this.db.data = record.doc;
      this.reindex();
    } else if ('d' in record) {
      this.removeRaw(record.p, record.id);
    } else {
      this.putRaw(record.p, record.v);
    }
  }

  get doc(): StateDoc {
    return this.db.data;
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
      const array = ensureArray(this.db.data, def.path);
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

  private putRaw(collection: string, entry: Entry): void {
    const idx = this.index(collection);
    const id = String(entry[idx.def.idField]);
    const i = idx.byId.get(id);
    if (i === undefined) {
      idx.byId.set(id, idx.array.length);
      idx.array.push(entry);
    } else {
      idx.array[i] = entry;
    }
  }

  private removeRaw(collection: string, id: string): boolean {
    const idx = this.index(collection);
    const i = idx.byId.get(id);
    if (i === undefined) return false;
    idx.array.splice(i, 1);
    idx.byId.delete(id);
    for (let j = i; j < idx.array.length; j++) idx.byId.set(String(idx.array[j]![idx.def.idField]), j);
    return true;
  }

  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /**
   * Runs `fn` as one atomic transaction and resolves with its result once the change is durable.
   * If `fn` throws, nothing it staged is applied and the promise rejects with that error.
   */
  mutate<T>(fn: (tx: Tx) => T): Promise<T> {
    let result: T;
    let records: string[];
    try {
      ({ result, records } = this.runTx(fn));
    } catch (err) {
      return Promise.reject(err);
    }
    if (records.length === 0 || !this.logFile) return Promise.resolve(result);
    return new Promise<T>((resolve, reject) => {
      this.pending.push(...records);
      this.pendingWaiters.push(() => resolve(result));
      this.pendingFailures.push(reject);
      this.scheduleFlush();
    });
  }

  /** The same transaction without waiting for durability (for settling due transitions on a read). */
  mutateSync<T>(fn: (tx: Tx) => T): T {
    const { result, records } = this.runTx(fn);
    if (records.length > 0 && this.logFile) {
      this.pending.push(...records);
      this.scheduleFlush();
    }
    return result;
  }

  private runTx<T>(fn: (tx: Tx) => T): { result: T; records: string[] } {
    if (this.closed) throw new Error('store is closed');
    const tx = new Transaction(this);
    let result: T;
    try {
      result = fn(tx);
      tx.runBeforeCommit();
    } catch (err) {
      tx.rollback();
      throw err;
    }
    return { result, records: this.commit(tx) };
  }

  /** Applies a finished transaction; nothing here throws for a well-formed one. */
  private commit(tx: Transaction): string[] {
    const records: string[] = [];
    const changes: Array<{ collection: string; entry: Entry | undefined }> = [];
    const logging = this.logFile !== undefined;
    if (tx.replacement) {
      this.db.data = tx.replacement;
      this.reindex();
      if (logging) records.push(asciiJson({ doc: tx.replacement }));
    }
    for (const [collection, m] of tx.staged) {
      for (const [id, s] of m) {
        if (s.kind === 'put') {
          this.putRaw(collection, s.entry);
          if (logging) records.push(asciiJson({ p: collection, id, v: s.entry }));
          changes.push({ collection, entry: s.entry });
        } else {
          this.removeRaw(collection, id);
          if (logging) records.push(asciiJson({ p: collection, id, d: 1 }));
          changes.push({ collection, entry: undefined });
        }
      }
    }
    const changed = tx.replacement !== undefined || changes.length > 0;
    if (changed) for (const l of this.commitListeners) l(changes, tx.replacement !== undefined);
    return changed ? records : [];
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
    if (this.writing || this.pending.length === 0 || this.logFd === undefined) {
      if (!this.writing && this.pending.length === 0) this.notifyIdle();
      return;
    }
    const data = Buffer.from(this.pending.join('\n') + '\n');
    const waiters = this.pendingWaiters;
    const failures = this.pendingFailures;
    this.pending = [];
    this.pendingWaiters = [];
    this.pendingFailures = [];
    this.writing = true;
    this.stats.appends++;
    this.stats.acknowledged += waiters.length;
    const done = (err: NodeJS.ErrnoException | null) => {
      this.writing = false;
      if (err) {
        const e = new Error(`cannot write change log: ${err.message}`);
        for (const f of failures) f(e);
      } else {
        this.logBytes += data.length;
        for (const w of waiters) w();
      }
      if (this.logBytes > this.compactBytes && this.pending.length === 0) this.compact();
      if (this.pending.length > 0) this.flush();
      else this.notifyIdle();
    };
    if (!this.fsyncEach) {
      // A write to the page cache takes microseconds: doing it here, once per turn of the loop for
      // every change made in that turn, costs less than a round trip through libuv's thread pool.
      let error: NodeJS.ErrnoException | null = null;
      try {
        let off = 0;
        while (off < data.length) off += fs.writeSync(this.logFd, data, off);
      } catch (err: any) {
        error = err;
      }
      return done(error);
    }
    writeAll(this.logFd, data, 0, (err) => {
      if (err) return done(err);
      fs.fdatasync(this.logFd!, done);
    });
  }

  /**
   * Writes the whole document through lowdb (atomic temp + rename) and empties the log. Runs only
   * when no append is in flight, so every change in the document is either in the new file or in
   * what is still pending, and pending changes are then durable too.
   */
  compact(): void {
    if (!this.logFile || this.logFd === undefined || this.writing) return;
    this.db.write();
    fs.ftruncateSync(this.logFd, 0);
    this.stats.compactions++;
    this.logBytes = 0;
    const waiters = this.pendingWaiters;
    this.pending = [];
    this.pendingWaiters = [];
    this.pendingFailures = [];
    for (const w of waiters) w();
  }

  /** Resolves once every change made so far is durable. */
  whenIdle(): Promise<void> {
    if (!this.writing && this.pending.length === 0 && !this.flushScheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  /** Flushes what is pending, compacts the document and closes the log. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.whenIdle();
    this.closed = true;
    if (this.logFd !== undefined) {
      this.compact();
      fs.closeSync(this.logFd);
      this.logFd = undefined;
    }
  }

  /** Stops without compacting or waiting: what was acknowledged is in the log already. */
  abandon(): void {
    this.closed = true;
    if (this.logFd !== undefined) {
      fs.closeSync(this.logFd);
      this.logFd = undefined;
    }
  }
}

/** One transaction's staged changes; its methods are the Tx interface. */
class Transaction implements Tx {
  readonly staged = new Map<string, Map<string, Staged>>();
  replacement: StateDoc | undefined;
  private before: Array<() => void> | undefined;
  /** Live entries changed in place, with their JSON before the change, to put back on a throw. */
  private undo: Map<Entry, string> | undefined;

  constructor(private readonly store: Store) {}

  get doc(): StateDoc {
    return this.store.doc;
  }

  private stage(collection: string, id: string, s: Staged): void {
    let m = this.staged.get(collection);
    if (!m) this.staged.set(collection, (m = new Map()));
    m.set(id, s);
  }

  get(collection: string, id: string): Entry | undefined {
    const s = this.staged.get(collection)?.get(id);
    if (s) return s.kind === 'put' ? s.entry : undefined;
    return this.store.get(collection, id);
  }

  list(collection: string): readonly Entry[] {
    const m = this.staged.get(collection);
    const base = this.store.list(collection);
    if (!m) return base;
    const idField = this.store.idFieldOf(collection);
    const out: Entry[] = [];
    for (const e of base) {
      const s = m.get(String(e[idField]));
      if (!s) out.push(e);
      else if (s.kind === 'put') out.push(s.entry);
    }
    for (const [id, s] of m) if (s.kind === 'put' && this.store.get(collection, id) === undefined) out.push(s.entry);
    return out;
  }

  update(collection: string, id: string, change: (draft: Entry) => void): Entry {
    const current = this.get(collection, id);
    if (!current) throw new Error(`no entry ${id} in ${collection}`);
    if (current === this.store.get(collection, id)) {
      // Changed in place, with a snapshot to put back if the transaction throws: the snapshot
      // dies young, where a replacement copy would churn the old generation of a large store. It is
      // JSON text because stringify costs a third of structuredClone, and a rollback is rare.
      this.undo ??= new Map();
      if (!this.undo.has(current)) this.undo.set(current, JSON.stringify(current));
    }
    change(current);
    this.stage(collection, id, { kind: 'put', entry: current });
    return current;
  }

  insert(collection: string, entry: Entry): Entry {
    const id = String(entry[this.store.idFieldOf(collection)]);
    if (this.get(collection, id)) throw new Error(`duplicate id ${id} in ${collection}`);
    this.stage(collection, id, { kind: 'put', entry });
    return entry;
  }

  put(collection: string, entry: Entry): Entry {
    this.stage(collection, String(entry[this.store.idFieldOf(collection)]), { kind: 'put', entry });
    return entry;
  }

  remove(collection: string, id: string): boolean {
    if (!this.get(collection, id)) return false;
    this.stage(collection, id, { kind: 'del' });
    return true;
  }

  replaceDoc(doc: StateDoc): void {
    this.replacement = doc;
    this.staged.clear();
  }

  beforeCommit(fn: () => void): void {
    (this.before ??= []).push(fn);
  }

  /** Runs the before-commit work, which may add more of its own. */
  runBeforeCommit(): void {
    for (let i = 0; this.before && i < this.before.length; i++) this.before[i]!();
  }

  rollback(): void {
    if (!this.undo) return;
    for (const [live, snapshot] of this.undo) {
      for (const key of Object.keys(live)) delete live[key];
      Object.assign(live, JSON.parse(snapshot));
    }
  }
}

function writeAll(fd: number, data: Buffer, offset: number, cb: (err: NodeJS.ErrnoException | null) => void): void {
  fs.write(fd, data, offset, data.length - offset, null, (err, written) => {
    if (err) return cb(err);
    if (offset + written < data.length) return writeAll(fd, data, offset + written, cb);
    cb(null);
  });
}
