/**
 * The live feed: GET /_emulator/events (server-sent events) read with fetch and a stream reader,
 * not EventSource, because EventSource cannot send the Authorization header a token-protected
 * emulator needs. A dropped stream is opened again after a back-off that doubles up to a bound;
 * each (re)connection is announced as an `open` event, so the page re-reads what it may have missed.
 */
import { authHeaders } from './api.js';

export interface StreamEvent {
  event: string;
  id?: string;
  data: unknown;
}

export type StreamStatus = 'connecting' | 'live' | 'down' | 'unauthorized';

/** Back-off bounds (ms): the server's `retry:` sets the first delay, within these. */
const MIN_DELAY = 250;
const MAX_DELAY = 15_000;
/** A frame larger than this (no blank line in sight) is not an event stream: drop and reconnect. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;

export function connectEvents(onEvent: (e: StreamEvent) => void, onStatus: (s: StreamStatus, detail?: string) => void): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let base = 1000;
  let delay = base;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const dispatch = (frame: string) => {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split('\n')) {
      if (line === '' || line.startsWith(':')) continue; // a comment: the keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) base = Math.min(MAX_DELAY, Math.max(MIN_DELAY, Number(value)));
    }
    if (data.length === 0) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      parsed = data.join('\n');
    }
    onEvent({ event, id, data: parsed });
  };

  const run = async () => {
    if (stopped) return;
    controller = new AbortController();
    onStatus('connecting');
    try {
      const res = await fetch('/_emulator/events', { headers: { accept: 'text/event-stream', ...authHeaders() }, signal: controller.signal, cache: 'no-store' });
      if (res.status === 401) {
        onStatus('unauthorized');
        return; // the page asks for the token, then connects again
      }
      if (!res.ok || !res.body) throw new Error(`GET /_emulator/events answered ${res.status}`);
      onStatus('live');
      delay = base;
      onEvent({ event: 'open', data: null });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending = (pending + value).replace(/\r\n/g, '\n');
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          dispatch(frame);
        }
        if (pending.length > MAX_PENDING_CHARS) throw new Error('an event larger than the page keeps');
      }
      throw new Error('the stream ended');
    } catch (err) {
      if (stopped) return;
      onStatus('down', (err as Error).message);
    }
    timer = setTimeout(run, delay);
    delay = Math.min(MAX_DELAY, delay * 2);
  };
  void run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
