/**
 * What Huawei's API gateway checks before a KooPhone handler runs: a project-scoped IAM token
 * (X-Auth-Token) or an AK/SK signature (Authorization: SDK-HMAC-SHA256 ... with X-Sdk-Date).
 */
import type { ReadView } from '../../../core/store.js';
import { type AccessKeyEntry, COLLECTION, type TokenEntry } from '../collections.js';
import { GatewayErrors } from '../errors.js';
import { type SignableRequest, formatSdkDate, parseAuthorization, parseSdkDate, verifySignature } from './signature.js';

export interface Principal {
  projectId: string;
  via: 'token' | 'aksk';
}

export interface AuthOptions {
  now: number;
  /** 0 = do not compare X-Sdk-Date with the clock. */
  sdkDateSkewSeconds: number;
}

export function authenticate(req: SignableRequest, view: ReadView, options: AuthOptions): Principal {
  const token = req.header('x-auth-token');
  if (token !== undefined && token !== '') return byToken(token, view, options.now);
  const authorization = req.header('authorization');
  if (authorization !== undefined && /^SDK-HMAC-SHA256(\s|$)/.test(authorization.trim())) return bySignature(authorization, req, view, options);
  throw GatewayErrors.tokenNotFound();
}

function byToken(token: string, view: ReadView, now: number): Principal {
  const entry = view.get(COLLECTION.tokens, token) as TokenEntry | undefined;
  if (!entry) throw GatewayErrors.decryptTokenFail();
  if (entry.expiresAt !== undefined && Date.parse(entry.expiresAt) <= now) throw GatewayErrors.tokenMustBeUpdated();
  return { projectId: entry.projectId, via: 'token' };
}

function bySignature(header: string, req: SignableRequest, view: ReadView, options: AuthOptions): Principal {
  const auth = parseAuthorization(header);
  if (!auth) throw GatewayErrors.signatureFail();
  const key = view.get(COLLECTION.accessKeys, auth.access) as AccessKeyEntry | undefined;
  if (!key) throw GatewayErrors.akNotExist(auth.access);
  const sdkDate = req.header('x-sdk-date') ?? '';
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) throw GatewayErrors.signatureFail();
  if (options.sdkDateSkewSeconds > 0 && Math.abs(options.now - signedAt) > options.sdkDateSkewSeconds * 1000) {
    throw GatewayErrors.signatureExpired(sdkDate, formatSdkDate(options.now));
  }
  if (!verifySignature(req, auth, key.sk, sdkDate)) throw GatewayErrors.signatureFail();
  const projectHeader = req.header('x-project-id');
  if (projectHeader !== undefined && projectHeader !== '' && projectHeader !== key.projectId) throw GatewayErrors.projectMismatch();
  return { projectId: key.projectId, via: 'aksk' };
}
