/**
 * The one fault policy, the same for every provider: a matching rule with only a latency delays the
 * request (a `latencyMs` of 0 included); any other rule makes it fail with the rule's status, code and
 * message, each defaulting to the provider's internal error.
 */
import type { FaultRule } from '../faults.js';

export interface FaultDecision {
  /** Real milliseconds to wait before going on (a slow network, not the emulator clock). */
  delayMs: number;
  /** Fail the request after the delay. */
  fail: boolean;
}

const FAILURE_FIELDS = ['httpStatus', 'code', 'message'] as const;

export function decide(rule: FaultRule): FaultDecision {
  const delayMs = rule.latencyMs ?? 0;
  const latencyOnly = rule.latencyMs !== undefined && FAILURE_FIELDS.every((f) => rule[f] === undefined);
  return { delayMs, fail: !latencyOnly };
}
