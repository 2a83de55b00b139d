/**
 * The Huawei world every Huawei test starts from: the projects, credentials (X-Auth-Token tokens,
 * an AK/SK pair, an IAM user), the seed that holds them, and a signer for SDK-HMAC-SHA256 written
 * from the API Request Signing Guide (independently of the emulator's code), so the gateway's
 * verification is checked against the published steps.
 */
import { createHash, createHmac } from 'node:crypto';

export const PROJECT = '0123456789abcdef0123456789abcdef';
export const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
export const TOKEN = 'test-token-project-a';
export const OTHER_TOKEN = 'test-token-project-b';
/** Valid until 08:30 on the manual clock (which starts at 08:00). */
export const EXPIRING_TOKEN = 'test-token-expiring';
/** Expired before the manual clock starts (seeded on request). */
export const EXPIRED_TOKEN = 'test-token-expired';
export const AK = 'TESTAKEXAMPLE0000000';
export const SK = 'test-secret-key-0000000000000000000000';
export const USER = { name: 'alice', password: 'correct horse', domain: 'acme', projectId: PROJECT, projectName: 'cn-south-1' };
/** The manual clock's start (test/support/emulator.ts). */
export const START = Date.parse('2026-01-15T08:00:00.000Z');

/** A KooPhone instance of PROJECT (running unless `extra` says otherwise). */
export function instance(id: string, extra: Record<string, unknown> = {}) {
  return { instance_id: id, project_id: PROJECT, running_status: 2, ...extra };
}

export interface WorldOptions {
  /** KooPhone subscriptions by project (huawei.koophone.projects). */
  projects?: Array<Record<string, unknown>>;
  /** Also seed EXPIRED_TOKEN. */
  expiredToken?: boolean;
}

/** The seed document of the world, with these instances. */
export function huaweiWorld(instances: Array<Record<string, unknown>> = [], options: WorldOptions = {}): { huawei: Record<string, unknown> } {
  const { projects } = options;
  return {
    huawei: {
      tokens: [
        { token: TOKEN, projectId: PROJECT },
        { token: OTHER_TOKEN, projectId: OTHER_PROJECT },
        { token: EXPIRING_TOKEN, projectId: PROJECT, expiresAt: '2026-01-15T08:30:00Z' },
        ...(options.expiredToken ? [{ token: EXPIRED_TOKEN, projectId: PROJECT, expiresAt: '2026-01-15T07:00:00Z' }] : []),
      ],
      accessKeys: [{ ak: AK, sk: SK, projectId: PROJECT }],
      users: [USER],
      koophone: projects ? { instances, projects } : { instances },
    },
  };
}

/** The signing guide decodes each query part; a broken escape is signed as the text it is. */
function lenientDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const hash = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export interface SignInput {
  method: string;
  path: string;
  /** The raw query string as sent, or its parameters. */
  query?: string | Record<string, string>;
  headers: Record<string, string>;
  body?: string | Buffer;
  ak?: string;
  sk?: string;
}

/** `headers` plus the Authorization header SDK-HMAC-SHA256 computes over the request as sent. */
export function sign(opts: SignInput): Record<string, string> {
  const headers = Object.fromEntries(Object.entries(opts.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const names = Object.keys(headers).sort();
  const uri = opts.path.split('/').map(enc).join('/') + (opts.path.endsWith('/') ? '' : '/');
  const raw = typeof opts.query === 'string' ? opts.query : Object.entries(opts.query ?? {}).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  const query = raw
    .split('&')
    .filter(Boolean)
    .map((kv) => kv.split('=').map((s) => enc(lenientDecode(s))) as [string, string])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v ?? ''}`)
    .join('&');
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]}\n`).join('');
  const canonical = [opts.method, uri, query, canonicalHeaders, names.join(';'), hash(opts.body ?? '')].join('\n');
  const toSign = ['SDK-HMAC-SHA256', headers['x-sdk-date'], hash(canonical)].join('\n');
  const signature = createHmac('sha256', opts.sk ?? SK).update(toSign).digest('hex');
  return { ...opts.headers, Authorization: `SDK-HMAC-SHA256 Access=${opts.ak ?? AK}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}
