/**
 * Injected failures: a rule matches requests by provider, operation and resource, and makes them
 * fail with the provider's own error envelope (the provider renders `code`/`message`/`httpStatus`)
 * or answer late. Rules are counted down and can fire with a probability.
 */
import { nanoid } from 'nanoid';

export interface FaultRule {
  id: string;
  provider?: string;
  operation?: string;
  resourceId?: string;
  /** HTTP status of the injected error; the provider's internal-error status if left out. */
  httpStatus?: number;
  code?: string;
  message?: string;
  /** Delay before the request is handled (ms, real time: it simulates a slow network). */
  latencyMs?: number;
  /** How many more requests it applies to; unlimited if left out. */
  count?: number;
  probability?: number;
}

export interface FaultTarget {
  provider: string;
  operation: string;
  resourceIds?: readonly string[];
}

const RULE_KEYS = new Set(['id', 'provider', 'operation', 'resourceId', 'httpStatus', 'code', 'message', 'latencyMs', 'count', 'probability']);

/** Most rules held at once: plenty for any test, and a request's match stays cheap. */
export const MAX_FAULT_RULES = 1000;
/** Longest injected latency (5 minutes, real time; a Node timer cannot wait past 2^31-1 ms anyway). */
export const MAX_LATENCY_MS = 300_000;
/** Largest `count` (how many requests a rule applies to). */
export const MAX_COUNT = 1_000_000;
/** Lengths of a rule's texts: a code and an id travel in headers and URLs, a message in a body. */
export const MAX_CODE_LENGTH = 128;
export const MAX_ID_LENGTH = 128;
export const MAX_RESOURCE_ID_LENGTH = 256;
export const MAX_MESSAGE_LENGTH = 4096;

/** Operation names by provider: what a rule may name. */
export type OperationCatalogue = ReadonlyMap<string, readonly string[]>;

export class Faults {
  /** By id, in the order added (a replaced rule moves last): add, replace and remove are O(1). */
  private rules = new Map<string, FaultRule>();
  /** Rules touched by add and remove: how tests count that each touches one, whatever the number held. */
  rulesTouched = 0;

  constructor(private readonly random: () => number = Math.random) {}

  /** How many rules are held; a provider checks it before doing any work for a match. */
  get size(): number {
    return this.rules.size;
  }

  has(id: string): boolean {
    return this.rules.has(id);
  }

  list(): FaultRule[] {
    return [...this.rules.values()].map((r) => ({ ...r }));
  }

  /** Adds (or replaces, by id) a rule made by parseFaultRule. The caller keeps the total within MAX_FAULT_RULES. */
  add(rule: FaultRule): FaultRule {
    this.rulesTouched++;
    this.rules.delete(rule.id);
    this.rules.set(rule.id, { ...rule });
    return { ...rule };
  }

  remove(id: string): boolean {
    this.rulesTouched++;
    return this.rules.delete(id);
  }

  clear(): void {
    this.rules = new Map();
  }

  /** The first rule that applies to this request, counted as used; undefined when none does. */
  match(target: FaultTarget): FaultRule | undefined {
    if (this.rules.size === 0) return undefined;
    for (const rule of this.rules.values()) {
      if (rule.provider && rule.provider !== target.provider) continue;
      if (rule.operation && rule.operation !== target.operation) continue;
      if (rule.resourceId && !(target.resourceIds ?? []).includes(rule.resourceId)) continue;
      if (rule.count === 0) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.count !== undefined) rule.count -= 1;
      return { ...rule };
    }
    return undefined;
  }
}

const PRINTABLE = /^[\x20-\x7e]*$/;
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * Validates a rule from the control plane; throws a RangeError naming the bad field. With a
 * catalogue, `provider` and `operation` must name what the emulator serves (the error lists the names).
 */
export function parseFaultRule(input: unknown, catalogue?: OperationCatalogue): FaultRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RangeError('a fault rule is a JSON object');
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) throw new RangeError(`unknown fault rule field "${key}"`);
  for (const key of ['provider', 'operation', 'resourceId', 'code', 'message', 'id'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') throw new RangeError(`"${key}" must be a string`);
  }
  const text = (key: 'code' | 'id' | 'resourceId' | 'message', max: number, pattern: RegExp, what: string) => {
    const v = r[key] as string | undefined;
    if (v !== undefined && !(v.length >= 1 && v.length <= max && pattern.test(v))) throw new RangeError(`"${key}" must be 1 to ${max} ${what}`);
  };
  text('code', MAX_CODE_LENGTH, PRINTABLE, 'printable ASCII characters (it is sent in headers)');
  text('id', MAX_ID_LENGTH, TOKEN, 'visible ASCII characters, no spaces');
  text('resourceId', MAX_RESOURCE_ID_LENGTH, /[^]*/, 'characters');
  text('message', MAX_MESSAGE_LENGTH, /[^]*/, 'characters');
  if (r.httpStatus !== undefined && !(Number.isInteger(r.httpStatus) && (r.httpStatus as number) >= 400 && (r.httpStatus as number) <= 599)) {
    throw new RangeError('"httpStatus" must be an integer from 400 to 599');
  }
  for (const [key, max] of [['latencyMs', MAX_LATENCY_MS], ['count', MAX_COUNT]] as const) {
    if (r[key] !== undefined && !(Number.isInteger(r[key]) && (r[key] as number) >= 0 && (r[key] as number) <= max)) throw new RangeError(`"${key}" must be a whole number from 0 to ${max}`);
  }
  if (r.probability !== undefined && !(typeof r.probability === 'number' && r.probability >= 0 && r.probability <= 1)) {
    throw new RangeError('"probability" must be a number from 0 to 1');
  }
  if (catalogue) checkNames(r.provider as string | undefined, r.operation as string | undefined, catalogue);
  return { ...(r as Omit<FaultRule, 'id'>), id: (r.id as string | undefined) ?? nanoid(10) } as FaultRule;
}

/** A rule naming a provider or operation the emulator does not serve would never fire: refused, with the names that would. */
function checkNames(provider: string | undefined, operation: string | undefined, catalogue: OperationCatalogue): void {
  if (provider !== undefined && !catalogue.has(provider)) {
    throw new RangeError(`"provider" "${provider}" is not served here; use one of: ${[...catalogue.keys()].join(', ')}`);
  }
  if (operation === undefined) return;
  if (provider !== undefined) {
    const ops = catalogue.get(provider)!;
    if (!ops.includes(operation)) throw new RangeError(`"operation" "${operation}" is not an operation of ${provider}; use one of: ${ops.join(', ')}`);
    return;
  }
  const all = [...catalogue.values()].flat();
  if (!all.includes(operation)) {
    throw new RangeError(`"operation" "${operation}" is not an operation any provider serves; use one of: ${[...catalogue].map(([p, ops]) => `${p}: ${ops.join(', ')}`).join('; ')}`);
  }
}
