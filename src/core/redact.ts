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
    // A plain object, not a null-prototype one (V8 keeps those as hash tables, costly to grow per request);
    // a `__proto__` key in a body is just a key, so it is defined, never assigned.
    const out: Record<string, Json> = {};
    for (const k of Object.keys(value)) {
      const v = SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : redact(value[k], depth + 1);
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
    }
    return out;
  }
  return (value === undefined ? null : value) as Json;
}
