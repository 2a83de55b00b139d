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
import type { FaultRule, Faults, NetworkFault } from '../faults.js';
import { fingerprint, IDEMPOTENCY_COLLECTION, type Idempotency } from '../idempotency.js';
import type { EntryChange } from '../journal.js';
import { redact } from '../redact.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Schemas } from '../schemas.js';
import type { Settings } from '../settings.js';
import type { Json } from '../state.js';
import type { Store } from '../store.js';
import type { Durations } from '../transitions.js';
import { decide, type FaultDecision } from './fault-policy.js';
import { NOTHING_TO_CHECK, type Operation, type OperationEnv, type ProviderProtocol, reasonOf, type TokenClaim, withReason } from './protocol.js';
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
  /** The journal keeps requests (its size is not 0): the pipeline records what they changed. */
  journaling: boolean;
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
  /** The id the client sent with the request, and its decoded params (credentials redacted). */
  clientRequestId?: string;
  params?: Json;
  /** Why the emulator answered as it did, in plain words. */
  reason?: string;
  /** Entries the request changed, as JSON before and after. */
  entryChanges?: EntryChange[];
  /** A network fault: what happens to the answer on the wire. */
  network?: { kind: NetworkFault; delayMs: number };
}

/** Distinct not-emulated operations warned about, at most (one warning line each). */
const MAX_UNMATCHED_WARNINGS = 1000;

export class Pipeline {
  private readonly warnedUnmatched = new Set<string>();

  constructor(private readonly deps: PipelineDeps) {}

  private env<P>(principal: P, provider = '', operation = ''): OperationEnv<P> {
    const { clock, settings, durations, lifecycle, logger, faults } = this.deps;
    return { now: clock.now(), principal, clock, settings, durations, lifecycle, logger, transitionFault: (ids) => faults.matchTransition(provider, operation, typeof ids === 'string' ? [ids] : ids) };
  }

  /** Whether the journal keeps anything: recording changes costs a copy of each changed entry. */
  private get journaling(): boolean {
    return this.deps.journaling;
  }

  async serve<C, P>(protocol: ProviderProtocol<C, P>, req: RawRequest): Promise<Served> {
    const served: Served = { provider: protocol.name, reply: { status: 500, body: '' } };
    if (protocol.requestId) served.requestId = protocol.requestId(req);
    let call: C | undefined;
    let operation: Operation<C> | undefined;
    try {
      const anonymous = this.env(undefined); // routing and authentication see no principal yet
      const routed = protocol.route(req, anonymous);
      call = routed.call;
      if ('refused' in routed) {
        served.operation = routed.name;
        throw routed.refused;
      }
      if ('unmatched' in routed) {
        served.operation = routed.unmatched;
        served.unmatched = true;
        this.warnUnmatched(protocol.name, routed.unmatched);
        throw withReason(protocol.errors.notEmulated(routed.unmatched), `${protocol.name} ${routed.unmatched} is not emulated`);
      }
      operation = routed.operation;
      const found = routed.call;
      served.operation = operation.name;
      const resources = operation.resources?.(found) ?? [];
      served.resources = resources;
      // Awaited only when it is a promise: most calls have no wait here, and each await is a turn of the microtask queue.
      const authenticated = protocol.authenticate(req, found, operation, anonymous, this.deps.store);
      const principal = authenticated instanceof Promise ? await authenticated : authenticated;
      const env = this.env(principal, protocol.name, operation.name);
      const instead = protocol.authorize?.(found, operation, env);
      const rule = this.deps.faults.match({ provider: protocol.name, operation: operation.name, resourceIds: resources }, this.deps.clock.now());
      const network = rule ? await this.applyFaults(protocol, operation, found, rule) : undefined;
      this.validate(protocol, req, found, operation, env);
      if (instead) {
        served.reply = protocol.render(instead.result, found, operation, req);
        served.reason = 'the caller may not run this operation: the provider answers a denied call with this result';
      } else {
        const claim = operation.mutates ? protocol.clientToken?.(found, operation, principal) : undefined;
        const result = await this.run(protocol, found, operation, principal, claim, served, served.requestId ?? req.id);
        served.reply = protocol.render(result, found, operation, req);
      }
      served.network = network;
      return served;
    } catch (err) {
      const own = this.asProviderError(protocol, err, operation, call, served);
      const rendered = protocol.renderError(own, call, operation, req);
      served.errorCode = rendered.code;
      served.reason ??= reasonOf(own);
      served.reply = rendered;
      return served;
    } finally {
      this.describe(protocol, req, call, served);
    }
  }

  /** What the journal shows of the request: its params (credentials redacted) and the client's request id. */
  private describe<C>(protocol: ProviderProtocol<C>, req: RawRequest, call: C | undefined, served: Served): void {
    if (!this.journaling || !protocol.describe) return;
    try {
      const d = protocol.describe(req, call);
      if (d.params !== undefined) served.params = redact(d.params);
      if (d.clientRequestId !== undefined) served.clientRequestId = d.clientRequestId;
    } catch (err) {
      this.deps.logger.debug({ err }, 'journal: the request could not be described');
    }
  }

  /** One warning line per operation the emulator does not emulate (a typo, or an API not built yet). */
  private warnUnmatched(provider: string, name: string): void {
    const key = `${provider}\u0000${name}`;
    if (this.warnedUnmatched.has(key) || this.warnedUnmatched.size >= MAX_UNMATCHED_WARNINGS) return;
    this.warnedUnmatched.add(key);
    this.deps.logger.warn({ provider, operation: name }, `${provider}: ${name} is not emulated; the client gets the provider's not-found answer`);
  }

  private asProviderError<C>(protocol: ProviderProtocol<C>, err: unknown, operation: Operation<C> | undefined, call: C | undefined, served: Served): Error {
    if (protocol.isError(err)) return err as Error;
    if (err instanceof DurabilityError) {
      this.deps.logger.error({ err, provider: protocol.name }, 'a change could not be made durable; it was not applied');
      served.reason = `the change could not be made durable and was not applied: ${err.message}`;
      return protocol.errors.unavailable(operation, call);
    }
    this.deps.logger.error({ err, provider: protocol.name }, 'unexpected failure');
    served.reason = `the emulator failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`;
    return protocol.errors.internal(operation, call);
  }

  /** Applies the first matching request fault rule; returns what a network fault does to the answer. */
  private async applyFaults<C>(protocol: ProviderProtocol<C>, operation: Operation<C>, call: C, rule: FaultRule): Promise<FaultDecision['network']> {
    const decision = decide(rule);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    if (decision.fail === 'throttle') throw withReason(protocol.errors.throttled(rule), `fault rule ${rule.id} throttled the request${rule.rateLimit ? ` (over ${rule.rateLimit.requests} requests per ${rule.rateLimit.windowMs} ms)` : ''}`);
    if (decision.fail === 'error') throw withReason(protocol.errors.fault(rule, operation, call), `fault rule ${rule.id} failed the request`);
    return decision.network;
  }

  /** The protocol's own checks (headers, typed query parameters) first, then the operation's schema. */
  private validate<C, P>(protocol: ProviderProtocol<C, P>, req: RawRequest, call: C, operation: Operation<C>, env: OperationEnv<P>): void {
    protocol.validate?.(req, call, operation, env);
    if (!operation.schema) return;
    const input = protocol.input ? protocol.input(call, operation) : call;
    if (input === NOTHING_TO_CHECK) return;
    const problems = this.deps.schemas.check(operation.schema, input);
    if (problems.length > 0) throw withReason(protocol.errors.invalid(problems, operation, call), `the request does not match ${operation.schema}: ${problems.map((p) => p.message).join('; ')}`);
  }

  /**
   * The handler's transaction. With a client token: a replay answers what the first call answered
   * (no second change); the first call's record is written in the same transaction as its change.
   */
  private async run<C, P>(protocol: ProviderProtocol<C, P>, call: C, operation: Operation<C, P>, principal: P, claim: TokenClaim | undefined, served: Served, origin: string): Promise<unknown> {
    const { store, idempotency } = this.deps;
    let changed: EntryChange[] | undefined;
    const work = () =>
      store.mutate((tx) => {
        const env = this.env(principal, protocol.name, operation.name);
        // The request's journal id, carried by the transition steps it schedules (the completed record names it).
        this.deps.lifecycle.originate(tx, origin);
        // Filled in at commit with what the transaction changed (the handler, and any transition settled inline).
        if (this.journaling && operation.mutates) changed = tx.recordChanges();
        if (!claim) return operation.handle(call, tx, env);
        const print = fingerprint(claim.input);
        const seen = idempotency.check(tx, claim.scope, claim.token, print);
        if (seen.kind === 'mismatch') throw claim.mismatch();
        if (seen.kind === 'replay') {
          served.reason = `a retry with ClientToken ${claim.token}: the first call's answer, replayed (nothing changed)`;
          return seen.response;
        }
        const result = operation.handle(call, tx, env);
        const kept = (protocol.remember ? protocol.remember(result, call, operation) : result) as Json;
        idempotency.remember(tx, claim.scope, claim.token, print, kept, env.now);
        return kept;
      });
    // Calls with one token run one at a time: the second sees the first's record, never a race.
    const result = await (claim ? idempotency.serialize(`${claim.scope}\u0000${claim.token}`, work) : work());
    if (changed && changed.length > 0) {
      const shown = changed.filter((c) => c.collection !== IDEMPOTENCY_COLLECTION);
      if (shown.length > 0) served.entryChanges = shown;
    }
    return result;
  }
}
