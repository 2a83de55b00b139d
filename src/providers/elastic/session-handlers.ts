/**
 * The users/auth operations: log in, refresh, elevate and drop elevation. Tokens are recorded in
 * `elastic.tokens`; elevation is recorded on the credential (API key or user) it belongs to.
 */
import { EMULATOR_KEY } from '../../core/state.js';
import { pruneIssued } from '../pruning.js';
import type { Tx } from '../../core/store.js';
import { type Principal, isElevated, issueToken } from './auth.js';
import { errors } from './errors.js';
import { ELASTIC } from './settings.js';
import type { Call, Reply } from './handlers.js';
import { TOKENS, USERS, iso } from './model.js';

/** TokenResponse: the bearer token and when it expires. */
function tokenResponse(token: string, expiresAt: number): { token: string; session_expiration_time: string } {
  return { token, session_expiration_time: iso(expiresAt) };
}

/** Live bearer tokens kept at most (documented in the README): the oldest is dropped to make room. */
export const MAX_LIVE_TOKENS = 1000;

/**
 * Expired tokens are never valid again (authenticate checks the expiry): each issue drops them, and
 * the oldest live ones beyond MAX_LIVE_TOKENS, in one pass over the (so bounded) list.
 */
function pruneTokens(tx: Tx, now: number): void {
  pruneIssued(tx, TOKENS, 'token', { expired: (t) => !(t.expiresAt > now), counted: () => true, cap: MAX_LIVE_TOKENS, adding: 1 });
}

export function login(call: Call): Reply {
  const { username, password } = call.body as { username: string; password: string };
  const { env, now, tx } = call;
  const user = tx.get(USERS, username);
  if (!user || user.password !== password) throw errors.unauthenticated();
  const expiresAt = now + env.settings.get(ELASTIC.tokenTtlMs);
  const token = issueToken(username, now, expiresAt, false);
  pruneTokens(tx, now);
  tx.insert(TOKENS, { token, username, issuedAt: now, expiresAt });
  return { status: 200, body: tokenResponse(token, expiresAt) };
}

function tokenOwner(p: Principal): { username: string } | { apiKey: string } {
  return p.collection === USERS ? { username: p.id } : { apiKey: p.id };
}

/** A new token for the same credential; the old one stays valid until it expires. */
export function refreshToken(call: Call): Reply {
  const { env, now, tx } = call;
  const p = call.principal!;
  const expiresAt = now + env.settings.get(ELASTIC.tokenTtlMs);
  const token = issueToken(p.userId, now, expiresAt, isElevated(p, now));
  pruneTokens(tx, now);
  tx.insert(TOKENS, { token, ...tokenOwner(p), issuedAt: now, expiresAt });
  return { status: 200, body: tokenResponse(token, expiresAt) };
}

/** Drops the credential's elevation at once; answers with a fresh, unelevated token. */
export function disableElevation(call: Call): Reply {
  const { env, now, tx } = call;
  const p = call.principal!;
  const expiresAt = now + env.settings.get(ELASTIC.tokenTtlMs);
  const token = issueToken(p.userId, now, expiresAt, false);
  pruneTokens(tx, now);
  tx.update(p.collection, p.id, (draft) => {
    if (draft[EMULATOR_KEY]) delete draft[EMULATOR_KEY].elevatedUntil;
  });
  tx.insert(TOKENS, { token, ...tokenOwner(p), issuedAt: now, expiresAt });
  return { status: 200, body: tokenResponse(token, expiresAt) };
}

/**
 * get-authentication-info: whether the caller's credential is elevated (and until when), where to
 * refresh a token, and, for a bearer token, when it expires. There is no TOTP device here.
 */
export function authenticationInfo(call: Call): Reply {
  const p = call.principal!;
  const elevated = isElevated(p, call.now);
  return {
    status: 200,
    body: {
      has_elevated_permissions: elevated,
      ...(elevated ? { elevated_permissions_expire_at: iso(p.elevatedUntil!) } : {}),
      has_totp_device: false,
      refresh_token_url: '/api/v1/users/auth/_refresh',
      ...(p.tokenExpiresAt !== undefined ? { expires_at: iso(p.tokenExpiresAt) } : {}),
    },
  };
}

/** Elevation belongs to the credential (API key or user), so every token of it is elevated until it lapses. */
export function elevate(call: Call): Reply {
  const { env, now, tx } = call;
  const p = call.principal!;
  // ECE documents 400 authc.invalid_token for a missed or invalid MFA token; there is no MFA
  // device here, so any non-empty token is accepted.
  const mfa = (call.body as { token?: unknown } | undefined)?.token;
  if (typeof mfa !== 'string' || mfa.trim() === '') throw errors.invalidMfaToken();
  const until = now + env.settings.get(ELASTIC.elevationTtlMs);
  const expiresAt = Math.max(until, now + env.settings.get(ELASTIC.tokenTtlMs));
  const token = issueToken(p.userId, now, expiresAt, true);
  pruneTokens(tx, now);
  tx.update(p.collection, p.id, (draft) => {
    draft[EMULATOR_KEY] = { ...(draft[EMULATOR_KEY] ?? {}), elevatedUntil: until };
  });
  tx.insert(TOKENS, { token, ...tokenOwner(p), issuedAt: now, expiresAt });
  return { status: 200, body: tokenResponse(token, expiresAt) };
}
