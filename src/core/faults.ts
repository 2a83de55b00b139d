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

export class Faults {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Adds (or replaces, by id) a rule made by parseFaultRule. */
  add(rule: FaultRule): FaultRule {
    this.rules = this.rules.filter((x) => x.id !== rule.id).concat({ ...rule });
    return { ...rule };
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that applies to this request, counted as used; undefined when none does. */
  match(target: FaultTarget): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules) {
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

/** Validates a rule from the control plane; throws a RangeError naming the bad field. */
export function parseFaultRule(input: unknown): FaultRule {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RangeError('a fault rule is a JSON object');
    const r = input as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!RULE_KEYS.has(key)) throw new RangeError(`unknown fault rule field "${key}"`);
    for (const key of ['provider', 'operation', 'resourceId', 'code', 'message', 'id'] as const) {
      if (r[key] !== undefined && typeof r[key] !== 'string') throw new RangeError(`"${key}" must be a string`);
    }
    if (r.httpStatus !== undefined && !(Number.isInteger(r.httpStatus) && (r.httpStatus as number) >= 400 && (r.httpStatus as number) <= 599)) {
      throw new RangeError('"httpStatus" must be an integer from 400 to 599');
    }
    for (const key of ['latencyMs', 'count'] as const) {
      if (r[key] !== undefined && !(Number.isInteger(r[key]) && (r[key] as number) >= 0)) throw new RangeError(`"${key}" must be a whole number >= 0`);
    }
    if (r.probability !== undefined && !(typeof r.probability === 'number' && r.probability >= 0 && r.probability <= 1)) {
      throw new RangeError('"probability" must be a number from 0 to 1');
    }
    return { ...(r as Omit<FaultRule, 'id'>), id: (r.id as string | undefined) ?? nanoid(10) } as FaultRule;
}
