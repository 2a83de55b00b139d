/**
 * The state document as a service: what an empty one holds, how a partial one is checked and
 * defaulted (normalize), how a seed merges into the current one by id, the state the process started
 * with (its fixtures), and a reset. The control plane, startEmulator() and the loader all use this one
 * place; nothing here reaches an inherited property (keys naming a prototype are refused first).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { SeedError } from './context.js';
import { EmulatorError } from './errors.js';
import { depthOf, findForbiddenKey, jsonProblem, MAX_JSON_DEPTH } from './json-guard.js';
import { stepErrors } from './lifecycle.js';
import type { ReadableError, Schemas } from './schemas.js';
import { type CollectionDef, type Entry, getPath, isPlainObject, mergeObjects, type StateDoc } from './state.js';
import { documentPieces } from './serialize.js';
import type { Store } from './store.js';

/** What a provider contributes to the document: its part, the schema it must match, its defaults. */
export interface DocumentPart {
  name: string;
  emptyState(): Record<string, any>;
  stateSchema?: string;
  /** Fills in defaults in place; throws SeedError for what cannot be accepted. */
  normalize?(part: Record<string, any>): void;
}

/** Where the starting state comes from: a fixtures file, a document, or nothing. */
export type FixturesSource = string | StateDoc | 'none';

/** A refused data file names this many of its errors (its one line stays readable). */
const MAX_REPORTED_ERRORS = 5;

/** What a seed changes: the entries to put, or (when it reaches outside the collections) a whole new document. */
export interface SeedPlan {
  doc: StateDoc;
  /** Entries to put, by collection; undefined when the document must be replaced whole. */
  puts?: Array<[string, Entry]>;
  /** How many entries the seed named. */
  entries: number;
}

export class StateDocuments {
  /**
   * The fixtures, normalized, kept as text for a reset (a parsed copy of a large file would double
   * the heap for the rare reset), in the ~1 MiB pieces it was written in: joined only by a reset,
   * never at start (a joined copy beside its pieces would be the start's peak).
   */
  private initialText: readonly string[] | undefined;
  /** Collection entries held to the schemas so far (counted by tests: a start from a data file known to be checked checks none). */
  readonly stats = { checkedEntries: 0 };

  constructor(
    private readonly parts: readonly DocumentPart[],
    private readonly schemas: Schemas,
    private readonly collections: readonly CollectionDef[],
    private readonly fixtures: FixturesSource,
  ) {}

  /** A document with every part empty. */
  empty(): StateDoc {
    const doc: StateDoc = { emulator: { idempotency: [] } };
    for (const p of this.parts) doc[p.name] = p.emptyState();
    return doc;
  }

  /** A complete document (the empty state with `partial` merged in) and what is wrong with it. */
  check(partial: StateDoc, copy = true): { doc: StateDoc; errors: ReadableError[] } {
    // Whatever its source (a control-plane body, a fixtures or data file, an object in code), nothing
    // below recurses past MAX_JSON_DEPTH or meets a key that names a prototype.
    // One walk finds either; the slower ones (a path per value) run only when there is something to name.
    const problem = jsonProblem(partial, MAX_JSON_DEPTH);
    if (problem !== undefined && depthOf(partial, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return { doc: partial, errors: [{ path: '/', message: `the document nests deeper than ${MAX_JSON_DEPTH} levels (the limit)`, keyword: 'maxDepth', params: {} }] };
    const forbidden = problem === 'key' ? findForbiddenKey(partial) : undefined;
    if (forbidden) return { doc: partial, errors: [{ path: forbidden, message: `${forbidden}: the key "${forbidden.slice(forbidden.lastIndexOf('/') + 1)}" is not allowed (it names a prototype)`, keyword: 'forbiddenKey', params: {} }] };
    const doc = this.empty();
    mergeObjects(doc, copy ? structuredClone(partial) : partial);
    // Each part against its own schema, so the engine checks whatever providers it runs with.
    const errors = this.schemas.check('state.schema.json#/properties/emulator', doc.emulator, '/emulator');
    for (const key of Object.keys(doc)) {
      if (key !== 'emulator' && !this.parts.some((p) => p.name === key)) {
        errors.push({ path: '/', message: `/ must NOT have additional properties: "${key}"`, keyword: 'additionalProperties', params: { additionalProperty: key } });
      }
    }
    for (const p of this.parts) if (p.stateSchema) errors.push(...this.schemas.check(p.stateSchema, doc[p.name], `/${p.name}`));
    // Pending steps: due within the clock's range, and `set` paths that stay inside their entry.
    for (const c of this.collections) {
      const entries = getPath(doc, c.path);
      if (!Array.isArray(entries)) continue;
      this.stats.checkedEntries += entries.length;
      entries.forEach((entry, i) => errors.push(...stepErrors(entry, `/${c.path.replace(/\./g, '/')}/${i}`).map((e) => ({ ...e, keyword: 'emulatorStep', params: {} }))));
    }
    return { doc, errors };
  }

  /**
   * What a passed check of a loaded document depends on, as one string: the schema files, the
   * parts and their schemas, the collections, and the code doing the checking (`codeVersion`). A
   * data file checked under the same string, and unchanged since, need not be checked again.
   */
  checkVersion(codeVersion: string): string {
    const parts = this.parts.map((p) => `${p.name}:${p.stateSchema ?? ''}`).join(',');
    const collections = this.collections.map((c) => `${c.path}:${c.idField}`).join(',');
    return createHash('sha1').update(`${LOADED_CHECK_FORMAT}\n${codeVersion}\n${this.schemas.digest}\n${parts}\n${collections}`).digest('hex');
  }

  /**
   * A complete, defaulted document from a partial one; throws SeedError when it is invalid. With
   * `copy` false, `partial` itself is completed in place (for a document no one else holds).
   */
  normalize(partial: StateDoc, copy = true): StateDoc {
    const { doc, errors } = this.check(partial, copy);
    if (errors.length > 0) throw new SeedError(errors);
    for (const p of this.parts) p.normalize?.(doc[p.name]);
    return doc;
  }

  /**
   * The loaded state (data file + change log) is held to the same schemas as fixtures and PUT
   * /state. It is checked, not normalized: it was normalized when it was written, and checking
   * needs no copy (the merge only adds the loaded parts to a fresh empty document, and ajv reads).
   */
  checkLoaded(loaded: StateDoc, file: string | undefined): void {
    const { errors } = this.check(loaded, false);
    if (errors.length === 0) return;
    const shown = errors.slice(0, MAX_REPORTED_ERRORS).map((e) => e.message).join('; ');
    const more = errors.length > MAX_REPORTED_ERRORS ? ` (and ${errors.length - MAX_REPORTED_ERRORS} more)` : '';
    throw new EmulatorError(`data file ${file} (with its change log) is not a valid state document: ${shown}${more}; fix or remove it`);
  }

  /**
   * The state the process starts with (its fixtures, normalized); read from the file on first use.
   * The first call hands out the normalized document itself (no parse of its text); later calls a
   * fresh copy parsed from the text.
   */
  initial(): StateDoc {
    return this.initialDocument().doc;
  }

  /** The same, with its text in pieces (ASCII JSON: what a new data file holds, written as it is). */
  initialDocument(progress?: (message: string) => void): { doc: StateDoc; text: readonly string[] } {
    if (this.initialText === undefined) {
      const fixtures = this.fixtures;
      const file = typeof fixtures === 'string' && fixtures !== 'none' ? fixtures : undefined;
      const started = performance.now();
      const say = file !== undefined && sizeOf(file) >= FIXTURES_PROGRESS_BYTES ? progress : undefined;
      say?.(`loading fixtures file ${file} (${(sizeOf(file!) / 1024 / 1024).toFixed(1)} MB)`);
      const source: StateDoc = typeof fixtures === 'object' ? fixtures : file !== undefined ? readFixtures(file) : {};
      try {
        // Parsed here from a file, the source is ours: completed in place rather than copied.
        const doc = this.normalize(source, typeof fixtures === 'object');
        say?.(`fixtures checked and defaulted in ${Math.round(performance.now() - started)} ms: ${this.countEntries(doc)} entries`);
        // Entry by entry (serialize.ts): no two-byte copy of the whole text when a value is not ASCII.
        const text = [...documentPieces(doc, this.collections.map((c) => c.path))];
        this.initialText = text;
        return { doc, text };
      } catch (err) {
        if (err instanceof SeedError) {
          const where = typeof this.fixtures === 'string' ? `fixtures file ${this.fixtures}` : 'fixtures';
          throw new EmulatorError(`${where} is not a valid state document: ${err.message}`);
        }
        throw err;
      }
    }
    const text = this.initialText;
    return { doc: JSON.parse(text.length === 1 ? text[0]! : text.join('')), text };
  }

  private countEntries(doc: StateDoc): number {
    let n = 0;
    for (const c of this.collections) {
      const entries = getPath(doc, c.path);
      if (Array.isArray(entries)) n += entries.length;
    }
    return n;
  }

  /**
   * Merges a partial document into `current` (a copy the caller owns): collection arrays merge by id
   * (a seeded id replaces the entry), other values merge as objects. The result is normalized.
   * Only the seeded entries need writing, unless the seed reached outside the collections.
   */
  seed(current: StateDoc, partial: StateDoc): SeedPlan {
    const { seeded, otherChanges, origins } = this.mergeSeed(current, partial);
    let doc: StateDoc;
    try {
      doc = this.normalize(current);
    } catch (err) {
      if (err instanceof SeedError) throw new SeedError(err.errors.map((e) => pointIntoRequest(e, origins)));
      throw err;
    }
    const entries = [...seeded.values()].reduce((n, ids) => n + ids.size, 0);
    if (otherChanges) return { doc, entries };
    const puts: Array<[string, Entry]> = [];
    for (const [collection, ids] of seeded) {
      const idField = this.collections.find((c) => c.path === collection)!.idField;
      const byId = new Map((getPath(doc, collection) as Entry[]).map((e) => [e[idField], e]));
      for (const id of ids) {
        const entry = byId.get(id);
        if (entry === undefined) return { doc, entries };
        puts.push([collection, entry]);
      }
    }
    return { doc, puts, entries };
  }

  /** Writes a seed plan: the seeded entries alone, or the whole document. */
  async applySeed(store: Store, plan: SeedPlan): Promise<void> {
    await store.mutate((tx) => {
      if (!plan.puts) return tx.replaceDoc(plan.doc);
      for (const [collection, entry] of plan.puts) tx.put(collection, entry);
    });
  }

  /** Back to the fixtures (or an empty document). */
  async reset(store: Store, empty: boolean): Promise<void> {
    const doc = empty ? this.normalize({}) : this.initial();
    await store.mutate((tx) => tx.replaceDoc(doc));
  }

  private mergeSeed(target: StateDoc, partial: StateDoc): { seeded: Map<string, Set<unknown>>; otherChanges: boolean; origins: Origins } {
    const collections = new Map(this.collections.map((c) => [c.path, c.idField]));
    const seeded = new Map<string, Set<unknown>>();
    const origins: Origins = new Map();
    let otherChanges = false;
    const walk = (t: Record<string, any>, p: Record<string, any>, prefix: string) => {
      for (const [key, value] of Object.entries(p)) {
        const path = prefix ? `${prefix}.${key}` : key;
        const idField = collections.get(path);
        const own = Object.hasOwn(t, key);
        if (idField && Array.isArray(value) && own && Array.isArray(t[key])) {
          const out = [...t[key]];
          const at = new Map<unknown, number>();
          out.forEach((e, i) => isPlainObject(e) && e[idField] !== undefined && at.set(e[idField], i));
          const ids = seeded.get(path) ?? new Set();
          seeded.set(path, ids);
          // Where each seeded entry lands in the merged array (its index there -> its index in the request).
          const origin = new Map<number, number>();
          origins.set(`/${path.replace(/\./g, '/')}`, origin);
          for (const [j, entry] of value.entries()) {
            const id = isPlainObject(entry) ? entry[idField] : undefined;
            // An entry without a usable id fails validation; it is merged so the error can say where.
            if (typeof id !== 'string' && typeof id !== 'number') otherChanges = true;
            else ids.add(id);
            const i = id !== undefined ? at.get(id) : undefined;
            if (i !== undefined) {
              out[i] = entry;
              origin.set(i, j);
            } else {
              if (id !== undefined) at.set(id, out.length);
              origin.set(out.length, j);
              out.push(entry);
            }
          }
          t[key] = out;
        } else if (isPlainObject(value) && own && isPlainObject(t[key])) {
          walk(t[key], value, path);
        } else {
          otherChanges = true;
          mergeObjects(t, Object.fromEntries([[key, value]]));
        }
      }
    };
    walk(target, partial, '');
    return { seeded, otherChanges, origins };
  }
}

/** Raised when what checkLoaded checks changes without the package version changing (a data file is then checked again once). */
const LOADED_CHECK_FORMAT = 1;

/** Fixtures files from this size up are read with progress lines (they take seconds to default and write). */
export const FIXTURES_PROGRESS_BYTES = 4 * 1024 * 1024;

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0; // readFixtures says what is wrong
  }
}

/** By a collection's JSON pointer: the merged array's index of each seeded entry -> its index in the seed. */
type Origins = Map<string, Map<number, number>>;

/**
 * An error found in the merged document, pointed back at the seed request: `/huawei/koophone/instances/4`
 * (the 5th entry once merged) becomes `/huawei/koophone/instances/0` when it is the seed's first entry.
 * An error in an entry the seed did not send says so.
 */
function pointIntoRequest<E extends { path: string; message: string }>(error: E, origins: Origins): E {
  for (const [pointer, origin] of origins) {
    if (!error.path.startsWith(`${pointer}/`)) continue;
    const rest = error.path.slice(pointer.length + 1);
    const index = Number(rest.split('/')[0]);
    if (!Number.isInteger(index)) return error;
    const seeded = origin.get(index);
    const tail = rest.slice(String(index).length);
    if (seeded === undefined) return { ...error, message: `${error.message} (in an entry already in the state, not in this seed)` };
    const path = `${pointer}/${seeded}${tail}`;
    return { ...error, path, message: error.message.split(error.path).join(path) };
  }
  return error;
}

function readFixtures(file: string): StateDoc {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err: any) {
    throw new EmulatorError(`cannot read fixtures file ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  try {
    const doc = JSON.parse(text);
    if (!isPlainObject(doc)) throw new Error('not a JSON object');
    return doc;
  } catch (err: any) {
    throw new EmulatorError(`fixtures file ${file} is not a valid JSON object (${err.message})`);
  }
}
