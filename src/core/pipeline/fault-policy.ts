/**
 * The one fault policy, the same for every provider, deciding what a matching request rule does:
 *  - only a latency (a `latencyMs` of 0 included): the request is handled late;
 *  - a throttle or an exceeded rate limit: the provider's throttling error (after any latency);
 *  - a network fault: the request is handled, then its answer is lost on the wire (`slow` delays
 *    the first byte by `latencyMs` instead);
 *  - anything else: the request fails with the rule's status, code and message, each defaulting to
 *    the provider's internal error.
 */
import type { FaultRule, NetworkFault } from '../faults.js';

export interface FaultDecision {
  /** Real milliseconds to wait before handling (a slow network, not the emulator clock). */
  delayMs: number;
  fail: 'error' | 'throttle' | undefined;
  /** What happens to the answer on the wire, after the request was handled. */
  network?: { kind: NetworkFault; delayMs: number };
}

const FAILURE_FIELDS = ['httpStatus', 'code', 'message'] as const;

export function decide(rule: FaultRule): FaultDecision {
  if (rule.network) return { delayMs: 0, fail: undefined, network: { kind: rule.network, delayMs: rule.network === 'slow' ? (rule.latencyMs ?? 0) : 0 } };
  const delayMs = rule.latencyMs ?? 0;
  if (rule.throttle || rule.rateLimit) return { delayMs, fail: 'throttle' };
  const latencyOnly = rule.latencyMs !== undefined && FAILURE_FIELDS.every((f) => rule[f] === undefined);
  return { delayMs, fail: latencyOnly ? undefined : 'error' };
}
