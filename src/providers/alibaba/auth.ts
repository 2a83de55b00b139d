/**
 * Who is calling an Alibaba RPC endpoint: an ACS3-HMAC-SHA256 `Authorization` header (the current
 * SDKs) or an RPC HMAC-SHA1 `Signature` parameter (pop-core, older SDKs), checked against the seeded
 * access keys. Strict mode also refuses unknown keys, stale timestamps and reused nonces.
 */
import { headerOf, type RawRequest } from '../../core/pipeline/request.js';
import type { EngineContext } from '../../core/context.js';
import type { ReadView } from '../../core/store.js';
import { ACCESS_KEYS, type AccessKey } from './accounts.js';
import { AlibabaError, protocolErrors } from './errors.js';
import { NonceMemory, nonceMemories, persistHorizon, persistedHorizon } from './nonces.js';
import { acs3Signature, acs3StringToSign, parseAcs3, rpcSignature, rpcStringToSign, sameText, sha256Hex } from './signature.js';
import type { SettingDef } from '../../core/settings.js';
import { ALIBABA } from './settings.js';

const MAX_SKEW_MS = 15 * 60 * 1000;
const EMPTY_SHA256 = sha256Hex('');

export interface Caller {
  accessKeyId: string;
  accountId: string;
  key: AccessKey | undefined;
}

/** The request's params, decoded: from the query alone, and with the form body's added. */
export interface RpcParams {
  query: Record<string, string>;
  all: Record<string, string>;
}

/** RPC signature v1: the common parameters a signed call must carry, in the order they are checked. */
const RPC_SIGNED_COMMON = ['Signature', 'SignatureMethod', 'SignatureVersion', 'Timestamp', 'SignatureNonce'] as const;

/** The headers that name the call must be signed, or the action could be swapped under a valid signature. */
const MUST_SIGN = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

export class AlibabaAuth {
  /** Strict mode's replay guard (nonces.ts): the nonces accepted, behind a horizon that survives restarts. */
  private readonly nonces = new NonceMemory();
  private horizonLoaded = false;

  constructor(private readonly ctx: EngineContext) {
    nonceMemories.set(ctx, this.nonces);
  }

  private get settings() {
    return this.ctx.settings;
  }

  /**
   * Who is calling. In strict mode the signing instant just accepted is on disk before this
   * resolves, so a restart cannot forget it.
   */
  async authenticate(req: RawRequest, params: RpcParams, state: ReadView, now: number): Promise<Caller> {
    const caller = this.verify(req, params, state, now);
    if (this.settings.get(ALIBABA.strictAuth)) await persistHorizon(this.ctx, this.nonces);
    return caller;
  }

  private verify(req: RawRequest, params: RpcParams, state: ReadView, now: number): Caller {
    const strict = this.settings.get(ALIBABA.strictAuth);
    const authorization = headerOf(req, 'authorization');
    if (authorization !== undefined) {
      const auth = parseAcs3(authorization);
      if (!auth) throw protocolErrors.incompleteSignature('The Authorization header must be "ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...".');
      const caller = this.lookup(state, auth.accessKeyId, strict);
      if (caller.key) {
        const payloadHash = req.body.length === 0 ? EMPTY_SHA256 : sha256Hex(req.body); // most RPC calls carry no body
        const claimed = headerOf(req, 'x-acs-content-sha256') ?? EMPTY_SHA256;
        for (const name of MUST_SIGN) {
          if ((name === 'host' || req.headers[name] !== undefined) && !auth.signedHeaders.includes(name)) throw protocolErrors.incompleteSignature(`SignedHeaders must include ${name}.`);
        }
        const stringToSign = acs3StringToSign({ method: req.method, path: req.path, query: params.query, headers: req.headers, signedHeaders: auth.signedHeaders, payloadHash: claimed });
        if (claimed !== payloadHash || !sameText(acs3Signature(caller.key.AccessKeySecret, stringToSign), auth.signature)) throw this.mismatch(stringToSign);
      }
      if (strict) this.freshness(caller.accessKeyId, headerOf(req, 'x-acs-date'), headerOf(req, 'x-acs-signature-nonce'), now);
      return caller;
    }
    const all = params.all;
    const accessKeyId = all.AccessKeyId;
    if (!accessKeyId) throw protocolErrors.missingCommon('AccessKeyId');
    // The signature's own parameters: a value other than the one the gateway supports is refused even for a sandbox key.
    if (all.SignatureMethod !== undefined && all.SignatureMethod !== 'HMAC-SHA1') throw protocolErrors.unsupportedSignatureMethod(all.SignatureMethod);
    if (all.SignatureVersion !== undefined && all.SignatureVersion !== '1.0') throw protocolErrors.unsupportedSignatureVersion(all.SignatureVersion);
    const caller = this.lookup(state, accessKeyId, strict);
    if (caller.key) {
      // Every common parameter the signature covers must be there (each has the gateway's own Missing{Name} code).
      for (const name of RPC_SIGNED_COMMON) if (all[name] === undefined || all[name] === '') throw protocolErrors.missingCommon(name);
      const stringToSign = rpcStringToSign(req.method, all);
      if (!sameText(rpcSignature(caller.key.AccessKeySecret, stringToSign), all.Signature!)) throw this.mismatch(stringToSign);
    }
    if (strict) this.freshness(caller.accessKeyId, all.Timestamp, all.SignatureNonce, now);
    return caller;
  }

  /** The pages disagree on some auth statuses: a setting picks. */
  private withStatus(err: AlibabaError, setting: SettingDef<number>): AlibabaError {
    return new AlibabaError(this.settings.get<number>(setting), err.code, err.message, err.extra);
  }

  private mismatch(stringToSign: string): AlibabaError {
    return this.withStatus(protocolErrors.signatureDoesNotMatch(stringToSign), ALIBABA.signatureMismatchStatus);
  }

  private lookup(state: ReadView, accessKeyId: string, strict: boolean): Caller {
    const key = state.get(ACCESS_KEYS, accessKeyId) as AccessKey | undefined;
    if (key) return { accessKeyId, accountId: key.AccountId, key };
    if (strict) throw this.withStatus(protocolErrors.invalidAccessKeyIdNotFound(), ALIBABA.unknownKeyStatus);
    return { accessKeyId, accountId: this.settings.get(ALIBABA.defaultAccountId), key: undefined };
  }

  /** Strict mode: the timestamp within 15 minutes of the emulator clock, signed after the replay guard's horizon, the nonce never seen. */
  private freshness(accessKeyId: string, timestamp: string | undefined, nonce: string | undefined, now: number): void {
    if (!timestamp) throw protocolErrors.missingCommon('Timestamp');
    const at = Date.parse(timestamp);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(timestamp) || Number.isNaN(at)) throw protocolErrors.invalidTimeStampFormat();
    if (Math.abs(at - now) > MAX_SKEW_MS) throw protocolErrors.invalidTimeStampExpired(timestamp);
    if (!nonce) throw protocolErrors.missingCommon('SignatureNonce');
    if (!this.horizonLoaded) {
      // Nonces accepted before this process started are not in memory: nothing signed up to the
      // latest instant the earlier processes accepted may pass.
      const persisted = persistedHorizon(this.ctx);
      if (persisted !== undefined) this.nonces.raiseHorizon(persisted);
      this.horizonLoaded = true;
    }
    const verdict = this.nonces.admit(`${accessKeyId}\u0000${nonce}`, at, now - MAX_SKEW_MS);
    if (verdict === 'used') throw protocolErrors.signatureNonceUsed();
    if (verdict === 'beforeHorizon') throw protocolErrors.timeStampBeforeHorizon(timestamp, new Date(this.nonces.horizon).toISOString());
  }
}
