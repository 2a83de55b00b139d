/**
 * Request bodies as every provider reads them: the HTTP layer (src/http) reads them raw, under the
 * size limit, so that each provider parses them itself and answers a bad body in its own envelope.
 */
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-guard.js';

/** Why a body could not be read: `tooLarge` → 413, anything else → the provider's 400. */
export class BodyError extends Error {
  constructor(
    readonly kind: 'tooLarge' | 'unreadable' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Parses req.body (a Buffer) as JSON; undefined for an empty body. A body nested deeper than
 * MAX_JSON_DEPTH levels is malformed (the provider's 400): nothing downstream has to recurse that deep.
 */
export function jsonBody(req: { body?: unknown }): unknown {
  const buf = req.body as Buffer;
  if (!buf || buf.length === 0) return undefined;
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(buf)) throw new BodyError('malformed', 'request body is not valid UTF-8');
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new BodyError('malformed', `request body nests deeper than ${MAX_JSON_DEPTH} levels (the limit)`);
  try {
    return JSON.parse(text);
  } catch (err: any) {
    throw new BodyError('malformed', `request body is not valid JSON: ${err.message}`);
  }
}
