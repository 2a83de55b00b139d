/**
 * The state document: one JSON object holding every provider's resources. Providers own their own
 * part of it; the core only knows which arrays are collections of entries with an id field.
 */
import { FORBIDDEN_KEYS } from './json-guard.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Entry = Record<string, any>;
export type StateDoc = Record<string, any>;

/** A collection: an array of entries in the document at a dotted path, keyed by one field. */
export interface CollectionDef {
  path: string;
  idField: string;
}

/** What only the emulator needs on an entry lives under this key and is never sent to a client. */
export const EMULATOR_KEY = '_emulator';

/**
 * Paths, merges and lookups only ever see a document's own properties: a key such as "__proto__" or
 * "constructor" must never lead into Object.prototype (which would change the whole process).
 */
export function checkKey(key: string): void {
  if (FORBIDDEN_KEYS.has(key)) throw new RangeError(`the key "${key}" is not allowed (it names a prototype)`);
}

/** The value at a dotted path, through own properties only; undefined when any part is missing. */
export function getPath(doc: StateDoc, path: string): unknown {
  let node: any = doc;
  for (const part of path.split('.')) {
    if (node == null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}

/** Returns the array at `path`, creating it (and the objects above it) if it is missing. */
export function ensureArray(doc: StateDoc, path: string): Entry[] {
  const parts = path.split('.');
  parts.forEach(checkKey);
  let node: any = doc;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, part) || node[part] == null || typeof node[part] !== 'object' || Array.isArray(node[part])) node[part] = {};
    node = node[part];
  }
  const last = parts[parts.length - 1]!;
  if (!Object.hasOwn(node, last) || !Array.isArray(node[last])) node[last] = [];
  return node[last];
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep merge for partial documents: objects merge, arrays and scalars replace. Merges into own
 * properties only, and refuses a key that names a prototype (RangeError).
 */
export function mergeObjects(target: Record<string, any>, source: Record<string, any>): void {
  for (const [key, value] of Object.entries(source)) {
    checkKey(key);
    if (isPlainObject(value) && Object.hasOwn(target, key) && isPlainObject(target[key])) mergeObjects(target[key], value);
    else target[key] = value;
  }
}

/** A copy of an entry without the emulator's own bookkeeping, for a provider's response. */
export function publicView<T extends Entry>(entry: T): Omit<T, typeof EMULATOR_KEY> {
  if (!(EMULATOR_KEY in entry)) return entry;
  const { [EMULATOR_KEY]: _hidden, ...rest } = entry;
  return rest;
}
