/**
 * Provider-neutral HTTP plumbing. Bodies are read raw (with the size limit) so that each provider
 * parses them itself and answers a bad body with its own error envelope.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

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

/** Reads any body into req.body as a Buffer (empty Buffer when there is none). */
export function rawBody(limit: number): RequestHandler {
  const raw = express.raw({ type: () => true, limit, inflate: true });
  return (req, res, next) => {
    raw(req, res, (err?: any) => {
      if (err) {
        if (err.type === 'entity.too.large' || err.status === 413) return next(new BodyError('tooLarge', `request body is larger than ${limit} bytes`));
        return next(new BodyError('unreadable', `request body cannot be read: ${err.message}`));
      }
      if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0);
      next();
    });
  };
}

/** Parses req.body (a Buffer) as JSON; undefined for an empty body. */
export function jsonBody(req: Request): unknown {
  const buf = req.body as Buffer;
  if (!buf || buf.length === 0) return undefined;
  const text = buf.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(buf)) throw new BodyError('malformed', 'request body is not valid UTF-8');
  try {
    return JSON.parse(text);
  } catch (err: any) {
    throw new BodyError('malformed', `request body is not valid JSON: ${err.message}`);
  }
}

/** Marks what a request was, for the access log and the journal. */
export function tagRequest(res: Response, tags: { provider?: string; operation?: string; errorCode?: string }): void {
  Object.assign(res.locals, tags);
}

/** Wraps an async handler so a rejection reaches the router's error handler (Express 5 does this too). */
export function wrap(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown> | unknown): RequestHandler {
  return (req, res, next) => {
    Promise.resolve()
      .then(() => fn(req, res, next))
      .catch(next);
  };
}
