/**
 * What a reset puts back. By default everything a test can change: the state document (to the
 * fixtures, or empty), the clock, transition durations, settings, fault rules and the request
 * journal, so one test file cannot leak its clock or settings into the next. `keep` names what to
 * leave as it is.
 */
export const RESETTABLE = ['clock', 'transitions', 'settings', 'faults', 'requests'] as const;
export type Resettable = (typeof RESETTABLE)[number];

export interface ResetOptions {
  /** An empty state document instead of the fixtures. */
  empty?: boolean;
  /** What to leave as it is (the state document is always reset). */
  keep?: readonly Resettable[];
}

/** Checks a reset request (a control-plane body or startEmulator's reset() argument); throws RangeError naming the problem. */
export function parseResetOptions(input: unknown): { empty: boolean; keep: Set<Resettable> } {
  if (input === undefined || input === null) return { empty: false, keep: new Set() };
  if (typeof input !== 'object' || Array.isArray(input)) throw new RangeError('reset options must be an object { empty?, keep? }');
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) if (key !== 'empty' && key !== 'keep') throw new RangeError(`unknown reset field "${key}" (use empty or keep)`);
  if (o.empty !== undefined && typeof o.empty !== 'boolean') throw new RangeError('"empty" must be a boolean');
  const keep = new Set<Resettable>();
  if (o.keep !== undefined) {
    if (!Array.isArray(o.keep) || o.keep.length > RESETTABLE.length) throw new RangeError(`"keep" must be a list of at most ${RESETTABLE.length} of: ${RESETTABLE.join(', ')}`);
    for (const k of o.keep) {
      if (!(RESETTABLE as readonly unknown[]).includes(k)) throw new RangeError(`"keep" may name only ${RESETTABLE.join(', ')}; got ${JSON.stringify(k)}`);
      keep.add(k as Resettable);
    }
  }
  return { empty: o.empty === true, keep };
}
