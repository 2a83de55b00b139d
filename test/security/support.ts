/** Shared helpers for the security suite: raw JSON bodies, and what the prototypes of each realm hold. */
import type { TestEmulator } from '../support/emulator.js';

/**
 * Enumerable keys on Object.prototype and Array.prototype, in this test's realm and in the realm
 * Node's own builtins (structuredClone, http) create objects in: jest runs each test file in a vm
 * context, and the server code touches objects from both.
 */
export function prototypeKeys(): { object: string[]; array: string[] } {
  const keys = (proto: object) => {
    const out: string[] = [];
    for (const k in proto) out.push(k);
    return out;
  };
  const outerObject = Object.getPrototypeOf(structuredClone({})) as object;
  const outerArray = Object.getPrototypeOf(structuredClone([])) as object;
  return {
    object: [...new Set([...keys(Object.prototype), ...keys(outerObject)])],
    array: [...new Set([...keys(Array.prototype), ...keys(outerArray)])],
  };
}

/** Sends `text` as an application/json body (supertest would re-serialise an object and drop __proto__). */
export function sendJson(t: TestEmulator, method: 'post' | 'put' | 'patch' | 'delete' | 'get', path: string, text: string) {
  return t.http[method](path).set('Content-Type', 'application/json').send(text);
}

export function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

export function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
