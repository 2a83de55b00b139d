/**
 * Deep copies of JSON data, as JSON would read them back, several times cheaper than
 * structuredClone (and about the cost of the JSON text): an update's undo copy (edit.ts), and the
 * copy of an entry a read fills in before answering.
 */

/** Objects and arrays copied (copyJson) so far: tests count the work of a write with it. */
export const copyStats = { containers: 0 };

/** A plain object: its prototype is Object.prototype (of any realm: a test runner's included) or none. */
export const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
};

/** Whether JSON.stringify leaves an object's property out. */
export const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Sets an own property, even one named "__proto__" (which assignment would treat as the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * A deep copy of `value` as JSON would read it back (left-out properties dropped, array holes and
 * left-out elements null, NaN and the infinities null, anything with toJSON or of another class
 * through JSON), sharing its strings.
 */
export function copyJson<T>(value: T): T;
export function copyJson(value: unknown): any {
  if (typeof value !== 'object' || value === null) return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  copyStats.containers++;
  if (Array.isArray(value)) {
    const n = value.length;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = value[i];
      out[i] = omitted(v) ? null : copyJson(v);
    }
    return out;
  }
  if (!isPlain(value) || typeof (value as any).toJSON === 'function') return JSON.parse(JSON.stringify(value) ?? 'null');
  const out: Record<string, unknown> = {};
  // for-in walks the enumeration cache of an object's shape: much cheaper than Object.keys here.
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const v = (value as Record<string, unknown>)[key];
    if (omitted(v)) continue;
    if (key === '__proto__') setOwn(out, key, copyJson(v));
    else out[key] = copyJson(v);
  }
  return out;
}
