/** Odd input on every route: always an ECE envelope, never a 500 of our own, and no state lost. */
import type { TestEmulator } from '../support/emulator.js';
import { DEP, startElastic } from './support.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startElastic();
});
afterAll(async () => {
  await t.close();
});

const PATHS = [
  '/api/v1/deployments',
  `/api/v1/deployments/${DEP}`,
  `/api/v1/deployments/${DEP}/kibana/main-kibana`,
  `/api/v1/deployments/${DEP}/kibana/main-kibana/_restart`,
  `/api/v1/deployments/${DEP}/kibana/main-kibana/_shutdown`,
  `/api/v1/deployments/${DEP}/kibana/main-kibana/plan/pending`,
  `/api/v1/deployments/${DEP}/kibana/main-kibana/activity/x`,
  '/api/v1/users/auth/_login',
  '/api/v1/users/auth/_elevate',
  '/api/v1/users/auth/_refresh',
];
const QUERIES = ['', '?cancel_pending=%00', '?show_plans=true&show_plans=false', '?show_system_alerts=99999999999999999999', '?force_delete=%E2%9C%93', '?a[b]=c'];
const BODIES: Array<string | undefined> = [undefined, '', 'null', '{"username":{"$gt":""},"password":[]}', '\u0000\u0001', '{"token":'];
const AUTHS = [undefined, 'ApiKey admin-key', 'Basic %%%', 'Bearer ', 'ApiKey admin-key\u00e9'];

test('every combination answers in the ECE envelope and never with a 5xx the emulator did not mean', async () => {
  // Compared as served: a seeded deployment is stored compact and expanded by its first change.
  const apm = async () => (await t.http.get(`/api/v1/deployments/${DEP}/apm/main-apm?show_plan_logs=true&show_plan_history=true`).set('Authorization', 'ApiKey admin-key')).body;
  const before = await apm();
  expect(before.ref_id).toBe('main-apm');
  let n = 0;
  for (const path of PATHS) {
    for (const method of ['get', 'post', 'delete'] as const) {
      for (let i = 0; i < QUERIES.length; i++) {
        const body = BODIES[i % BODIES.length];
        const auth = AUTHS[(i + n) % AUTHS.length];
        let req = t.http[method](path + QUERIES[i]);
        if (auth !== undefined) req = req.set('Authorization', Buffer.from(auth, 'latin1').toString('latin1'));
        if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
        const res = await req;
        n++;
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(Array.isArray(res.body.errors) || res.status < 400).toBe(true);
        if (res.status >= 400) expect(res.headers['x-cloud-error-codes']).toBe(res.body.errors[0].code);
        expect(res.status === 500 && res.body.errors[0].code === 'root.unexpected_error').toBe(false);
      }
    }
  }
  expect(n).toBe(PATHS.length * 3 * QUERIES.length);
  // The apm resources were never touched by any of these calls.
  expect(await apm()).toEqual(before);
});
