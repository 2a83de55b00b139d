/**
 * Who is calling: `Authorization: ApiKey <key>`, `Basic base64(user:password)` or `Bearer <token>`
 * (from POST /api/v1/users/auth/_login or _elevate). Roles decide what a caller may do; a credential
 * seeded with `"elevation": "required"` must elevate (the ECE "sudo" model) before any command, and
 * the elevation lapses on the emulator clock.
 */
import { randomBytes } from 'node:crypto';
import { EMULATOR_KEY, type Entry } from '../../core/state.js';
import type { ReadView } from '../../core/store.js';
import { errors } from './errors.js';
import { API_KEYS, TOKENS, USERS, hexId } from './model.js';

export type Role = 'platform_admin' | 'platform_viewer' | 'deployment_manager' | 'deployment_viewer';

export interface Principal {
  /** The entry that holds the credential's role, elevation and elevated-until time. */
  collection: typeof API_KEYS | typeof USERS;
  id: string;
  /** What ECE reports as the acting user (plan `source.user_id`). */
  userId: string;
  role: Role;
  elevationRequired: boolean;
  elevatedUntil?: number;
  /** When the bearer token the call came with expires (token authentication only). */
  tokenExpiresAt?: number;
}

const COMMAND_ROLES: ReadonlySet<Role> = new Set(['platform_admin', 'deployment_manager']);

export function mayRunCommands(p: Principal): boolean {
  return COMMAND_ROLES.has(p.role);
}

export function isElevated(p: Principal, now: number): boolean {
  return p.elevatedUntil !== undefined && p.elevatedUntil > now;
}

/** API keys act as a user of their own; the key itself never appears in a response. */
function apiKeyUser(key: string): string {
  return `api-key-${hexId('apiKey', key).slice(0, 8)}`;
}

function principalOf(collection: Principal['collection'], entry: Entry, userId: string): Principal {
  return {
    collection,
    id: collection === API_KEYS ? entry.key : entry.username,
    userId,
    role: entry.role ?? 'platform_admin',
    elevationRequired: entry.elevation === 'required',
    elevatedUntil: entry[EMULATOR_KEY]?.elevatedUntil,
  };
}

/** Resolves the Authorization header, or throws the ECE 401. */
export function authenticate(header: string | undefined, store: ReadView, now: number): Principal {
  if (!header) throw errors.unauthorized();
  const m = /^(\S+)\s+(.+)$/.exec(header.trim());
  if (!m) throw errors.unauthorized();
  const scheme = m[1]!.toLowerCase();
  const value = m[2]!.trim();
  if (scheme === 'apikey') {
    const key = store.get(API_KEYS, value);
    if (!key) throw errors.unauthorized();
    return principalOf(API_KEYS, key, apiKeyUser(value));
  }
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw errors.unauthorized();
    const user = store.get(USERS, decoded.slice(0, colon));
    if (!user || user.password !== decoded.slice(colon + 1)) throw errors.unauthorized();
    return principalOf(USERS, user, user.username);
  }
  if (scheme === 'bearer') {
    const token = store.get(TOKENS, value);
    if (!token || token.expiresAt <= now) throw errors.unauthorized('token');
    if (token.apiKey !== undefined) {
      const key = store.get(API_KEYS, token.apiKey);
      if (!key) throw errors.unauthorized('token');
      return { ...principalOf(API_KEYS, key, apiKeyUser(String(token.apiKey))), tokenExpiresAt: token.expiresAt };
    }
    const user = store.get(USERS, token.username);
    if (!user) throw errors.unauthorized('token');
    return { ...principalOf(USERS, user, user.username), tokenExpiresAt: token.expiresAt };
  }
  throw errors.unauthorized();
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT-shaped opaque token (clients only pass it back; nothing verifies the signature). */
export function issueToken(subject: string, now: number, expiresAt: number, elevated: boolean): string {
  const claims = { sub: subject, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), ...(elevated ? { elevated: true } : {}) };
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}.${randomBytes(24).toString('base64url')}`;
}
