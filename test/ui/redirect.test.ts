/**
 * A browser opening the emulator's URL lands on the dashboard: a plain GET / asking for HTML is
 * redirected to /_emulator/ui/. An Alibaba RPC call to / (its endpoint) is answered as before,
 * whatever it accepts.
 */
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { ACCESS_KEYS, GROUP, group, queryString, signRpc } from '../support/worlds/alibaba.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
  await t.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP)] } } });
});
afterAll(() => t.close());

test('a browser\'s GET / → 302 to /_emulator/ui/ (HEAD too)', async () => {
  for (const method of ['get', 'head'] as const) {
    const res = await request(t.url)[method]('/').set('Accept', BROWSER_ACCEPT).redirects(0);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/_emulator/ui/');
  }
  // Another query (not an RPC call) is still a browser's.
  expect((await request(t.url).get('/?utm=x').set('Accept', 'text/html').redirects(0)).status).toBe(302);
});

test('GET / not asking for HTML is left as it was (a JSON 404)', async () => {
  for (const accept of [undefined, 'application/json', '*/*']) {
    const req = request(t.url).get('/').redirects(0);
    const res = await (accept ? req.set('Accept', accept) : req);
    expect({ accept, status: res.status }).toEqual({ accept, status: 404 });
    expect(res.body.errors).toBeDefined();
  }
});

test('an Alibaba RPC GET /?Action=... is answered by Alibaba exactly as before, even asking for HTML', async () => {
  const params = { RegionId: 'cn-hangzhou', ContainerGroupIds: JSON.stringify([GROUP]) };
  for (const accept of [BROWSER_ACCEPT, 'application/json']) {
    const ok = await request(t.url).get(`/?${queryString(signRpc('GET', 'DescribeContainerGroups', params))}`).set('Accept', accept).redirects(0);
    expect({ accept, status: ok.status }).toEqual({ accept, status: 200 });
    expect(ok.body.ContainerGroups.map((g: any) => g.ContainerGroupId)).toEqual([GROUP]);
    // Unsigned, and an action it does not emulate: Alibaba's own errors, not a redirect.
    const unsigned = await request(t.url).get('/').query({ Action: 'DescribeContainerGroups', Version: '2018-08-08' }).set('Accept', accept).redirects(0);
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(unsigned.body.RequestId).toEqual(expect.any(String));
    const unknown = await request(t.url).get(`/?${queryString(signRpc('GET', 'CreateContainerGroup', params))}`).set('Accept', accept).redirects(0);
    expect({ status: unknown.status, code: unknown.body.Code }).toEqual({ status: 404, code: 'InvalidAction.NotFound' });
  }
  // The journal recorded the RPC calls (six), not the browser redirects.
  expect((await request(t.url).get('/_emulator/requests/count').query({ provider: 'alibaba' })).body.count).toBe(6);
});
