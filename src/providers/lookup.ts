/**
 * Lookups keyed by what a request names (a header listed in SignedHeaders, a param, a path
 * segment). A plain object answers `constructor`, `__proto__` or `toString` with what it inherits;
 * these helpers only ever see own properties, so request data never reaches Object.prototype.
 */

/** `obj[key]` if `obj` has it as its own property, else undefined. */
export function own<T>(obj: Readonly<Record<string, T>> | undefined, key: string | number): T | undefined {
  return obj !== undefined && obj !== null && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** An empty object without a prototype, for maps filled from request data (`__proto__` is then an ordinary key). */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
