/**
 * Limits on what JSON from a request may look like, checked before anything walks it: recursive code
 * (merges, validation, structuredClone) must never meet a document deep enough to overflow the stack,
 * and no merge or path walk may meet a key that names a prototype.
 */

/** Deepest nesting of arrays and objects a request body may have. The deepest real document (an ECE deployment with its plans) nests about 12. */
export const MAX_JSON_DEPTH = 64;

/** Keys that reach a prototype when used as a property name: refused anywhere in a control-plane document. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether JSON text nests deeper than `limit`. A linear scan of the text, before JSON.parse, so a
 * deep document is refused without being built; strings are skipped whole (their brackets do not count).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  if (text.length <= 2 * limit) return false; // each level needs an opening and a closing bracket
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Jump to the closing quote: one not preceded by an odd number of backslashes.
      let j = i;
      for (;;) {
        j = text.indexOf('"', j + 1);
        if (j < 0) return false; // unterminated: JSON.parse says so
        let backslashes = 0;
        while (text.charCodeAt(j - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
      i = j;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * The first key in a parsed document that names a prototype, as a JSON pointer (e.g.
 * "/alibaba/__proto__"); undefined when there is none. Iterative: the depth is not trusted here.
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [node, where] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${where}/${i}`]);
      continue;
    }
    const keys = Object.keys(node);
    for (const key of keys) if (FORBIDDEN_KEYS.has(key)) return `${where}/${key}`;
    for (let i = keys.length - 1; i >= 0; i--) stack.push([(node as Record<string, unknown>)[keys[i]!], `${where}/${keys[i]}`]);
  }
  return undefined;
}

/** The depth of a parsed value (1 for a flat object or array), counted iteratively; stops once past `limit`. */
export function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Both checks above in one walk, without building a path per value (on a large document the paths
 * cost more than the walk): 'depth' when it nests deeper than `limit`, 'key' at the first key that
 * names a prototype (the depth may be exceeded further on: the caller asks depthOf), else undefined.
 * The caller names the key's place with findForbiddenKey only when there is one.
 */
export function jsonProblem(value: unknown, limit: number): 'depth' | 'key' | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()! as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth > limit) return 'depth';
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (typeof child === 'object' && child !== null) {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    const keys = Object.keys(node);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (FORBIDDEN_KEYS.has(key)) return 'key';
      const child = node[key];
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return undefined;
}
