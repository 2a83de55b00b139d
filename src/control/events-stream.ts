/**
 * GET /_emulator/events: the event bus (src/core/events.ts) as a text/event-stream. Bounded: at most
 * --event-streams open at once (one more is 429), and a reader that lets more than
 * SLOW_READER_BYTES pile up unsent is disconnected (it reconnects) rather than buffered without end.
 * A keep-alive comment every --event-keepalive ms keeps proxies and idle timeouts from cutting a
 * quiet stream. The stream needs the same access as any control route (the router checked it).
 */
import type { NextFunction, Request, Response } from 'express';
import type { EngineContext } from '../core/context.js';

/** Unsent bytes an event stream may hold (its socket's buffer included) before the reader is dropped. */
export const SLOW_READER_BYTES = 1024 * 1024;
/** What a browser waits before reconnecting a dropped stream (ms). */
const RETRY_MS = 2000;

export function eventStream(ctx: EngineContext, refuse: (status: number, message: string) => Error) {
  let open = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    if (ctx.events.closed) return next(refuse(503, 'the emulator is stopping'));
    const most = ctx.config.eventStreams;
    if (open >= most) return next(refuse(429, `at most ${most} event streams are open at once (--event-streams); close one, or try again later`));
    open++;
    let ended = false;
    let unsubscribe = () => {};
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (ended) return;
      ended = true;
      open--;
      unsubscribe();
      clearInterval(timer);
    };
    const send = (text: string) => {
      if (ended) return;
      res.write(text);
      if (res.writableLength > SLOW_READER_BYTES) {
        ctx.events.stats.slowReaders++;
        finish();
        res.destroy();
      }
    };
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-cache, no-transform');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    // A stream's connection is not reused: once the stream ends, by either side, it goes too
    // (a reader that went away can otherwise leave it half-open, and a stop would wait for it).
    res.on('close', () => {
      finish();
      req.socket.destroy();
    });
    send(`retry: ${RETRY_MS}\n\n`);
    unsubscribe = ctx.events.subscribe({
      send,
      end: () => {
        finish();
        res.end();
      },
    });
    timer = setInterval(() => send(': keep-alive\n\n'), ctx.config.eventKeepAliveMs);
    timer.unref();
  };
}
