/**
 * The Alibaba RPC endpoint. For every call, in this order: find the operation (version + action),
 * authenticate (ACS3 header or RPC signature), check the key's RAM actions, apply an injected
 * fault, validate params against the request schema, replay or reject a reused ClientToken, run
 * the handler, and render the envelope. Every failure is an AlibabaError rendered as JSON.
 */
import { Router, type Request, type Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineContext } from '../../core/context.js';
import { DurabilityError } from '../../core/errors.js';
import { BodyError, rawBody, tagRequest } from '../../core/http.js';
import type { Json } from '../../core/state.js';
import { ACCESS_KEYS, allows, type AccessKey } from './accounts.js';
import { accessDeniedDetail, AlibabaError, defineError, protocolErrors } from './errors.js';
import type { RpcCall, RpcOperation } from './operation.js';
import { acs3Signature, acs3StringToSign, parseAcs3, rpcSignature, rpcStringToSign, sameText, sha256Hex } from './signature.js';
import { dict } from '../lookup.js';
import { NonceMemory, nonceMemories, persistHorizon, persistedHorizon } from './nonces.js';
import { DEFAULT_ACCOUNT, SIGNATURE_MISMATCH_STATUS, STRICT_AUTH, UNKNOWN_ACTION, UNKNOWN_KEY_STATUS } from './settings.js';

/** Params that belong to the protocol, not to the API: never passed to a handler. */
const PROTOCOL_PARAMS = new Set(['Action', 'Version', 'Format', 'Timestamp', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'SignatureType', 'AccessKeyId', 'Signature', 'SecurityToken', 'BearerToken']);
const MAX_SKEW_MS = 15 * 60 * 1000;
const EMPTY_SHA256 = sha256Hex('');

/** The default permission error: ENS documents 400 NoPermission; the detail is what RAM adds. */
const noPermission = defineError(
  400,
  'NoPermission',
  (_action: string, _accountId: string, _accessKeyId: string) => 'The operator is not permission for this operation.',
  (action: string, accountId: string, accessKeyId: string) => ({ AccessDeniedDetail: accessDeniedDetail(action, accountId, accessKeyId) }),
);

export interface RpcOperationWithDenial extends RpcOperation {
  /**
   * What a product documents for a key whose Actions do not allow the call: an error, or a success
   * body to send instead (ECI's DescribeContainerGroups answers an empty list).
   */
  denied?(permission: string, call: RpcCall): AlibabaError | Record<string, unknown>;
}

interface Caller {
  accessKeyId: string;
  accountId: string;
  key: AccessKey | undefined;
}

export function alibabaRouter(ctx: EngineContext, operations: RpcOperationWithDenial[]): Router {
  const byKey = new Map<string, RpcOperationWithDenial>();
  const hostByVersion = new Map<string, { hostId: string; product: string }>();
  for (const op of operations) {
    byKey.set(`${op.version}|${op.action}`, op);
    hostByVersion.set(op.version, { hostId: op.hostId, product: op.product });
  }
  const nonces = new NonceMemory();
  nonceMemories.set(ctx, nonces);
  let horizonLoaded = false;
  const readBody = rawBody(ctx.config.bodyLimit);
  const router = Router();

  router.all('/', (req, res, next) => {
    if (!looksLikeRpc(req)) return next();
    readBody(req, res, (err?: unknown) => {
      void serve(req, res, err);
    });
  });

  async function serve(req: Request, res: Response, bodyErr: unknown): Promise<void> {
    // Alibaba request ids are upper-case UUIDs; the journal and log then name the id the client saw.
    const requestId = String(res.locals.requestId ?? '').toUpperCase();
    res.locals.requestId = requestId;
    let hostId = hostOf(req);
    let product = 'Eci';
    let operation: string | undefined;
    try {
      if (bodyErr) {
        if (bodyErr instanceof BodyError && bodyErr.kind === 'tooLarge') throw protocolErrors.bodyTooLarge(ctx.config.bodyLimit);
        throw protocolErrors.badBody(bodyErr instanceof Error ? bodyErr.message : 'unreadable');
      }
      if (req.method !== 'GET' && req.method !== 'POST') throw protocolErrors.unsupportedHttpMethod(req.method);
      const { query, all } = readParams(req);
      const action = header(req, 'x-acs-action') ?? all.Action;
      const version = header(req, 'x-acs-version') ?? all.Version;
      operation = action;
      const known = version ? hostByVersion.get(version) : undefined;
      if (known) {
        hostId = known.hostId;
        product = capitalize(known.product);
      }
      if (!action) throw protocolErrors.missingAction();
      if (!version) throw protocolErrors.missingVersion();
      if (!known) throw protocolErrors.invalidVersion(version);
      const op = byKey.get(`${version}|${action}`);
      if (!op) throw ctx.settings.get<string>(UNKNOWN_ACTION) === 'InvalidAction' ? protocolErrors.invalidAction(action) : protocolErrors.invalidActionNotFound(action);

      const now = ctx.clock.now();
      const caller = authenticate(req, query, all, now);
      // Strict mode: the signing instant just accepted is on disk before the answer goes out, so a restart cannot forget it.
      if (ctx.settings.get<boolean>(STRICT_AUTH)) await persistHorizon(ctx, nonces);
      const params = dict<string>();
      for (const [k, v] of Object.entries(all)) if (!PROTOCOL_PARAMS.has(k)) params[k] = v;
      const call: RpcCall = { action, version, params, regionId: params.RegionId, accountId: caller.accountId, accessKeyId: caller.accessKeyId, requestId, now };

      const permission = op.permission ?? `${op.product}:${action}`;
      let deniedBody: Record<string, unknown> | undefined;
      if (caller.key && !allows(caller.key.Actions, permission)) {
        const denial = op.denied ? op.denied(permission, call) : noPermission(permission, caller.accountId, caller.accessKeyId);
        if (denial instanceof AlibabaError) throw denial;
        deniedBody = denial;
      }

      const fault = ctx.faults.match({ provider: 'alibaba', operation: action, resourceIds: op.resourceIds?.(call) ?? [] });
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      // A rule with only a latency delays the call; any other rule fails it.
      if (fault && (fault.code || fault.httpStatus || fault.message || !fault.latencyMs)) {
        const base = protocolErrors.internalError();
        throw new AlibabaError(fault.httpStatus ?? base.httpStatus, fault.code ?? base.code, fault.message ?? base.message);
      }

      validate(op, params);
      const body = deniedBody ? { RequestId: requestId, ...deniedBody } : await runIdempotent(op, call);
      tagRequest(res, { provider: 'alibaba', operation: action });
      send(res, 200, body, requestId);
    } catch (err) {
      // A change that could not be stored was undone: the documented 503 ServiceUnavailable says "try again".
      const e = err instanceof AlibabaError ? err : err instanceof DurabilityError ? protocolErrors.serviceUnavailable() : unexpected(err);
      const envelope = {
        RequestId: requestId,
        HostId: hostId,
        Code: e.code,
        Message: e.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=${product}&requestId=${requestId}`,
        ...(e.extra ?? {}),
      };
      if (e.code.includes('Throttling')) res.setHeader('x-acs-retry-after', '1000');
      tagRequest(res, { provider: 'alibaba', operation, errorCode: e.code });
      send(res, e.httpStatus, envelope, requestId);
    }
  }

  function unexpected(err: unknown): AlibabaError {
    ctx.logger.error({ err }, 'alibaba handler failed');
    return protocolErrors.internalError();
  }

  function authenticate(req: Request, query: Record<string, string>, all: Record<string, string>, now: number): Caller {
    const strict = ctx.settings.get<boolean>(STRICT_AUTH);
    const authorization = header(req, 'authorization');
    if (authorization !== undefined) {
      const auth = parseAcs3(authorization);
      if (!auth) throw protocolErrors.incompleteSignature('The Authorization header must be "ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...".');
      const caller = lookup(auth.accessKeyId, strict);
      const date = header(req, 'x-acs-date');
      const nonce = header(req, 'x-acs-signature-nonce');
      if (caller.key) {
        const body = req.body as Buffer;
        const payloadHash = sha256Hex(body);
        const claimed = header(req, 'x-acs-content-sha256') ?? EMPTY_SHA256;
        // The headers that name the call must be signed, or the action could be swapped under a valid signature.
        for (const name of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256']) {
          if ((name === 'host' || req.headers[name] !== undefined) && !auth.signedHeaders.includes(name)) throw protocolErrors.incompleteSignature(`SignedHeaders must include ${name}.`);
        }
        const stringToSign = acs3StringToSign({ method: req.method, path: pathOf(req), query, headers: req.headers, signedHeaders: auth.signedHeaders, payloadHash: claimed });
        if (claimed !== payloadHash || !sameText(acs3Signature(caller.key.AccessKeySecret, stringToSign), auth.signature)) {
          throw mismatch(stringToSign);
        }
      }
      if (strict) freshness(caller.accessKeyId, date, nonce, now);
      return caller;
    }
    const accessKeyId = all.AccessKeyId;
    if (!accessKeyId) throw protocolErrors.missingAccessKeyId();
    const caller = lookup(accessKeyId, strict);
    if (caller.key) {
      if (all.Signature === undefined) throw protocolErrors.missingParameter('Signature');
      const method = all.SignatureMethod ?? '';
      if (method !== 'HMAC-SHA1') throw protocolErrors.unsupportedSignatureMethod(method);
      const stringToSign = rpcStringToSign(req.method, all);
      if (!sameText(rpcSignature(caller.key.AccessKeySecret, stringToSign), all.Signature)) throw mismatch(stringToSign);
    }
    if (strict) freshness(caller.accessKeyId, all.Timestamp, all.SignatureNonce, now);
    return caller;
  }

  /** The pages disagree on some auth statuses: a setting picks. */
  function withStatus(err: AlibabaError, setting: string): AlibabaError {
    return new AlibabaError(ctx.settings.get<number>(setting), err.code, err.message, err.extra);
  }

  function mismatch(stringToSign: string): AlibabaError {
    return withStatus(protocolErrors.signatureDoesNotMatch(stringToSign), SIGNATURE_MISMATCH_STATUS);
  }

  function lookup(accessKeyId: string, strict: boolean): Caller {
    const key = ctx.store.get(ACCESS_KEYS, accessKeyId) as AccessKey | undefined;
    if (key) return { accessKeyId, accountId: key.AccountId, key };
    if (strict) throw withStatus(protocolErrors.invalidAccessKeyIdNotFound(), UNKNOWN_KEY_STATUS);
    return { accessKeyId, accountId: ctx.settings.get<string>(DEFAULT_ACCOUNT), key: undefined };
  }

  /** Strict mode: the timestamp within 15 minutes of the emulator clock, signed after the replay guard's horizon, the nonce never seen. */
  function freshness(accessKeyId: string, timestamp: string | undefined, nonce: string | undefined, now: number): void {
    if (!timestamp) throw protocolErrors.missingParameter('Timestamp');
    const at = Date.parse(timestamp);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(timestamp) || Number.isNaN(at)) throw protocolErrors.invalidTimeStampFormat();
    if (Math.abs(at - now) > MAX_SKEW_MS) throw protocolErrors.invalidTimeStampExpired(timestamp);
    if (!nonce) throw protocolErrors.missingParameter('SignatureNonce');
    if (!horizonLoaded) {
      // Nonces accepted before this process started are not in memory: nothing signed up to the
      // latest instant the earlier processes accepted may pass.
      const persisted = persistedHorizon(ctx);
      if (persisted !== undefined) nonces.raiseHorizon(persisted);
      horizonLoaded = true;
    }
    const verdict = nonces.admit(`${accessKeyId}\u0000${nonce}`, at, now - MAX_SKEW_MS);
    if (verdict === 'used') throw protocolErrors.signatureNonceUsed();
    if (verdict === 'beforeHorizon') throw protocolErrors.timeStampBeforeHorizon(timestamp, new Date(nonces.horizon).toISOString());
  }

  function validate(op: RpcOperation, params: Record<string, string>): void {
    const id = `alibaba/${op.product}/${op.action}.request.json`;
    if (!ctx.schemas.has(id)) return;
    const errors = ctx.schemas.check(id, params);
    if (errors.length === 0) return;
    const required = errors.find((e) => e.keyword === 'required');
    if (required) throw protocolErrors.missingParameter(String(required.params.missingProperty));
    const first = errors[0]!;
    const name = first.keyword === 'additionalProperties' ? String(first.params.additionalProperty) : first.path.replace(/^\//, '').split('/')[0]!;
    throw protocolErrors.invalidParameter(name, first.message.replace(/^\S+\s/, 'It '));
  }

  /**
   * ClientToken, on calls that change state (reads ignore it): the same token and params replay the first success (same RequestId, no second
   * change); other params → IdempotentParameterMismatch. A token in flight is waited for first.
   */
  async function runIdempotent(op: RpcOperation, call: RpcCall): Promise<Record<string, unknown>> {
    const token = call.params.ClientToken;
    const run = async () => ({ RequestId: call.requestId, ...(await op.handle(call, ctx)) });
    if (!op.changesState || token === undefined || token === '') return run();
    if (token.length > 64 || !/^[\x20-\x7e]+$/.test(token)) throw protocolErrors.invalidParameter('ClientToken', 'It must be at most 64 ASCII characters.');
    const scope = `alibaba:${call.accountId}:${op.product}:${op.action}`;
    return ctx.idempotency.run(ctx.store, scope, token, call.params, call.now, run as () => Promise<Record<string, Json>>, () => protocolErrors.idempotentParameterMismatch());
  }

  return router;
}

/** An RPC call names its action, or carries Alibaba credentials; anything else is not ours. */
function looksLikeRpc(req: Request): boolean {
  if (req.headers['x-acs-action'] || req.headers['x-acs-version']) return true;
  if (String(req.headers.authorization ?? '').startsWith('ACS3-')) return true;
  const q = req.url.indexOf('?');
  if (q >= 0) {
    const p = new URLSearchParams(req.url.slice(q + 1));
    if (p.has('Action') || p.has('AccessKeyId') || p.has('Signature')) return true;
  }
  return String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
}

function readParams(req: Request): { query: Record<string, string>; all: Record<string, string> } {
  // Prototype-less: a param named `__proto__` or `constructor` is a param like any other.
  const query = dict<string>();
  const q = req.url.indexOf('?');
  if (q >= 0) for (const [k, v] of new URLSearchParams(req.url.slice(q + 1))) query[k] = v;
  const all = Object.assign(dict<string>(), query);
  const body = req.body as Buffer;
  if (body.length > 0 && String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) all[k] = v;
  }
  return { query, all };
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  if (Array.isArray(v)) return v.join(',');
  return v === undefined || v === '' ? undefined : v;
}

function pathOf(req: Request): string {
  const q = req.url.indexOf('?');
  return q >= 0 ? req.url.slice(0, q) : req.url;
}

function hostOf(req: Request): string {
  return String(req.headers.host ?? 'aliyuncs.com');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function send(res: Response, status: number, body: Record<string, unknown>, requestId: string): void {
  res.status(status);
  res.setHeader('content-type', 'application/json;charset=utf-8');
  res.setHeader('x-acs-request-id', String(body.RequestId ?? requestId));
  res.end(JSON.stringify(body));
}
