/**
 * The malformed-request generator's shared parts: a seeded PRNG (a failing case can be replayed),
 * raw HTTP requests sent byte for byte (supertest would fix up what these tests want broken), the
 * pools of bad values, and the runner that checks every answer and the state document around them.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import type { TestEmulator } from '../../support/emulator.js';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export type Rand = () => number;
export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** A request as it goes on the wire. `path` is sent as is (latin1), so it may hold broken escapes and raw bytes. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer<ArrayBufferLike>;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
}

/** Why the request is malformed, and whether the provider must refuse it or may also accept it. */
export interface Case {
  op: string;
  name: string;
  req: RawRequest;
  /**
   * 'reject': a 4xx error envelope. 'tolerate': a 4xx envelope or a 2xx success (noise a provider
   * ignores, on reads). 'error': the provider's error envelope with whatever status it documents
   * (KooPhone's missing x-request-id is documented with HTTP 200). 'unparsable': not HTTP/1.1 at
   * all (raw non-ASCII bytes in the request line), so no provider sees it: the emulator's own JSON 400.
   */
  expect: 'reject' | 'tolerate' | 'error' | 'unparsable';
  /** The exact status when it matters (413 for a body over the limit). */
  status?: number;
  /** What it breaks is the credentials; any other case refused for its credentials was not otherwise valid. */
  auth?: boolean;
}

/** Marks every case added since `from` as breaking the credentials. */
export function markAuth(cases: Case[], from: number): void {
  for (let i = from; i < cases.length; i++) cases[i]!.auth = true;
}

/** The codes the providers refuse credentials with (signatures, keys, tokens, permissions). */
const AUTH_CODE = /Signature|AccessKey|TimeStamp|NoPermission|Forbidden|^APIG\.030|^root\.unauthori|^root\.unauthent/;

function authRefusal(res: RawResponse): string | undefined {
  const b = res.json;
  const code = String(b.Code ?? b.error_code ?? b.errors?.[0]?.code ?? '');
  if (AUTH_CODE.test(code)) return code;
  if (b.error?.code === 401) return 'IAM 401';
  return undefined;
}

/** Marks the last case added to `cases` as needing `status`. */
export function lastNeeds(cases: Case[], status: number): void {
  cases[cases.length - 1]!.status = status;
}

const TIMEOUT_MS = 5000;

export function send(url: string, agent: http.Agent, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...req.headers };
    // A chunked request keeps its body length to itself (the limit must hold while streaming).
    if (req.body !== undefined && headers['transfer-encoding'] !== 'chunked') headers['content-length'] = String(req.body.length);
    // The path goes as given (a URL string would be normalized: dot segments resolved, raw bytes escaped).
    const { hostname, port } = new URL(url);
    const r = http.request({ hostname, port, path: req.path, method: req.method, headers, agent });
    const timer = setTimeout(() => {
      r.destroy(new Error(`no answer within ${TIMEOUT_MS} ms (a hang)`));
    }, TIMEOUT_MS);
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    r.end(req.body);
  });
}

/** Checks the answer is the provider's own; throws with the case's name and the answer otherwise. */
export type EnvelopeCheck = (res: RawResponse, c: Case) => string | undefined;

export interface RunResult {
  count: number;
  byOp: Record<string, number>;
  failures: string[];
}

/**
 * Sends every case (a few at a time), checks each answer: JSON, no 5xx, the provider's envelope,
 * a 4xx for what must be refused. Returns the failures as readable lines rather than stopping at
 * the first, so one run shows every problem.
 */
export async function runCases(t: TestEmulator, cases: Case[], check: EnvelopeCheck, parallel = 8): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: parallel });
  const failures: string[] = [];
  const byOp: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      byOp[c.op] = (byOp[c.op] ?? 0) + 1;
      let res: RawResponse;
      try {
        res = await send(t.url, agent, c.req);
      } catch (err: any) {
        failures.push(`${c.op} / ${c.name}: ${err.message}`);
        continue;
      }
      const problem = judge(res, c, check);
      if (problem) failures.push(`${c.op} / ${c.name}: ${problem} — ${res.status} ${res.text.slice(0, 300)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    agent.destroy();
  }
  return { count: cases.length, byOp, failures };
}

function judge(res: RawResponse, c: Case, check: EnvelopeCheck): string | undefined {
  if (res.status >= 500) return 'a 5xx';
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) return `content-type ${res.headers['content-type']}`;
  if (res.json === undefined || typeof res.json !== 'object' || res.json === null) return 'the body is not a JSON object';
  if (c.expect === 'unparsable') return res.status === 400 && res.json.errors?.[0]?.code === 'bad_request' ? undefined : 'not the JSON 400 for an unparsable request';
  if (c.expect === 'reject' && (res.status < 400 || res.status >= 500)) return 'accepted, but it must be refused with a 4xx';
  if (res.status >= 300 && res.status < 400) return 'a 3xx';
  if (c.status !== undefined && res.status !== c.status) return `status ${res.status}, not ${c.status}`;
  const refusal = c.auth ? undefined : authRefusal(res);
  if (refusal) return `refused for its credentials (${refusal}), so it was not otherwise valid`;
  return check(res, c);
}

/** The bad values every generator draws from (a case picks one with the PRNG, so each run sends the same). */
export const HUGE = 'x'.repeat(200 * 1024);
/** Fits in a URL under Node's header limit, with room for the rest of the request line. */
export const LONG = 'y'.repeat(6 * 1024);
export const UNICODE = ['ü', '名前', '🚀🔥', '\u202Eevil', 'e\u0301\u0301\u0301', '\u0000', '\uFEFF', 'Ω≈ç√∫', '\u200B', '𝕏'];
/** Percent-escapes that do not decode: broken, truncated, invalid UTF-8, overlong, a UTF-16 surrogate. */
export const BAD_ESCAPES = ['%', '%zz', '%E0%A4%A', '%FF', '%C0%AF', '%ED%A0%80', '%C3%28', '%8'];
/** Bodies that are not valid UTF-8. */
export const BAD_UTF8: Buffer[] = [Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82])];
export const BAD_JSON = ['{', '{"a":', '[1,2', '{a:1}', "{'a':1}", 'nul', '{"a":1,}', '\u0000', '{"a":"\\x"}', '}{'];
/** Bodies over the 1 MiB default limit (the emulator answers 413 in the provider's envelope). */
export const OVERSIZE = [1024 * 1024 + 1, 2 * 1024 * 1024];
/** Wrong methods: HEAD gets no body, so it is left out. */
export const WRONG_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND'];

export function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}
export function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
export const DEPTHS = [64, 1000, 20000];

/** A body of `size` bytes: a JSON object whose one string fills it (valid JSON, only too large). */
export function bigJson(size: number): Buffer {
  const head = '{"pad":"';
  const tail = '"}';
  return Buffer.from(head + 'p'.repeat(size - head.length - tail.length) + tail);
}

/** The state document and the clock, to compare before and after a batch of cases. */
export async function snapshot(t: TestEmulator): Promise<{ state: string; clock: unknown }> {
  const state = await t.http.get('/_emulator/state');
  const clock = await t.http.get('/_emulator/clock');
  return { state: state.text, clock: clock.body };
}

/**
 * Bodies broken in how they are encoded, on any request: streamed (chunked) past the limit, a gzip
 * that does not inflate, a small gzip that inflates past the limit, an encoding nobody speaks.
 */
export function encodingCases(op: string, base: RawRequest): Case[] {
  const withBody = (name: string, headers: Record<string, string>, body: Buffer): Case => ({
    op,
    name,
    req: { ...base, headers: { ...base.headers, 'content-type': String(base.headers['content-type'] ?? 'application/json'), ...headers }, body },
    expect: 'reject',
  });
  return [
    { ...withBody('a chunked body over the limit', { 'transfer-encoding': 'chunked' }, Buffer.alloc(OVERSIZE[0]!, 'a')), status: 413 },
    withBody('a gzip body that does not inflate', { 'content-encoding': 'gzip' }, Buffer.from('not gzip at all')),
    { ...withBody('a gzip body that inflates past the limit', { 'content-encoding': 'gzip' }, GZIP_BOMB), status: 413 },
    withBody('a deflate body cut short', { 'content-encoding': 'deflate' }, zlib.deflateSync(Buffer.from('{"a":1}')).subarray(0, 4)),
    withBody('an unknown content-encoding', { 'content-encoding': 'x-unknown' }, Buffer.from('{}')),
  ];
}
const GZIP_BOMB = zlib.gzipSync(Buffer.alloc(4 * 1024 * 1024, ' '));
