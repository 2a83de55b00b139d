/**
 * Reading request bodies, the Express side: raw bytes under a size limit, so that each provider
 * parses them itself and answers a bad body with its own error envelope.
 */
import express, { type RequestHandler, type Response } from 'express';
import { BodyError } from '../core/http.js';

/**
 * Reads any body into req.body as a Buffer (empty when there is none), at most `limit` bytes.
 * Plain bodies are read here directly (the hot path); compressed ones go through body-parser,
 * which knows the encodings.
 */
export function rawBody(limit: number): RequestHandler {
  const inflating = express.raw({ type: () => true, limit, inflate: true });
  return (req, res, next) => {
    if (Buffer.isBuffer(req.body)) return next(); // read by an earlier router already
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding !== 'identity') {
      return inflating(req, res, (err?: any) => {
        if (err) return next(bodyError(err, limit));
        if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0);
        next();
      });
    }
    const declared = req.headers['content-length'];
    if (declared === undefined && req.headers['transfer-encoding'] === undefined) {
      req.body = Buffer.alloc(0); // no body by HTTP's framing rules
      return next();
    }
    if (declared !== undefined && Number(declared) > limit) {
      req.resume(); // drain, so the error can still be answered on this connection
      return next(new BodyError('tooLarge', `request body is larger than ${limit} bytes`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (err: BodyError) => {
      if (failed) return;
      failed = true;
      next(err);
    };
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) return fail(new BodyError('tooLarge', `request body is larger than ${limit} bytes`));
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      if (declared !== undefined && size !== Number(declared)) return fail(new BodyError('unreadable', 'request body is shorter than its Content-Length'));
      req.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      failed = true;
      next();
    });
    req.on('error', (err) => fail(new BodyError('unreadable', `request body cannot be read: ${err.message}`)));
  };
}

function bodyError(err: any, limit: number): BodyError {
  if (err.type === 'entity.too.large' || err.status === 413) return new BodyError('tooLarge', `request body is larger than ${limit} bytes`);
  return new BodyError('unreadable', `request body cannot be read: ${err.message}`);
}

/** Marks what a request was, for the access log and the journal. */
export function tagRequest(res: Response, tags: { provider?: string; operation?: string; errorCode?: string }): void {
  Object.assign(res.locals, tags);
}
