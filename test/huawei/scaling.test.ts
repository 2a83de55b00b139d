/**
 * The benchmark runs reboot and batch-query-status against 100,000 instances: no request path may
 * walk a whole collection, except the listing without an instance_id filter (one pass, no sort).
 */
import type { TestEmulator } from '../support/emulator.js';
import { TOKEN, ids, instance, reboot, signedHeaders, startHuawei, statusOf } from './support.js';

describe('Huawei request paths at scale', () => {
  let t: TestEmulator;
  let scans: string[];
  beforeEach(async () => {
    t = await startHuawei(ids('ph', 50).map((id) => instance(id)));
    scans = [];
    const store = t.ctx.store;
    const list = store.list.bind(store);
    store.list = (collection: string) => {
      if (collection.startsWith('huawei.')) scans.push(collection);
      return list(collection);
    };
  });
  afterEach(() => t.close());

  test('reboot, batch-query-status and token auth look entries up by id', async () => {
    expect((await reboot(t, ids('ph', 10), TOKEN)).status).toBe(200);
    expect(await statusOf(t, ['ph0000', 'ph0049'])).toEqual([4, 2]);
    expect((await reboot(t, ['ph0000'])).body.error_code).toBe('KOOPHONE.API.5005');
    expect((await reboot(t, ['nosuch'])).body.error_code).toBe('KOOPHONE.API.1001');
    await t.advance(2000);
    expect(await statusOf(t, ['ph0000'])).toEqual([2]);
    expect(scans).toEqual([]);
  });

  test('an AK/SK-signed request looks its key up by id', async () => {
    const body = JSON.stringify({ instance_ids: ['ph0001'] });
    const headers = signedHeaders({ method: 'POST', path: '/v1/instances/batch-query-status', headers: { 'Content-Type': 'application/json', Host: new URL(t.url).host, 'x-request-id': 's', 'X-Sdk-Date': '20260115T080000Z' }, body });
    const r = t.http.post('/v1/instances/batch-query-status');
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    const res = await r.send(body);
    expect(res.body.data.status_results).toEqual([{ instance_id: 'ph0001', status: 2 }]);
    expect(scans).toEqual([]);
  });

  test('the listing walks the instances once, or not at all with an instance_id', async () => {
    const byId = await t.http.get('/v1/instances/batch-query?x-request-id=q&page_no=1&page_size=10&instance_id=ph0007').set('X-Auth-Token', TOKEN);
    expect(byId.body.data.result.map((i: any) => i.instance_id)).toEqual(['ph0007']);
    expect(scans).toEqual([]);
    const page = await t.http.get('/v1/instances/batch-query?x-request-id=q&page_no=3&page_size=20').set('X-Auth-Token', TOKEN);
    expect(page.body.data.result.map((i: any) => i.instance_id)).toEqual(ids('ph', 50).slice(40));
    expect(scans).toEqual(['huawei.koophone.instances']);
  });
});
