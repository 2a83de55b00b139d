/** Shared set-up for the Huawei tests: a seeded world, request helpers and schema checks. */
import type { Response } from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { expectMatchesSchema } from '../support/schema-check.js';
import { TOKEN, huaweiWorld, sign, type SignInput } from '../support/worlds/huawei.js';

export { AK, OTHER_PROJECT, OTHER_TOKEN, PROJECT, SK, START, TOKEN, instance } from '../support/worlds/huawei.js';

export async function startHuawei(instances: Array<Record<string, unknown>> = [], options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const t = await startTestEmulator(options);
  await t.seed(huaweiWorld(instances));
  return t;
}

/** Fails with the schema's readable errors, so a test says what is wrong with a body. */
export function expectSchema(_t: TestEmulator, id: string, body: unknown): void {
  expectMatchesSchema(id, body);
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

/** The world's signer, for a query given as parameters. */
export function signedHeaders(opts: SignInput & { query?: Record<string, string> }): Record<string, string> {
  return sign(opts);
}

/** Validates any Huawei response against the schema its envelope calls for. */
export function expectHuaweiResponse(t: TestEmulator, res: { status: number; body: any }, successSchema: string): void {
  const code = res.body?.error_code;
  if (typeof code === 'string' && code.startsWith('KOOPHONE.API.')) return expectSchema(t, 'huawei/koophone/error.response.json', res.body);
  if (typeof code === 'string' && /^APIGW?\./.test(code)) return expectSchema(t, 'huawei/gateway/error.response.json', res.body);
  if (res.body?.error !== undefined) return expectSchema(t, 'huawei/iam/error.response.json', res.body);
  expectSchema(t, successSchema, res.body);
}
