/**
 * A recorded update: the handler writes an entry through paths (set, push, delete), and each write
 * keeps the value it replaced. That list is all the transaction needs: undone newest first it puts
 * the entry back exactly (key order included), and the change log's edit (edit.ts) is built from
 * the paths alone, so an update costs what it writes, not a copy and a diff of the whole entry.
 *
 * Everything the update changes in a value that was in the entry before must go through the
 * writer; a value it set itself (a new object) may be filled in directly, as the edit reads each
 * set path's value at commit. Tests run with CLOUD_API_EMULATOR_VERIFY_EDITS=1, which checks every
 * recorded update against a copy and a diff of the whole entry (transaction.ts).
 */
import { copyJson, omitted, setOwn } from './copy.js';
import { type Edit, OLD } from './edit.js';
import type { Entry } from './state.js';

export type Path = readonly (string | number)[];

/** How an update writes its entry. */
export interface EntryWriter {
  /** Sets the value at `path` (its parent must exist); undefined deletes it, as JSON would leave it out. */
  set(path: Path, value: unknown): void;
  /** Appends to the array at `path`. */
  push(path: Path, value: unknown): void;
  /** Deletes the key at `path` of an object (nothing if it is not there). */
  delete(path: Path): void;
}

/** The writer of an entry whose change is found otherwise (a copy and a diff, or a new entry written whole): plain writes. */
export function directWriter(entry: Entry): EntryWriter {
  return {
    set(path, value) {
      const c = parentOf(entry, path);
      const k = path[path.length - 1]!;
      if (omitted(value) && !Array.isArray(c)) delete c[k];
      else if (Array.isArray(c)) c[index(c, k, true)] = value;
      else setOwn(c, String(k), value);
    },
    push(path, value) {
      arrayAt(entry, path).push(value);
    },
    delete(path) {
      const c = parentOf(entry, path);
      if (Array.isArray(c)) throw new Error('an update deletes from an array (set the array instead)');
      delete c[path[path.length - 1]!];
    },
  };
}

/** One write: where, and what the key held before it. */
interface Op {
  path: Path;
  existed: boolean;
  old: unknown;
  deleted: boolean;
  /** For a deleted key: the keys after it, moved back behind it when the delete is undone (key order is part of the text). */
  after: string[] | undefined;
}

/** Counters for tests: values an edit's building visited (it must not grow with the entry). */
export const recordingStats = { ops: 0, visited: 0 };

function index(a: unknown[], k: string | number, append: boolean): number {
  const i = typeof k === 'number' ? k : Number(k);
  if (!Number.isInteger(i) || i < 0 || i > (append ? a.length : a.length - 1)) throw new Error(`index ${String(k)} is outside the array (${a.length})`);
  return i;
}

function walk(root: unknown, path: Path, n: number): any {
  let c: any = root;
  for (let i = 0; i < n; i++) {
    const k = path[i]!;
    if (c === null || typeof c !== 'object' || !Object.hasOwn(c, k)) throw new Error(`an update writes under ${path.slice(0, i + 1).join('.')}, which is not there`);
    c = c[k];
  }
  if (c === null || typeof c !== 'object') throw new Error(`an update writes inside ${path.slice(0, n).join('.')}, which holds no object`);
  return c;
}

const parentOf = (root: unknown, path: Path): any => walk(root, path, path.length - 1);

function arrayAt(root: unknown, path: Path): unknown[] {
  const a = walk(root, path, path.length);
  if (!Array.isArray(a)) throw new Error(`an update pushes to ${path.join('.')}, which is not an array`);
  return a;
}

export class Recording implements EntryWriter {
  readonly ops: Op[] = [];

  constructor(readonly entry: Entry) {}

  set(path: Path, value: unknown): void {
    const c = parentOf(this.entry, path);
    const k = path[path.length - 1]!;
    if (Array.isArray(c)) {
      const i = index(c, k, true);
      const existed = i < c.length;
      this.ops.push({ path, existed, old: existed ? c[i] : undefined, deleted: false, after: undefined });
      c[i] = omitted(value) ? null : value;
    } else if (omitted(value)) {
      this.delete(path);
      return;
    } else {
      const key = String(k);
      const existed = Object.hasOwn(c, key);
      this.ops.push({ path, existed, old: existed ? c[key] : undefined, deleted: false, after: undefined });
      setOwn(c, key, value);
    }
    recordingStats.ops++;
  }

  push(path: Path, value: unknown): void {
    const a = arrayAt(this.entry, path);
    this.set([...path, a.length], value);
  }

  delete(path: Path): void {
    const c = parentOf(this.entry, path);
    if (Array.isArray(c)) throw new Error('an update deletes from an array (set the array instead)');
    const key = String(path[path.length - 1]!);
    if (!Object.hasOwn(c, key)) return;
    const keys = Object.keys(c);
    this.ops.push({ path, existed: true, old: c[key], deleted: true, after: keys.slice(keys.indexOf(key) + 1) });
    delete c[key];
    recordingStats.ops++;
  }

  /**
   * Undoes every write, newest first, on `root`: the live entry, or a copy of it (then `copy` gives
   * each restored value its own copy, so the copy shares nothing with the entry).
   */
  undo(root: unknown = this.entry, copy = false): void {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i]!;
      const path = op.path;
      const c = parentOf(root, path);
      const k = path[path.length - 1]!;
      const old = copy ? copyJson(op.old) : op.old;
      if (Array.isArray(c)) {
        if (op.existed) c[Number(k)] = old;
        else c.length = Number(k);
      } else if (!op.existed) {
        delete c[k];
      } else {
        setOwn(c, String(k), old);
        if (op.deleted) {
          for (const a of op.after!) {
            if (!Object.hasOwn(c, a)) continue;
            const v = c[a];
            delete c[a];
            setOwn(c, a, v);
          }
        }
      }
    }
  }

  /** The entry as it was before the update, as a copy (the live entry is not changed). */
  original(): Entry {
    const copy = copyJson(this.entry);
    this.undo(copy, true);
    return copy;
  }

  /**
   * The edit of what the update changed, from the written paths only (edit.ts's format: set,
   * delete, change inside). With `keepOld`, it holds copies of the values it replaces, for the journal.
   */
  edit(keepOld: boolean): Edit | undefined {
    if (this.ops.length === 0) return undefined;
    const root: Node = { kids: undefined, first: -1, deleted: false };
    for (let i = 0; i < this.ops.length; i++) {
      const op = this.ops[i]!;
      let node = root;
      for (const seg of op.path) {
        const key = String(seg);
        node.kids ??= new Map();
        let next = node.kids.get(key);
        if (!next) node.kids.set(key, (next = { kids: undefined, first: -1, deleted: false }));
        node = next;
      }
      if (node.first < 0) node.first = i;
      if (op.deleted) node.deleted = true;
    }
    return this.build(root, this.entry, 0, keepOld);
  }

  private build(node: Node, live: any, depth: number, keepOld: boolean): Edit | undefined {
    if (live === null || typeof live !== 'object') throw new Error('an update changed its entry without its writer');
    const isArray = Array.isArray(live);
    let kids: Iterable<[string, Node]> = node.kids!;
    if (node.kids!.size > 1) {
      // In the entry's own key order (keys set anew are appended by a replay in this order), then
      // keys no longer there; array indexes in ascending order.
      const ordered: Array<[string, Node]> = [];
      if (isArray) ordered.push(...node.kids!);
      else {
        for (const k in live) {
          const kid = Object.hasOwn(live, k) ? node.kids!.get(k) : undefined;
          if (kid) ordered.push([k, kid]);
        }
        if (ordered.length < node.kids!.size) for (const e of node.kids!) if (!Object.hasOwn(live, e[0])) ordered.push(e);
      }
      if (isArray) ordered.sort((a, b) => Number(a[0]) - Number(b[0]));
      kids = ordered;
    }
    let edit: Edit | undefined;
    for (const [key, kid] of kids) {
      recordingStats.visited++;
      if (kid.first < 0) {
        const sub = this.build(kid, live[key], depth + 1, keepOld);
        if (sub) setOwn(((edit ??= {}).c ??= {}) as Record<string, unknown>, key, sub);
        continue;
      }
      const op = this.ops[kid.first]!;
      const present = isArray ? Number(key) < live.length : Object.hasOwn(live, key) && !omitted(live[key]);
      let now = present ? live[key] : undefined;
      if (isArray && omitted(now)) now = null;
      if (typeof now === 'number' && !Number.isFinite(now)) now = null;
      const gone = op.existed && (kid.deleted || !present);
      // A value put back as it was (a status that went and came back) is not written.
      if (present && !gone && op.existed && now === op.old && (typeof now !== 'object' || now === null)) continue;
      if (!present && !op.existed) continue;
      edit ??= {};
      if (gone) (edit.d ??= []).push(key);
      if (present) setOwn((edit.s ??= {}), key, now);
      if (keepOld && op.existed) setOwn((edit[OLD] ??= {}), key, this.oldValue(kid.first, depth + 1));
    }
    return edit;
  }

  /** What op `i` replaced, as it was when the update began (earlier writes inside it undone on a copy). */
  private oldValue(i: number, depth: number): unknown {
    const op = this.ops[i]!;
    if (op.old === null || typeof op.old !== 'object') return op.old;
    const holder = { v: copyJson(op.old) };
    const prefix = op.path;
    let earlier = false;
    for (let j = 0; j < i && !earlier; j++) earlier = under(this.ops[j]!.path, prefix);
    if (earlier) {
      for (let j = i - 1; j >= 0; j--) {
        const inner = this.ops[j]!;
        if (!under(inner.path, prefix)) continue;
        const rel: Path = ['v', ...inner.path.slice(depth)];
        const c = parentOf(holder, rel);
        const k = rel[rel.length - 1]!;
        const old = copyJson(inner.old);
        if (Array.isArray(c)) {
          if (inner.existed) c[Number(k)] = old;
          else c.length = Number(k);
        } else if (!inner.existed) delete c[k];
        else setOwn(c, String(k), old);
      }
    }
    return holder.v;
  }
}

interface Node {
  kids: Map<string, Node> | undefined;
  /** The first op written at exactly this path (-1: none; only inside it). */
  first: number;
  deleted: boolean;
}

/** Whether `path` is strictly inside `prefix`. */
function under(path: Path, prefix: Path): boolean {
  if (path.length <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (String(path[i]) !== String(prefix[i])) return false;
  return true;
}
