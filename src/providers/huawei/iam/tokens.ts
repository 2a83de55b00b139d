/**
 * IAM's KeystoneCreateUserTokenByPassword (POST /v3/auth/tokens), enough for a client's login flow:
 * password method, project scope, against seeded huawei.users. The token goes in the
 * X-Subject-Token response header; the body holds its metadata.
 */
import type { Tx } from '../../../core/store.js';
import { COLLECTION, type TokenEntry, type UserEntry } from '../collections.js';
import { IamErrors } from '../errors.js';
import { pruneIssued } from '../../pruning.js';

/** Tokens this call issued (they carry `userName`) kept at most; the oldest is dropped to make room. */
export const MAX_ISSUED_TOKENS = 1000;
/**
 * How long an issued token is kept after it expires, so that a client still using it gets the
 * gateway's APIG.0307 "must be updated" rather than an unknown-token answer.
 */
export const EXPIRED_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

/** Issued tokens expired for longer than the grace are dropped, and the oldest beyond the cap; seeded ones (no userName) are the user's and stay. */
function pruneTokens(tx: Tx, now: number): void {
  const issued = (t: TokenEntry) => t.userName !== undefined;
  pruneIssued(tx, COLLECTION.tokens, 'token', {
    expired: (t) => issued(t as TokenEntry) && t.expiresAt !== undefined && Date.parse(t.expiresAt) + EXPIRED_TOKEN_GRACE_MS <= now,
    counted: (t) => issued(t as TokenEntry),
    cap: MAX_ISSUED_TOKENS,
    adding: 1,
  });
}

export interface TokenRequest {
  auth: {
    identity: { methods: string[]; password: { user: { name: string; password: string; domain: { name?: string; id?: string } } } };
    scope: { project: { name?: string; id?: string } };
  };
}

/** IAM writes times with microseconds: 2026-01-16T08:00:00.000000Z. */
function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export function issueToken(tx: Tx, body: TokenRequest, now: number, lifetimeSeconds: number, withCatalog: boolean, token: string) {
  const { user: who } = body.auth.identity.password;
  const user = tx.get(COLLECTION.users, who.name) as UserEntry | undefined;
  const domainMatches = user !== undefined && (who.domain.name === undefined || who.domain.name === user.domain) && (who.domain.id === undefined || who.domain.id === user.domainId);
  if (!user || !domainMatches || user.password !== who.password) throw IamErrors.wrongCredentials();
  const scope = body.auth.scope.project;
  if ((scope.id !== undefined && scope.id !== user.projectId) || (scope.name !== undefined && scope.name !== user.projectName)) throw IamErrors.projectNotAllowed();
  const expiresAt = now + lifetimeSeconds * 1000;
  const entry: TokenEntry = { token, projectId: user.projectId, expiresAt: new Date(expiresAt).toISOString(), userName: user.name };
  pruneTokens(tx, now);
  tx.insert(COLLECTION.tokens, entry);
  const domain = { id: user.domainId, name: user.domain };
  return {
    token: {
      expires_at: iamTime(expiresAt),
      issued_at: iamTime(now),
      methods: ['password'],
      ...(withCatalog ? { catalog: [] } : {}),
      project: { id: user.projectId, name: user.projectName, domain },
      roles: [],
      user: { id: user.id, name: user.name, domain, password_expires_at: '' },
    },
  };
}
