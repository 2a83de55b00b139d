/**
 * The request pipeline: every provider's requests go through these steps, in this order, here and
 * nowhere else.
 *
 *   1. route         the provider reads the request into a call and names its operation
 *                    (an operation it does not serve → its not-emulated error);
 *   2. authenticate  the provider's credentials, against the state;
 *   3. authorize     the provider's permission model (a denial, or a result to answer instead);
 *   4. faults        one policy for every provider (fault-policy.ts);
 *   5. validate      the operation's request schema, then the provider's own protocol checks;
 *   6. run           one transaction: replay or claim the client token, the handler's change, and
 *                    the token's record of the answer, all durable together or not at all;
 *   7. render        the provider's envelope, for a result or an error.
 *
 * An error the provider did not make is logged and answered as its internal error; a change that could
 * not be made durable is answered as its service-unavailable error (nothing of it was applied).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { DurabilityError } from '../errors.js';
import type { Faults } from '../faults.js';
import { fingerprint, type Idempotency } from '../idempotency.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Schemas } from '../schemas.js';
import type { Settings } from '../settings.js';
import type { Json } from '../state.js';
import type { Store } from '../store.js';
import type { Durations } from '../transitions.js';
import { decide } from './fault-policy.js';
import { NOTHING_TO_CHECK, type Operation, type OperationEnv, type ProviderProtocol, type TokenClaim } from './protocol.js';
import type { HttpReply, RawRequest } from './request.js';

export interface PipelineDeps {
  store: Store;
  schemas: Schemas;
  faults: Faults;
  idempotency: Idempotency;
  clock: Clock;
  settings: Settings;
  durations: Durations;
  lifecycle: Lifecycle;
  logger: Logger;
}

/** The reply, and what the access log and the journal say of the request. */
export interface Served {
  reply: HttpReply;
  provider: string;
  operation?: string;
  errorCode?: string;
  resources?: string[];
  /** The request named an operation the emulator does not serve. */
  unmatched?: boolean;
  /** The request id the client saw, when the provider shows it differently from the emulator's. */
  requestId?: string;
}

export class Pipeline {
  constructor(private readonly deps: PipelineDeps) {}

  private env<P>(principal: P): OperationEnv<P> {
    const { clock, settings, durations, lifecycle, logger } = this.deps;
    return { now: clock.now(), principal, clock, settings, durations, lifecycle, logger };
  }

  async serve<C, P>(protocol: ProviderProtocol<C, P>, req: RawRequest): Promise<Served> {
    const served: Served = { provider: protocol.name, reply: { status: 500, body: '' } };
    if (protocol.requestId) served.requestId = protocol.requestId(req);
    let call: C | undefined;
    let operation: Operation<C> | undefined;
    try {
      const routed = protocol.route(req, this.env(undefined));
      call = routed.call;
      if ('refused' in routed) {
        served.operation = routed.name;
        throw routed.refused;
      }
      if ('unmatched' in routed) {
        served.operation = routed.unmatched;
        served.unmatched = true;
        throw protocol.errors.notEmulated(routed.unmatched);
      }
      operation = routed.operation;
      const found = routed.call;
      served.operation = operation.name;
      const resources = operation.resources?.(found) ?? [];
      served.resources = resources;
      const principal = await protocol.authenticate(req, found, operation, this.env(undefined), this.deps.store);
      const env = this.env(principal);
      const instead = protocol.authorize?.(found, operation, env);
      await this.applyFaults(protocol, operation, found, resources);
      this.validate(protocol, req, found, operation, env);
      if (instead) {
        served.reply = protocol.render(instead.result, found, operation, req);
        return served;
      }
      const claim = operation.mutates ? protocol.clientToken?.(found, operation, principal) : undefined;
      const result = await this.run(protocol, found, operation, principal, claim);
      served.reply = protocol.render(result, found, operation, req);
      return served;
    } catch (err) {
      const own = this.asProviderError(protocol, err, operation, call);
      const rendered = protocol.renderError(own, call, operation, req);
      served.errorCode = rendered.code;
      served.reply = rendered;
      return served;
    }
  }

  private asProviderError<C>(protocol: ProviderProtocol<C>, err: unknown, operation: Operation<C> | undefined, call: C | undefined): Error {
    if (protocol.isError(err)) return err as Error;
    if (err instanceof DurabilityError) {
      this.deps.logger.error({ err, provider: protocol.name }, 'a change could not be made durable; it was not applied');
      return protocol.errors.unavailable(operation, call);
    }
    this.deps.logger.error({ err, provider: protocol.name }, 'unexpected failure');
    return protocol.errors.internal(operation, call);
  }

  private async applyFaults<C>(protocol: ProviderProtocol<C>, operation: Operation<C>, call: C, resources: string[]): Promise<void> {
    const rule = this.deps.faults.match({ provider: protocol.name, operation: operation.name, resourceIds: resources });
    if (!rule) return;
    const decision = decide(rule);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.fail) throw protocol.errors.fault(rule, operation, call);
  }

  /** The protocol's own checks (headers, typed query parameters) first, then the operation's schema. */
  private validate<C, P>(protocol: ProviderProtocol<C, P>, req: RawRequest, call: C, operation: Operation<C>, env: OperationEnv<P>): void {
    protocol.validate?.(req, call, operation, env);
    if (!operation.schema) return;
    const input = protocol.input ? protocol.input(call, operation) : call;
    if (input === NOTHING_TO_CHECK) return;
    const problems = this.deps.schemas.check(operation.schema, input);
    if (problems.length > 0) throw protocol.errors.invalid(problems, operation, call);
  }

  /**
   * The handler's transaction. With a client token: a replay answers what the first call answered
   * (no second change); the first call's record is written in the same transaction as its change.
   */
  private async run<C, P>(protocol: ProviderProtocol<C, P>, call: C, operation: Operation<C, P>, principal: P, claim: TokenClaim | undefined): Promise<unknown> {
    const { store, idempotency } = this.deps;
    const work = () =>
      store.mutate((tx) => {
        const env = this.env(principal);
        if (!claim) return operation.handle(call, tx, env);
        const print = fingerprint(claim.input);
        const seen = idempotency.check(tx, claim.scope, claim.token, print);
        if (seen.kind === 'mismatch') throw claim.mismatch();
        if (seen.kind === 'replay') return seen.response;
        const result = operation.handle(call, tx, env);
        const kept = (protocol.remember ? protocol.remember(result, call, operation) : result) as Json;
        idempotency.remember(tx, claim.scope, claim.token, print, kept, env.now);
        return kept;
      });
    // Calls with one token run one at a time: the second sees the first's record, never a race.
    return claim ? idempotency.serialize(`${claim.scope}\u0000${claim.token}`, work) : work();
  }
}
