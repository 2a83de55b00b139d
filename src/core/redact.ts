/**
 * What the journal shows of a request's params or body: everything, but credentials, signatures and
 * tokens, whose values are replaced. A client token (ClientToken) is not a credential: a test asks
 * which one its code sent.
 */
import { isPlainObject, type Json } from './state.js';

export const REDACTED = '[redacted]';

/** Keys whose values are secrets, whatever the provider (compared without case). */
const SECRET_KEYS = new Set(['signature', 'securitytoken', 'bearertoken', 'password', 'accesskeysecret', 'sk', 'secret', 'token', 'authorization', 'x-auth-token', 'x-subject-token']);

export function redact(value: unknown, depth = 0): Json {
  if (depth > 64) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, Json> = Object.create(null); // a `__proto__` key in a body is just a key
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return (value === undefined ? null : value) as Json;
}
