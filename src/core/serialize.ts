/**
 * A document as ASCII JSON text, in pieces. The collections (the arrays that grow with the state)
 * are written entry by entry and handed out in slices of about `sliceChars`, so writing a large
 * document never builds one string of all of it (nor, when a value holds a non-ASCII character,
 * a two-byte copy of all of it to escape): memory and time follow the slice, not the document.
 * The pieces joined are the same JSON value as JSON.stringify(doc).
 */
import { asciiJson } from './durability.js';

/** About 1 MiB of text per piece: large enough that a write call is cheap, small enough to be short-lived. */
export const SLICE_CHARS = 1 << 20;

export function* documentPieces(doc: Record<string, unknown>, collectionPaths: Iterable<string>, sliceChars = SLICE_CHARS): Generator<string> {
  // The collections form a tree of keys from the root; everything off that tree is written whole.
  const tree: PathTree = new Map();
  for (const p of collectionPaths) {
    let node = tree;
    const parts = p.split('.');
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      let next = node.get(parts[i]!);
      if (next === undefined) node.set(parts[i]!, (next = last ? 'collection' : new Map()));
      if (next === 'collection') break; // a collection inside another is written with it
      if (last) node.set(parts[i]!, 'collection');
      else node = next;
    }
  }
  const out = new Slicer(sliceChars);
  yield* writeNode(doc, tree, out);
  yield* out.rest();
}

type PathTree = Map<string, PathTree | 'collection'>;

class Slicer {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sliceChars: number) {}
  /** Adds text; returns a full slice once there is one. */
  add(text: string): string | undefined {
    this.parts.push(text);
    this.size += text.length;
    if (this.size < this.sliceChars) return undefined;
    const slice = this.parts.join('');
    this.parts = [];
    this.size = 0;
    return slice;
  }
  *rest(): Generator<string> {
    if (this.size > 0) yield this.parts.join('');
    this.parts = [];
    this.size = 0;
  }
}

function* writeNode(value: unknown, tree: PathTree | 'collection', out: Slicer): Generator<string> {
  let full: string | undefined;
  if (tree === 'collection' && Array.isArray(value)) {
    if ((full = out.add('['))) yield full;
    for (let i = 0; i < value.length; i++) {
      // An entry JSON.stringify would write as null (undefined, a function) is written so too.
      const entry: unknown = value[i];
      const text = entry === undefined || typeof entry === 'function' || typeof entry === 'symbol' ? 'null' : asciiJson(entry);
      if ((full = out.add(i === 0 ? text : ',' + text))) yield full;
    }
    if ((full = out.add(']'))) yield full;
    return;
  }
  if (tree === 'collection' || value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    if ((full = out.add(asciiJson(value)))) yield full;
    return;
  }
  if ((full = out.add('{'))) yield full;
  let first = true;
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    // JSON.stringify leaves these keys out of an object.
    if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
    if ((full = out.add(`${first ? '' : ','}${asciiJson(key)}:`))) yield full;
    first = false;
    const sub = tree.get(key);
    if (sub === undefined) {
      if ((full = out.add(asciiJson(child)))) yield full;
    } else {
      yield* writeNode(child, sub, out);
    }
  }
  if ((full = out.add('}'))) yield full;
}
