/**
 * The one place a provider meets Express: read the body (under the size limit), hand the request to
 * the pipeline, write its reply, and tag the response for the access log and the journal.
 */
import type { Request, RequestHandler, Response } from 'express';
import { BodyError } from '../core/http.js';
import { rawBody } from './body.js';
import type { Pipeline } from '../core/pipeline/engine.js';
import type { ProviderProtocol } from '../core/pipeline/protocol.js';
import type { HttpReply, RawRequest } from '../core/pipeline/request.js';

/** What the HTTP layer knows of a request before its body is read: enough for a provider to claim it. */
export type RequestHead = Pick<RawRequest, 'method' | 'url' | 'path' | 'rawQuery' | 'headers'>;

export function headOf(req: Request): RequestHead {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return { method: req.method, url, path: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headers };
}

export function writeReply(res: Response, reply: HttpReply): void {
  res.status(reply.status);
  if (reply.statusMessage) res.statusMessage = reply.statusMessage;
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.end(reply.body);
}

/**
 * An Express handler serving one provider's protocol through the pipeline. `claims` picks the
 * requests that are the provider's (others go on to the next handler).
 */
export function protocolHandler(pipeline: Pipeline, protocol: ProviderProtocol, bodyLimit: number, claims: (head: RequestHead) => boolean): RequestHandler {
  const readBody = rawBody(bodyLimit);
  return (req, res, next) => {
    const head = headOf(req);
    if (!claims(head)) return next();
    res.locals.provider = protocol.name;
    readBody(req, res, (err?: unknown) => {
      const bodyError = err === undefined ? undefined : err instanceof BodyError ? err : new BodyError('unreadable', err instanceof Error ? err.message : 'unreadable body');
      const raw: RawRequest = {
        ...head,
        id: String(res.locals.requestId),
        body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        bodyError,
        bodyLimit,
        remoteAddress: req.socket.remoteAddress,
      };
      pipeline.serve(protocol, raw).then(
        (served) => {
          if (served.requestId) res.locals.requestId = served.requestId;
          Object.assign(res.locals, { operation: served.operation, errorCode: served.errorCode, unmatched: served.unmatched, resources: served.resources });
          writeReply(res, served.reply);
        },
        (failure: unknown) => next(failure),
      );
    });
  };
}
