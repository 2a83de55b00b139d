/** Seeding Huawei state: provider shapes in, defaults filled, bad seeds refused, fixtures usable. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { PROJECT, TOKEN, expectSchema, instance, reboot, signedHeaders, startHuawei, statusOf } from './support.js';

const DEFAULT_FIXTURES = fileURLToPath(new URL('../../fixtures/default.json', import.meta.url));

describe('Huawei seeds and fixtures', () => {
  let t: TestEmulator | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  test('a pasted ListInstances entry keeps its fields; a minimal one gets the defaults', async () => {
    t = await startHuawei([instance('pasted01', { instance_name: 'from-console', region: 'cn-east-3', frozen_status: 1, assign_user: 'bob', vendor_field: 'kept' }), { instance_id: 'minimal1', project_id: PROJECT }]);
    const state = await t.state();
    expectSchema(t, 'state.schema.json', state);
    const [pasted, minimal] = state.huawei.koophone.instances;
    expect(pasted).toMatchObject({ instance_name: 'from-console', region: 'cn-east-3', region_name: '华东-上海一', frozen_status: 1, assign_status: 1, vendor_field: 'kept' });
    expect(minimal).toMatchObject({ running_status: 2, instance_name: 'minimal1', region: 'cn-north-4', phone_id: 'minimal1' });
  });

  test.each([
    ['an instance without project_id', { koophone: { instances: [{ instance_id: 'x1' }] } }],
    ['a running_status out of range', { koophone: { instances: [{ instance_id: 'x1', project_id: PROJECT, running_status: 9 }] } }],
    ['a token without projectId', { tokens: [{ token: 'abc' }] }],
    ['an access key without sk', { accessKeys: [{ ak: 'AK', projectId: PROJECT }] }],
    ['an unknown collection', { buckets: [] }],
  ])('%s is refused and nothing changes', async (_name, huawei) => {
    t = await startHuawei([instance('a44uhlf7')]);
    const res = await t.http.post('/_emulator/seed').send({ huawei });
    expect(res.status).toBe(400);
    expect((await t.state()).huawei.koophone.instances.map((i: any) => i.instance_id)).toEqual(['a44uhlf7']);
  });

  test('the default fixtures give a usable sandbox: token, AK/SK, a login, instances', async () => {
    t = await startTestEmulator({ fixtures: DEFAULT_FIXTURES });
    const list = await t.http.get('/v1/instances/batch-query?x-request-id=s&page_no=1&page_size=10').set('X-Auth-Token', 'sandbox-koophone-token');
    expect(list.status).toBe(200);
    expect(list.body.data.total_count).toBe(3);
    const login = await t.http.post('/v3/auth/tokens').send({
      auth: { identity: { methods: ['password'], password: { user: { name: 'sandbox-user', password: 'sandbox-password', domain: { name: 'sandbox-account' } } } }, scope: { project: { name: 'cn-north-4' } } },
    });
    expect(login.status).toBe(201);
    const body = JSON.stringify({ instance_ids: ['a44uhlf7'] });
    const headers = signedHeaders({
      method: 'POST',
      path: '/v1/instances/reboot',
      headers: { 'Content-Type': 'application/json', Host: new URL(t.url).host, 'x-request-id': 's', 'X-Sdk-Date': '20260115T080000Z' },
      body,
      ak: 'SANDBOXAK00000000000',
      sk: 'sandbox-koophone-secret-key',
    });
    const r = t.http.post('/v1/instances/reboot');
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    expect((await r.send(body)).body).toEqual({ error_code: '0', error_msg: 'OK' });
  });

  test('a reboot in flight survives a restart and finishes on time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-restart-'));
    const data = path.join(dir, 'state.json');
    try {
      t = await startHuawei([instance('a44uhlf7')], { data });
      await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 60000 }).expect(200);
      expect((await reboot(t, ['a44uhlf7'], TOKEN)).status).toBe(200);
      await t.close();
      t = await startTestEmulator({ data });
      expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
      await t.advance(60000);
      expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
    } finally {
      await t?.close();
      t = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('other providers\' paths pass the Huawei router untouched', async () => {
    t = await startHuawei([]);
    const res = await t.http.post('/v2/not-huawei').set('X-Auth-Token', 'x').send('{"a":1}');
    expect(res.status).toBe(404);
    expect(res.body.errors?.[0]?.code).toBe('not_found');
    expect(res.headers['x-request-id']).toBeUndefined();
  });
});
