/**
 * One transaction over the store's document: inserts and removals are staged, updates change the
 * live entry in place with a snapshot to put back. The store applies it at commit and keeps what it
 * replaced until the change is durable, so a change that cannot be made durable is undone too.
 */
import { applyEdit, copyEntry, diffEntry, type Edit, restoreInto } from './edit.js';
import type { EntryChange } from './journal.js';
import { copyStats } from './copy.js';
import { type EntryWriter, Recording, directWriter } from './recording.js';
import type { Entry, StateDoc } from './state.js';

export interface ReadView {
  get(collection: string, id: string): Entry | undefined;
  list(collection: string): readonly Entry[];
}

/** What a transaction may do. Entries returned by get/list are live: change them only via update (outside a transaction, never). */
export interface Tx extends ReadView {
  /** Runs `change` on the entry (undone if the transaction throws) and stages it; returns it. Throws if it is missing. */
  update(collection: string, id: string, change: (draft: Entry) => void): Entry;
  /**
   * Like update, but `change` writes the entry only through `w` (set, push, delete at a path,
   * recording.ts): the undo and the change log's edit are built from those paths, with no copy or
   * diff of the whole entry. Reading the draft directly is fine; writing to it directly is not.
   */
  edit(collection: string, id: string, change: (draft: Entry, w: EntryWriter) => void): Entry;
  insert(collection: string, entry: Entry): Entry;
  /** Inserts or replaces by id. */
  put(collection: string, entry: Entry): Entry;
  remove(collection: string, id: string): boolean;
  /** Replaces the whole document (reset, PUT state). */
  replaceDoc(doc: StateDoc): void;
  /** Runs once `fn` has returned, still inside the transaction (a throw rolls everything back). */
  beforeCommit(fn: () => void): void;
  /**
   * Asks for what this transaction changes, entry by entry, for the journal: the array returned is
   * filled in when the transaction commits (left empty if it does not).
   */
  recordChanges(): EntryChange[];
}

export type Staged = { kind: 'put'; entry: Entry } | { kind: 'del' };

/** What a transaction needs of the store it runs in. */
export interface TxHost extends ReadView {
  idFieldOf(collection: string): string;
}

export class Transaction implements Tx {
  readonly staged = new Map<string, Map<string, Staged>>();
  replacement: StateDoc | undefined;
  private before: Array<() => void> | undefined;
  /**
   * Live entries changed in place, each with a copy from before the change (edit.ts): put back on a
   * throw or a failed append, and what the commit measures the change against.
   */
  undo: Map<Entry, Entry> | undefined;
  /** Live entries changed through a writer (edit), each with what it wrote: undone and logged from that. */
  recorded: Map<Entry, Recording> | undefined;
  /** Where the commit puts what changed, for the journal (undefined: no one asked). */
  changes: EntryChange[] | undefined;

  constructor(private readonly store: TxHost) {}

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
      const rec = this.recorded?.get(current);
      if (rec) {
        // Recorded so far, changed freely from here: the copy to diff against is the entry as it began.
        (this.undo ??= new Map()).set(current, rec.original());
        this.recorded!.delete(current);
      }
      // Changed in place, with a copy to put back if the transaction throws: the copy dies young,
      // where a replacement entry would churn the old generation of a large store. A plain copy
      // sharing the strings costs a third of JSON text and a tenth of structuredClone, and the
      // commit diffs against it to write only what changed.
      this.undo ??= new Map();
      if (!this.undo.has(current)) this.undo.set(current, copyEntry(current));
    }
    change(current);
    this.stage(collection, id, { kind: 'put', entry: current });
    return current;
  }

  edit(collection: string, id: string, change: (draft: Entry, w: EntryWriter) => void): Entry {
    const current = this.get(collection, id);
    if (!current) throw new Error(`no entry ${id} in ${collection}`);
    let w: EntryWriter;
    if (current !== this.store.get(collection, id) || this.undo?.has(current)) {
      // A new entry (written whole) or one already copied for a diff: plain writes are enough.
      w = directWriter(current);
    } else {
      this.recorded ??= new Map();
      let rec = this.recorded.get(current);
      if (!rec) {
        this.recorded.set(current, (rec = new Recording(current)));
        if (VERIFY) verified.set(rec, JSON.stringify(current));
      }
      w = rec;
    }
    change(current, w);
    this.stage(collection, id, { kind: 'put', entry: current });
    return current;
  }

  /** Whether `entry`, live in the store, was changed in place (copied or recorded). */
  changedInPlace(entry: Entry): boolean {
    return this.undo?.has(entry) === true || this.recorded?.has(entry) === true;
  }

  /**
   * What an entry changed in place differs by: the diff of its copy, or the edit of its recorded
   * writes (never whole). With `keepOld`, the edit holds what it replaced (for the journal).
   */
  editOf(entry: Entry, keepOld: boolean): Edit | undefined | ReturnType<typeof diffEntry> {
    const before = this.undo?.get(entry);
    if (before !== undefined) return diffEntry(before, entry);
    const rec = this.recorded!.get(entry)!;
    const edit = rec.edit(keepOld);
    if (VERIFY) verifyRecording(rec, edit);
    return edit;
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

  /** Puts back the contents of every live entry this transaction changed in place (same objects). */
  restoreInPlace(): void {
    if (this.recorded) for (const rec of this.recorded.values()) rec.undo();
    if (!this.undo) return;
    for (const [live, before] of this.undo) restoreInto(live, before);
  }

  recordChanges(): EntryChange[] {
    return (this.changes ??= []);
  }

  /** Drops what only a rollback needs, once the change is durable. */
  forgetUndo(): void {
    this.undo = undefined;
    this.recorded = undefined;
  }
}

/**
 * Set in the test suite: every recorded update is checked against the whole entry, so a handler
 * that writes its draft without the writer fails its test instead of losing that write: the entry
 * put back from the recording, plus the edit, must give the entry's text exactly.
 */
const VERIFY = process.env.CLOUD_API_EMULATOR_VERIFY_EDITS === '1';

const verified = new WeakMap<Recording, string>();

function verifyRecording(rec: Recording, edit: Edit | undefined): void {
  // The check's own copies are not the write's work (tests count that).
  const copied = copyStats.containers;
  try {
    check(rec, edit);
  } finally {
    copyStats.containers = copied;
  }
}

function check(rec: Recording, edit: Edit | undefined): void {
  const before = verified.get(rec)!;
  const after = JSON.stringify(rec.entry);
  const undone = JSON.stringify(rec.original());
  if (undone !== before) throw new Error(`a recorded update does not undo to the entry it changed:\nbefore ${before}\nundone ${undone}`);
  const replayed = JSON.parse(before);
  if (edit !== undefined) applyEdit(replayed, JSON.parse(JSON.stringify(edit)));
  if (JSON.stringify(replayed) !== after) throw new Error(`a recorded update's edit does not give the entry: ${JSON.stringify(edit)}\nbefore ${before}\nafter  ${after}`);
}
