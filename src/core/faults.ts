/**
 * Injected failures, one rule model for every provider. A rule matches requests by provider,
 * operation and resource, and does one of:
 *  - error (the default): the request fails in the provider's own envelope, with the rule's
 *    `httpStatus`/`code`/`message` or the provider's internal error;
 *  - latency (`latencyMs` alone): the request is handled late;
 *  - throttle (`throttle: true`): the provider's documented throttling error;
 *  - rateLimit (`{ requests, windowMs }`): requests beyond N in a window of emulator time get the
 *    throttling error (for testing back-off);
 *  - network (`reset`, `empty`, `partial`, `slow`): the request is handled (its change is made) and
 *    the answer is lost on the wire: the connection reset, closed with no reply, cut half-way
 *    through the body, or its first byte delayed by `latencyMs`;
 *  - transition (`fail` or `stuck`): the request succeeds, and the transition it starts on the
 *    matching resources ends in the provider's failure state, or never completes.
 * Rules are counted down (`count`), fire with a `probability`, and count how often they fired.
 */
import { nanoid } from 'nanoid';
import { Listeners } from './listeners.js';

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
  throttle?: boolean;
  rateLimit?: { requests: number; windowMs: number };
  network?: NetworkFault;
  transition?: TransitionFault;
  /** How many times it fired (read-only: set by the emulator). */
  fired?: number;
}

export type NetworkFault = 'reset' | 'empty' | 'partial' | 'slow';
export type TransitionFault = 'fail' | 'stuck';
const NETWORK_FAULTS: readonly NetworkFault[] = ['reset', 'empty', 'partial', 'slow'];
const TRANSITION_FAULTS: readonly TransitionFault[] = ['fail', 'stuck'];
/** Most requests a rate-limit rule counts in its window, and the longest window (a day). */
export const MAX_RATE_REQUESTS = 1_000_000;
export const MAX_RATE_WINDOW_MS = 86_400_000;

export interface FaultTarget {
  provider: string;
  operation: string;
  resourceIds?: readonly string[];
}

const RULE_KEYS = new Set(['id', 'provider', 'operation', 'resourceId', 'httpStatus', 'code', 'message', 'latencyMs', 'count', 'probability', 'throttle', 'rateLimit', 'network', 'transition', 'fired']);

/**
 * The kinds of rule (one per rule), each with the fields that make it that kind and those it may add
 * (latencyMs delays any request fault); FAULT_COMMON_FIELDS go with every kind. The dashboard's
 * form is built from these (GET /_emulator/operations); parseFaultRule is the check.
 */
export const FAULT_KIND_FIELDS = {
  error: ['httpStatus', 'code', 'message', 'latencyMs'],
  latency: ['latencyMs'],
  throttle: ['throttle', 'latencyMs'],
  rateLimit: ['rateLimit', 'latencyMs'],
  network: ['network', 'latencyMs'],
  transition: ['transition'],
} as const satisfies Record<string, readonly (keyof FaultRule)[]>;
export type FaultKind = keyof typeof FAULT_KIND_FIELDS;
export const FAULT_COMMON_FIELDS = ['id', 'provider', 'operation', 'resourceId', 'count', 'probability'] as const satisfies readonly (keyof FaultRule)[];

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
  /** Told of every change to the rules held, their counts included (the dashboard's live list). */
  private readonly listeners = new Listeners();

  onChange(listener: () => void): () => void {
    return this.listeners.add(listener);
  }

  private changed(): void {
    this.listeners.notify();
  }

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
    this.changed();
    return { ...rule };
  }

  remove(id: string): boolean {
    this.rulesTouched++;
    this.windows.delete(id);
    const removed = this.rules.delete(id);
    if (removed) this.changed();
    return removed;
  }

  clear(): void {
    this.rules = new Map();
    this.windows.clear();
    this.changed();
  }

  /**
   * The first request rule (not a transition rule) that applies to this request, counted as used;
   * undefined when none does. A rate-limit rule applies only past its allowance: `now` is the
   * emulator clock, so a test moves the window by moving the clock.
   */
  match(target: FaultTarget, now = 0): FaultRule | undefined {
    if (this.rules.size === 0) return undefined;
    for (const rule of this.rules.values()) {
      if (rule.transition !== undefined || !this.applies(rule, target.provider, target.operation, target.resourceIds ?? [])) continue;
      if (rule.rateLimit && !this.overLimit(rule, now)) continue;
      return this.fire(rule);
    }
    return undefined;
  }

  /**
   * What happens to the transition a request starts on one resource: the first transition rule that
   * applies, counted as used; undefined (it completes as usual) when none does.
   */
  matchTransition(provider: string, operation: string, resourceIds: readonly string[]): TransitionFault | undefined {
    if (this.rules.size === 0) return undefined;
    for (const rule of this.rules.values()) {
      if (rule.transition === undefined || !this.applies(rule, provider, operation, resourceIds)) continue;
      return this.fire(rule).transition;
    }
    return undefined;
  }

  private applies(rule: FaultRule, provider: string, operation: string, resourceIds: readonly string[]): boolean {
    if (rule.provider && rule.provider !== provider) return false;
    if (rule.operation && rule.operation !== operation) return false;
    if (rule.resourceId && !resourceIds.includes(rule.resourceId)) return false;
    if (rule.count === 0) return false;
    return rule.probability === undefined || this.random() < rule.probability;
  }

  private fire(rule: FaultRule): FaultRule {
    if (rule.count !== undefined) rule.count -= 1;
    rule.fired = (rule.fired ?? 0) + 1;
    this.changed();
    return { ...rule };
  }

  /** Request instants each rate-limit rule saw in its window, oldest first. */
  private readonly windows = new Map<string, number[]>();

  /** Counts this request against the rule's window; true when it is past the allowance. */
  private overLimit(rule: FaultRule, now: number): boolean {
    const { requests, windowMs } = rule.rateLimit!;
    let seen = this.windows.get(rule.id);
    if (!seen) this.windows.set(rule.id, (seen = []));
    let drop = 0;
    while (drop < seen.length && seen[drop]! <= now - windowMs) drop++;
    if (drop > 0) seen.splice(0, drop);
    if (seen.length < requests) {
      seen.push(now);
      return false;
    }
    return true;
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
  if (r.throttle !== undefined && r.throttle !== true) throw new RangeError('"throttle" must be true (the provider\'s documented throttling error)');
  if (r.network !== undefined && !NETWORK_FAULTS.includes(r.network as NetworkFault)) throw new RangeError(`"network" must be one of ${NETWORK_FAULTS.join(', ')}`);
  if (r.transition !== undefined && !TRANSITION_FAULTS.includes(r.transition as TransitionFault)) throw new RangeError(`"transition" must be one of ${TRANSITION_FAULTS.join(', ')}`);
  if (r.rateLimit !== undefined) {
    const rl = r.rateLimit as Record<string, unknown>;
    const ok = rl !== null && typeof rl === 'object' && !Array.isArray(rl) && Object.keys(rl).every((k) => k === 'requests' || k === 'windowMs');
    if (!ok || !(Number.isInteger(rl.requests) && (rl.requests as number) >= 1 && (rl.requests as number) <= MAX_RATE_REQUESTS) || !(Number.isInteger(rl.windowMs) && (rl.windowMs as number) >= 1 && (rl.windowMs as number) <= MAX_RATE_WINDOW_MS)) {
      throw new RangeError(`"rateLimit" must be { "requests": 1 to ${MAX_RATE_REQUESTS}, "windowMs": 1 to ${MAX_RATE_WINDOW_MS} }`);
    }
  }
  // One kind per rule: an error with a status or code of its own is not also a throttle or a lost answer.
  const kinds = [r.throttle !== undefined || r.rateLimit !== undefined, r.network !== undefined, r.transition !== undefined, r.httpStatus !== undefined || r.code !== undefined || r.message !== undefined];
  if (kinds.filter(Boolean).length > 1) throw new RangeError('a rule is one kind: an error (httpStatus/code/message), a throttle (throttle/rateLimit), a network fault (network) or a transition fault (transition)');
  if (r.transition !== undefined && r.latencyMs !== undefined) throw new RangeError('"latencyMs" does not apply to a transition fault');
  if (catalogue) checkNames(r.provider as string | undefined, r.operation as string | undefined, catalogue);
  const { fired: _fired, ...rest } = r;
  return { ...(rest as Omit<FaultRule, 'id'>), id: (r.id as string | undefined) ?? nanoid(10), fired: 0 } as FaultRule;
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
