/** Shared set-up for the Huawei tests: a seeded world, request helpers and schema checks. */
import { createHash, createHmac } from 'node:crypto';
import type { Response } from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

export const PROJECT = '0123456789abcdef0123456789abcdef';
export const OTHER_PROJECT = 'fedcba9876543210fedcba9876543210';
export const TOKEN = 'test-token-project-a';
export const OTHER_TOKEN = 'test-token-project-b';
export const AK = 'TESTAKEXAMPLE0000000';
export const SK = 'test-secret-key-0000000000000000000000';
/** The manual clock's start (test/support/emulator.ts). */
export const START = Date.parse('2026-01-15T08:00:00.000Z');

export function instance(id: string, extra: Record<string, unknown> = {}) {
  return { instance_id: id, project_id: PROJECT, running_status: 2, ...extra };
}

export async function startHuawei(instances: Array<Record<string, unknown>> = [], options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const t = await startTestEmulator(options);
  await t.seed({
    huawei: {
      tokens: [
        { token: TOKEN, projectId: PROJECT },
        { token: OTHER_TOKEN, projectId: OTHER_PROJECT },
        { token: 'test-token-expiring', projectId: PROJECT, expiresAt: '2026-01-15T08:30:00Z' },
      ],
      accessKeys: [{ ak: AK, sk: SK, projectId: PROJECT }],
      users: [{ name: 'alice', password: 'correct horse', domain: 'acme', projectId: PROJECT, projectName: 'cn-south-1' }],
      koophone: { instances },
    },
  });
  return t;
}

/** Fails with the schema's readable errors, so a test says what is wrong with a body. */
export function expectSchema(t: TestEmulator, id: string, body: unknown): void {
  const errors = t.ctx.schemas.check(id, body);
  expect({ id, errors }).toEqual({ id, errors: [] });
}

/** POST /v1/instances/reboot; the response body is checked against its schema. */
export async function reboot(t: TestEmulator, ids: unknown, token = TOKEN, requestId: string | null = 'req-1'): Promise<Response> {
  const r = t.http.post('/v1/instances/reboot').set('X-Auth-Token', token).set('Content-Type', 'application/json');
  if (requestId !== null) r.set('x-request-id', requestId);
  const res = await r.send(JSON.stringify({ instance_ids: ids }));
  expectHuaweiResponse(t, res, 'huawei/koophone/reboot.response.json');
  return res;
}

/** POST /v1/instances/batch-query-status; the response body is checked against its schema. */
export async function queryStatus(t: TestEmulator, ids: unknown, token = TOKEN): Promise<Response> {
  const res = await t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', token).set('x-request-id', 'req-status').set('Content-Type', 'application/json').send(JSON.stringify({ instance_ids: ids }));
  expectHuaweiResponse(t, res, 'huawei/koophone/batch-query-status.response.json');
  return res;
}

export async function statusOf(t: TestEmulator, ids: string[]): Promise<number[]> {
  const res = await queryStatus(t, ids);
  expect(res.status).toBe(200);
  expectSchema(t, 'huawei/koophone/batch-query-status.response.json', res.body);
  return res.body.data.status_results.map((r: { status: number }) => r.status);
}

export function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
}

/**
 * Signs a request the way the API Request Signing Guide describes (independently of the emulator's
 * code), so the gateway's verification is checked against the published steps.
 */
export function signedHeaders(opts: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: string; ak?: string; sk?: string }): Record<string, string> {
  const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  const headers = Object.fromEntries(Object.entries(opts.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const names = Object.keys(headers).sort();
  const uri = opts.path.split('/').map(enc).join('/') + (opts.path.endsWith('/') ? '' : '/');
  const query = Object.keys(opts.query ?? {})
    .sort()
    .map((k) => `${enc(k)}=${enc(opts.query![k]!)}`)
    .join('&');
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]}\n`).join('');
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = [opts.method, uri, query, canonicalHeaders, names.join(';'), hash(opts.body ?? '')].join('\n');
  const toSign = ['SDK-HMAC-SHA256', headers['x-sdk-date'], hash(canonical)].join('\n');
  const signature = createHmac('sha256', opts.sk ?? SK).update(toSign).digest('hex');
  return { ...opts.headers, Authorization: `SDK-HMAC-SHA256 Access=${opts.ak ?? AK}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

/** Validates any Huawei response against the schema its envelope calls for. */
export function expectHuaweiResponse(t: TestEmulator, res: { status: number; body: any }, successSchema: string): void {
  const code = res.body?.error_code;
  if (typeof code === 'string' && code.startsWith('KOOPHONE.API.')) return expectSchema(t, 'huawei/koophone/error.response.json', res.body);
  if (typeof code === 'string' && /^APIGW?\./.test(code)) return expectSchema(t, 'huawei/gateway/error.response.json', res.body);
  if (res.body?.error !== undefined) return expectSchema(t, 'huawei/iam/error.response.json', res.body);
  expectSchema(t, successSchema, res.body);
}
