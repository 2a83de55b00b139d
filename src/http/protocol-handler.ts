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
  const headers = reply.headers;
  if (headers) for (const k in headers) res.setHeader(k, headers[k]!); // own keys: replies are literals
  res.end(reply.body);
}

/**
 * A network fault: the request was handled, and its answer is lost on the wire. `reset` aborts the
 * connection (a TCP reset where the platform allows), `empty` closes it without a byte, `partial`
 * sends the head and half the body then closes, `slow` sends it all after `delayMs`.
 */
function loseReply(res: Response, reply: HttpReply, kind: string, delayMs: number): void {
  const socket = res.socket;
  if (kind === 'slow') {
    setTimeout(() => writeReply(res, reply), delayMs);
    return;
  }
  if (!socket) return;
  if (kind === 'reset') {
    const s = socket as typeof socket & { resetAndDestroy?: () => void };
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
    else socket.destroy();
    return;
  }
  if (kind === 'empty') {
    socket.end();
    return;
  }
  // partial: the status line and headers promise the whole body; half of it arrives.
  const body = Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
  res.status(reply.status);
  for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
  res.setHeader('content-length', String(body.length));
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => socket.destroy());
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
          const locals = res.locals;
          if (served.requestId) locals.requestId = served.requestId;
          locals.operation = served.operation;
          locals.errorCode = served.errorCode;
          locals.served = served;
          if (served.network) loseReply(res, served.reply, served.network.kind, served.network.delayMs);
          else writeReply(res, served.reply);
        },
        (failure: unknown) => next(failure),
      );
    });
  };
}
