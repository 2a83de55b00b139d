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

/**
 * Every route of the table (the restart's neighbours included), built from the table itself, so a
 * route added later is fuzzed too: odd values for each of its own query parameters and path segments,
 * odd bodies and credentials. Each answer is the ECE envelope, never an unmeant 500, and the state
 * document stays valid.
 */
test('every route of the table, with odd values in its own parameters, answers in the ECE envelope', async () => {
  const { ROUTES } = await import('../../src/providers/elastic/routes.js');
  const { expectMatchesSchema } = await import('../support/schema-check.js');
  const deployment = (await t.http.get(`/api/v1/deployments/${DEP}`).set('Authorization', 'ApiKey admin-key')).body;
  const esRef: string = deployment.resources.elasticsearch[0].ref_id;
  const SEGMENTS: Record<string, string[]> = {
    deployment_id: [DEP, 'not-a-deployment', '%00', 'x'.repeat(300)],
    ref_id: ['main-kibana', '_main', '%2e%2e', '__proto__'],
    stateless_resource_kind: ['kibana', 'elasticsearch', 'constructor', 'KIBANA'],
    resource_kind: ['kibana', 'apm', 'toString', ''],
    instance_ids: ['instance-0000000000', 'a,,b', `${'i,'.repeat(200)}i`, '%E2%9C%93'],
    attempt_id: ['x', '__proto__', '%00', '9'.repeat(40)],
  };
  const ODD_VALUES = ['%00', 'tru', '99999999999999999999', '-1', '__all__', '', 'true&$1=true'.replace('$1', 'cancel_pending')];
  const odd = (i: number) => ODD_VALUES[i % ODD_VALUES.length]!;
  const operations = new Set<string>();
  let n = 0;
  for (const route of ROUTES) {
    for (let variant = 0; variant < 4; variant++) {
      const segments = route.pattern.map((p) => {
        if (!p.startsWith(':')) return p;
        const name = p.slice(1);
        const values = SEGMENTS[name];
        if (!values) throw new Error(`no odd values for path parameter ${name}`);
        // Variant 0 is the real resource (the operation is reached); the others are odd.
        if (variant === 0 && name === 'ref_id' && route.pattern.includes('elasticsearch')) return esRef;
        return variant === 0 ? values[0]! : values[variant % values.length]!;
      });
      const query = Object.keys(route.query)
        .map((name, i) => `${name}=${variant === 0 ? 'true' : odd(i + variant)}`)
        .join('&');
      const body = BODIES[(n + variant) % BODIES.length];
      const auth = variant === 0 ? 'ApiKey admin-key' : AUTHS[(n + variant) % AUTHS.length];
      let req = t.http[route.method.toLowerCase() as 'get' | 'post' | 'delete'](`/api/v1/${segments.join('/')}${query ? `?${query}` : ''}`);
      if (auth !== undefined) req = req.set('Authorization', Buffer.from(auth, 'latin1').toString('latin1'));
      if (body !== undefined) req = req.set('Content-Type', 'application/json').send(body);
      const res = await req;
      n++;
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      if (res.status >= 400) {
        expect(Array.isArray(res.body.errors)).toBe(true);
        expect(res.headers['x-cloud-error-codes']).toBe(res.body.errors[0].code);
      }
      expect(res.status === 500 && res.body.errors[0].code === 'root.unexpected_error').toBe(false);
    }
  }
  expect(n).toBe(ROUTES.length * 4);
  // The journal names the operation each request reached: every route of the table was reached.
  const journal = (await t.http.get('/_emulator/requests?provider=elastic&limit=1000')).body;
  for (const entry of journal.requests) operations.add(entry.operation);
  for (const route of ROUTES) expect([route.operation, operations.has(route.operation)]).toEqual([route.operation, true]);
  expectMatchesSchema('state.schema.json', await t.state());
});
