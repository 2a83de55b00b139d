/**
 * One transaction over the store's document: inserts and removals are staged, updates change the
 * live entry in place with a snapshot to put back. The store applies it at commit and keeps what it
 * replaced until the change is durable, so a change that cannot be made durable is undone too.
 */
import type { Entry, StateDoc } from './state.js';

export interface ReadView {
  get(collection: string, id: string): Entry | undefined;
  list(collection: string): readonly Entry[];
}

/** What a transaction may do. Entries returned by get/list are live: change them only via update (outside a transaction, never). */
export interface Tx extends ReadView {
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
  /** Each entry this transaction changes, with its JSON before the change (undefined: new); for the journal. */
  changedEntries(): Array<{ collection: string; id: string; before: string | undefined }>;
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
  /** Live entries changed in place, with their JSON before the change, to put back on a throw or a failed append. */
  private undo: Map<Entry, string> | undefined;

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

  /** Puts back the contents of every live entry this transaction changed in place (same objects). */
  restoreInPlace(): void {
    if (!this.undo) return;
    for (const [live, snapshot] of this.undo) {
      for (const key of Object.keys(live)) delete live[key];
      Object.assign(live, JSON.parse(snapshot));
    }
  }

  /**
   * What this transaction changes, each entry with its JSON before the change (undefined: it is
   * new). Call it last, before commit: the journal shows these as field changes.
   */
  changedEntries(): Array<{ collection: string; id: string; before: string | undefined }> {
    const out: Array<{ collection: string; id: string; before: string | undefined }> = [];
    for (const [collection, m] of this.staged) {
      for (const [id, s] of m) {
        const snapshot = s.kind === 'put' ? this.undo?.get(s.entry) : undefined;
        const stored = snapshot === undefined ? this.store.get(collection, id) : undefined;
        out.push({ collection, id, before: snapshot ?? (stored === undefined ? undefined : JSON.stringify(stored)) });
      }
    }
    return out;
  }

  /** Drops what only a rollback needs, once the change is durable. */
  forgetUndo(): void {
    this.undo = undefined;
  }
}
