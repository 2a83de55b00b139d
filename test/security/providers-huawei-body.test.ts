/**
 * Issue 10: Huawei AK/SK must protect the body. The SDK core (AKSKSigner.buildPayloadHash) signs
 * X-Sdk-Content-Sha256 in place of the body's hash when it sends one, and then lists it in
 * SignedHeaders (every header it sends is signed); for non-JSON bodies it sends "UNSIGNED-PAYLOAD".
 * The header may stand in for the body's hash only when it is signed and matches the body.
 */
import { createHash, createHmac } from 'node:crypto';
import type { TestEmulator } from '../support/emulator.js';
import { AK, instance, SK, startHuawei, statusOf } from '../huawei/support.js';

const hash = (s: string) => createHash('sha256').update(s).digest('hex');
const bodyFor = (id: string) => JSON.stringify({ instance_ids: [id] });

/** Signs as the SDK core does, with `payload` as the canonical request's last line. */
function sign(host: string, method: string, path: string, headers: Record<string, string>, payload: string, query = ''): Record<string, string> {
  const all: Record<string, string> = { host, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) };
  const names = Object.keys(all).sort();
  const canonical = [method, `${path}/`, query, names.map((n) => `${n}:${all[n]}\n`).join(''), names.join(';'), payload].join('\n');
  const sts = ['SDK-HMAC-SHA256', all['x-sdk-date'], hash(canonical)].join('\n');
  const sig = createHmac('sha256', SK).update(sts).digest('hex');
  const { host: _h, ...rest } = all;
  return { ...rest, authorization: `SDK-HMAC-SHA256 Access=${AK}, SignedHeaders=${names.join(';')}, Signature=${sig}` };
}

describe('Huawei AK/SK: the body is protected', () => {
  let t: TestEmulator;
  let host: string;
  beforeEach(async () => {
    t = await startHuawei([instance('aaaa0001'), instance('bbbb0002')]);
    host = new URL(t.url).host;
  });
  afterEach(() => t.close());

  const base = { 'content-type': 'application/json', 'x-request-id': 'signed-1', 'x-sdk-date': '20260115T080000Z' };
  const reboot = (headers: Record<string, string>, body: string) => {
    const r = t.http.post('/v1/instances/reboot');
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    return r.send(body);
  };

  test('a captured signed reboot replayed with another body and the original hash in an unsigned x-sdk-content-sha256 is refused', async () => {
    const captured = sign(host, 'POST', '/v1/instances/reboot', base, hash(bodyFor('aaaa0001')));
    const replay = await reboot({ ...captured, 'x-sdk-content-sha256': hash(bodyFor('aaaa0001')) }, bodyFor('bbbb0002'));
    expect(replay.status).toBe(401);
    expect(replay.body.error_code).toBe('APIGW.0301');
    expect(await statusOf(t, ['aaaa0001', 'bbbb0002'])).toEqual([2, 2]);
    // The capture itself, as sent, still works.
    const original = await reboot(captured, bodyFor('aaaa0001'));
    expect(original.status).toBe(200);
    expect(await statusOf(t, ['aaaa0001', 'bbbb0002'])).toEqual([4, 2]);
  });

  test('an unsigned x-sdk-content-sha256 that matches the body changes nothing: the signature covers the body', async () => {
    const body = bodyFor('aaaa0001');
    const headers = sign(host, 'POST', '/v1/instances/reboot', base, hash(body));
    const res = await reboot({ ...headers, 'x-sdk-content-sha256': hash(body) }, body);
    expect(res.status).toBe(200);
  });

  test('a signed x-sdk-content-sha256 that matches the body is accepted', async () => {
    const body = bodyFor('aaaa0001');
    const headers = sign(host, 'POST', '/v1/instances/reboot', { ...base, 'x-sdk-content-sha256': hash(body) }, hash(body));
    const res = await reboot(headers, body);
    expect(res.status).toBe(200);
    expect(await statusOf(t, ['aaaa0001'])).toEqual([4]);
  });

  test('a signed x-sdk-content-sha256 that does not match the body is refused', async () => {
    const claimed = hash(bodyFor('aaaa0001'));
    const headers = sign(host, 'POST', '/v1/instances/reboot', { ...base, 'x-sdk-content-sha256': claimed }, claimed);
    const res = await reboot(headers, bodyFor('bbbb0002'));
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
    expect(await statusOf(t, ['aaaa0001', 'bbbb0002'])).toEqual([2, 2]);
  });

  test('a signed UNSIGNED-PAYLOAD does not stand in for a body', async () => {
    const headers = sign(host, 'POST', '/v1/instances/reboot', { ...base, 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' }, 'UNSIGNED-PAYLOAD');
    const res = await reboot(headers, bodyFor('bbbb0002'));
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0301');
    expect(await statusOf(t, ['bbbb0002'])).toEqual([2]);
  });

  test('a signed UNSIGNED-PAYLOAD on a request without a body is accepted (nothing to protect)', async () => {
    const query = 'page_no=1&page_size=10&x-request-id=q-1';
    const headers = sign(host, 'GET', '/v1/instances/batch-query', { 'content-type': 'text/plain', 'x-sdk-date': '20260115T080000Z', 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' }, 'UNSIGNED-PAYLOAD', query);
    const r = t.http.get(`/v1/instances/batch-query?${query}`);
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    const res = await r;
    expect(res.status).toBe(200);
    expect(res.body.data.total_count).toBe(2);
  });
});
