/**
 * What a provider plugs into the one request pipeline (engine.ts): how to read a request into a call,
 * how to authenticate and authorise it, how to render a result or an error in its own envelope, and a
 * table of operations. The engine owns the order of the steps; a provider never sees Express, and an
 * operation never sees the HTTP request.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { FaultRule, TransitionFault } from '../faults.js';
import type { Lifecycle } from '../lifecycle.js';
import type { ReadableError } from '../schemas.js';
import type { Settings } from '../settings.js';
import type { Entry } from '../state.js';
import type { ReadView, Tx } from '../store.js';
import type { Durations } from '../transitions.js';
import type { HttpReply, RawRequest } from './request.js';

const REASON = Symbol('reason');

/**
 * Attaches the emulator's reason, in plain words, to a provider's error: the journal and the debug
 * log show it beside the faithful message (which often does not say what was wrong).
 */
export function withReason<E extends Error>(err: E, reason: string): E {
  (err as E & { [REASON]?: string })[REASON] = reason;
  return err;
}

export function reasonOf(err: unknown): string | undefined {
  return err instanceof Error ? (err as Error & { [REASON]?: string })[REASON] : undefined;
}

/** Returned by a protocol's `input` when there is nothing for the schema to check. */
export const NOTHING_TO_CHECK: unique symbol = Symbol('nothing to check');

/** What an operation's handler may use besides its call and its transaction. */
export interface OperationEnv<P = unknown> {
  /** The emulator clock at the start of the call (ms); use it, not the clock, for the call's own times. */
  readonly now: number;
  /** Who is calling, as the provider's authentication found (undefined before that step). */
  readonly principal: P;
  readonly clock: Clock;
  readonly settings: Settings;
  readonly durations: Durations;
  readonly lifecycle: Lifecycle;
  readonly logger: Logger;
  /**
   * What a transition fault rule makes of the transition this call starts on a resource: 'fail'
   * (it ends in the provider's failure state), 'stuck' (it never completes), or undefined (as usual).
   * Ask once per resource, when scheduling its transition: asking counts the rule as fired.
   */
  transitionFault(resourceIds: string | readonly string[]): TransitionFault | undefined;
}

/**
 * One operation: a row of its provider's table. `C` is the provider's call (what its reader made of
 * the request), `R` what the handler returns for the provider's renderer.
 */
export interface Operation<C = any, P = any, R = any> {
  /** The provider's own name for it (Alibaba's Action, ECE's operationId, ...): faults and the journal use it. */
  readonly name: string;
  /** $id of the JSON Schema the call's input (the provider's `input(call)`) must match. */
  readonly schema?: string;
  /** Ids of the resources the call names, for fault rules and the journal. */
  resources?(call: C): string[];
  /**
   * Changes state: only such operations remember a client token (a read answers afresh every time,
   * so a token on it is accepted and ignored).
   */
  readonly mutates?: boolean;
  /** The product it belongs to, when the provider serves several (Alibaba "eci"/"ens", Huawei "koophone"/"iam"): the dashboard groups by it. */
  readonly service?: string;
  /**
   * The work, inside one transaction that also holds the client token's record: the change and the
   * memory of it are durable together or not at all. Throws the provider's errors.
   */
  handle(call: C, tx: Tx, env: OperationEnv<P>): R;
}

/**
 * How the reader placed a request: an operation with its call; a name the emulator does not serve;
 * or a request refused before it names an operation (`name` is what the journal calls it).
 */
export type Routed<C> = { operation: Operation<C>; call: C } | { unmatched: string; call?: C } | { refused: Error; name?: string; call?: C };

/** A client token to honour: the same token with the same input replays the first answer. */
export interface TokenClaim {
  /** Separates accounts and operations: a token means nothing outside its scope. */
  scope: string;
  token: string;
  /** What must be the same for a replay (otherwise the provider's mismatch error). */
  input: Record<string, unknown>;
  mismatch(): Error;
}

/** The provider's answers to the engine's own failures, each in its envelope. */
export interface ProviderErrors<C = any> {
  /** A fault rule fired: its status/code/message, each defaulting to the provider's internal error. */
  fault(rule: FaultRule, operation: Operation<C>, call: C): Error;
  /** The request does not match the operation's schema. */
  invalid(problems: ReadableError[], operation: Operation<C>, call: C): Error;
  /** A change could not be made durable (nothing was applied). */
  unavailable(operation: Operation<C> | undefined, call: C | undefined): Error;
  /** Anything unexpected (logged by the engine). */
  internal(operation: Operation<C> | undefined, call: C | undefined): Error;
  /** The request names an operation the emulator does not serve (the message says it is not emulated). */
  notEmulated(name: string): Error;
  /** The provider's documented throttling error (a throttle or rate-limit fault rule). */
  throttled(rule: FaultRule): Error;
}

/** What a resource type's describe needs: the emulator clock, the settings, and the state to read. */
export interface ResourceEnv {
  readonly now: number;
  readonly settings: Settings;
  readonly view: ReadView;
}

/** One resource as its provider describes it for GET /_emulator/resources (the engine adds provider, kind, service and the next step). */
export interface ResourceDescription {
  /** The provider's own name for it, when it has one. */
  name?: string;
  /** The provider's own status word or code, as its describe call shows it. */
  status: string | number;
  region?: string;
  /** The public view, exactly as the provider's describe/get call returns the resource. */
  view: Record<string, unknown>;
}

/**
 * A kind of resource the dashboard lists: the collection its entries live in (keyed by the
 * provider-native id) and how the provider's describe call renders one. Only a page of entries is
 * ever described, so rendering may cost what the describe call costs.
 */
export interface ResourceType {
  collection: string;
  /** e.g. "containerGroup", "instance", "deployment", "phone-instance". */
  kind: string;
  service: string;
  describe(entry: Entry, env: ResourceEnv): ResourceDescription;
}

export interface ProviderProtocol<C = any, P = any> {
  /** The provider's name (its part of the state document, fault rules' `provider`). */
  readonly name: string;
  /** Every operation it serves (fault rules and the journal name them). */
  readonly operations: readonly Operation<C, P>[];
  /** The resources it shows on the dashboard (GET /_emulator/resources), by type; none if left out. */
  readonly resources?: readonly ResourceType[];
  /**
   * Reads the request into a call and finds its operation. Throws the provider's error for what it
   * cannot read (a bad body, an unknown API version, ...). `bodyError` is for this step to answer.
   */
  route(req: RawRequest, env: OperationEnv<undefined>): Routed<C>;
  /** Who is calling; throws the provider's 401/403 style errors. May wait (e.g. to make a replay guard durable). */
  authenticate(req: RawRequest, call: C, operation: Operation<C>, env: OperationEnv<undefined>, state: ReadView): P | Promise<P>;
  /**
   * Whether the caller may run the operation: throws the denial, or returns a result to answer
   * instead of running it (some products answer a denied list with an empty one).
   */
  authorize?(call: C, operation: Operation<C>, env: OperationEnv<P>): { result: unknown } | undefined;
  /** The value the operation's schema checks (params, body, ...); NOTHING_TO_CHECK skips the schema (an optional body left out). */
  input?(call: C, operation: Operation<C>): unknown;
  /** Checks the schema cannot say (protocol headers, typed query params); throws the provider's error. */
  validate?(req: RawRequest, call: C, operation: Operation<C>, env: OperationEnv<P>): void;
  /** The client token the call carries, if the provider has such a thing and the call sent one. */
  clientToken?(call: C, operation: Operation<C>, principal: P): TokenClaim | undefined;
  /**
   * The success reply. A token replay renders what `remember` kept of the first result, so
   * `render(remember(r))` must answer what `render(r)` did (the same request id included).
   */
  render(result: unknown, call: C, operation: Operation<C>, req: RawRequest): HttpReply;
  /** The JSON a token keeps for a result (by default the result itself). */
  remember?(result: unknown, call: C, operation: Operation<C>): unknown;
  /** Whether `err` is one of the provider's own errors (anything else is unexpected). */
  isError(err: unknown): boolean;
  /** An error in the provider's envelope, with the code the journal records. */
  renderError(err: Error, call: C | undefined, operation: Operation<C> | undefined, req: RawRequest): HttpReply & { code: string };
  readonly errors: ProviderErrors<C>;
  /** The request id the client sees, when the provider shows the emulator's id differently (Alibaba: upper case). */
  requestId?(req: RawRequest): string;
  /**
   * What the journal shows of a request: its decoded params or body (the engine redacts credentials)
   * and the id the client sent with it, if any. Called for matched and refused requests alike.
   */
  describe?(req: RawRequest, call: C | undefined): { params?: unknown; clientRequestId?: string };
}
