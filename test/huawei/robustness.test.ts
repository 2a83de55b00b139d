/** Hostile input: whatever arrives, the answer is a Huawei envelope, never a crash or a bare 500. */
import type { TestEmulator } from '../support/emulator.js';
import { TOKEN, expectHuaweiResponse, instance, startHuawei, statusOf } from './support.js';

const SUCCESS = {
  reboot: 'huawei/koophone/reboot.response.json',
  status: 'huawei/koophone/batch-query-status.response.json',
  list: 'huawei/koophone/batch-query.response.json',
  iam: 'huawei/iam/auth-tokens.response.json',
} as const;

/** A small deterministic PRNG, so a failure can be replayed. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

const SAMPLES: unknown[] = [null, true, 0, -1, 1e308, '', 'a44uhlf7', '\u0000', '\ud800', [], {}, [null], ['a44uhlf7', 7], { instance_ids: null }, { instance_ids: { 0: 'a' } }, { __proto__: { instance_ids: ['a44uhlf7'] } }, { instance_ids: ['a44uhlf7'], extra: { deep: [1, 2, 3] } }];

describe('Huawei robustness', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startHuawei([instance('a44uhlf7')]);
  });
  afterAll(() => t.close());

  test('random bodies, queries and headers get a 2xx/4xx Huawei envelope', async () => {
    const rand = prng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 200; i++) {
      const body = rand() < 0.2 ? '{"instance_ids": [' + 'x'.repeat(Math.floor(rand() * 50)) : JSON.stringify(pick(SAMPLES));
      const route = pick(['reboot', 'status', 'list', 'iam'] as const);
      const req =
        route === 'reboot'
          ? t.http.post('/v1/instances/reboot')
          : route === 'status'
            ? t.http.post('/v1/instances/batch-query-status')
            : route === 'iam'
              ? t.http.post('/v3/auth/tokens')
              : t.http.get(`/v1/instances/batch-query?page_no=${Buffer.from(String(pick(SAMPLES))).toString('hex').slice(0, 6)}&page_size=${pick(['1', '%', '%E0%A4%A', '10&page_size=2'])}&query_start_time=${pick(['', '2026-13-01 00:00:00', 'x'])}`);
      if (rand() < 0.8) req.set('X-Auth-Token', pick([TOKEN, 'nope', 'test-token-expiring']));
      if (rand() < 0.3) req.set('Authorization', pick(['SDK-HMAC-SHA256', 'SDK-HMAC-SHA256 Access=, SignedHeaders=;, Signature=' + '0'.repeat(64), 'Basic Zm9v']));
      if (rand() < 0.7) req.set('x-request-id', `fuzz-${i}`);
      req.set('Content-Type', pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']));
      const res = await (route === 'list' ? req : req.send(body));
      expect(res.status).toBeLessThan(500);
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(typeof res.body).toBe('object');
      expectHuaweiResponse(t, res, SUCCESS[route]);
    }
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
    expect((await statusOf(t, ['a44uhlf7'])).length).toBe(1);
  });
});
