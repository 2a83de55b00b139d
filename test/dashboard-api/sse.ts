/**
 * Reading GET /_emulator/events in a test: a raw http.get whose chunks are parsed into SSE frames,
 * and waits for a frame that matches (event-driven: no sleeping).
 */
import http from 'node:http';

export interface Frame {
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** Splits SSE text into frames; returns the frames and the unfinished rest. */
export function parseFrames(text: string): { frames: Frame[]; rest: string } {
  const frames: Frame[] = [];
  let rest = text;
  let end: number;
  while ((end = rest.indexOf('\n\n')) >= 0) {
    const frame: Frame = {};
    for (const line of rest.slice(0, end).split('\n')) {
      if (line.startsWith(':')) frame.comment = line.slice(1).trim();
      else {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon) as keyof Frame;
        frame[key] = (frame[key] !== undefined && key === 'data' ? `${frame.data}\n` : '') + line.slice(colon + 1).replace(/^ /, '');
      }
    }
    frames.push(frame);
    rest = rest.slice(end + 2);
  }
  return { frames, rest };
}

export interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Every frame so far. */
  frames: Frame[];
  /** The body so far, when the answer is not a stream (an error). */
  body: string;
  /** Resolves with the first frame (from `from` on) that matches. */
  next(match: (f: Frame) => boolean, from?: number): Promise<Frame>;
  /** Resolves when the server ends the stream (or drops it). */
  ended: Promise<'end' | 'aborted'>;
  response: http.IncomingMessage;
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/_emulator/events`, { headers, agent: false }, (res) => {
      const frames: Frame[] = [];
      const waiters: Array<{ match: (f: Frame) => boolean; from: number; resolve: (f: Frame) => void }> = [];
      let text = '';
      let body = '';
      const check = () => {
        for (const w of [...waiters]) {
          const found = frames.slice(w.from).find(w.match);
          if (found) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(found);
          }
        }
      };
      let settle!: (how: 'end' | 'aborted') => void;
      const ended = new Promise<'end' | 'aborted'>((r) => (settle = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk.length < 100_000 && body.length < 100_000 ? chunk : '';
        const parsed = parseFrames(text + chunk);
        text = parsed.rest;
        frames.push(...parsed.frames);
        check();
      });
      res.on('end', () => settle('end'));
      res.on('aborted', () => settle('aborted'));
      res.on('error', () => settle('aborted'));
      res.on('close', () => settle('aborted'));
      resolve({
        status: res.statusCode!,
        headers: res.headers,
        frames,
        get body() {
          return body;
        },
        next: (match, from = 0) => new Promise((r) => {
          waiters.push({ match, from, resolve: r });
          check();
        }),
        ended,
        response: res,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
