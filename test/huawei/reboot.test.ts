/** POST /v1/instances/reboot: every validation, every error code, all-or-nothing, the timed path. */
import type { TestEmulator } from '../support/emulator.js';
import { OTHER_TOKEN, TOKEN, expectSchema, ids, instance, queryStatus, reboot, startHuawei, statusOf } from './support.js';

const ERROR = 'huawei/koophone/error.response.json';
const OK = 'huawei/koophone/reboot.response.json';

describe('KooPhone reboot', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startHuawei([
      instance('a44uhlf7'),
      instance('b71kq2ms'),
      instance('stopped1', { running_status: 1 }),
      instance('foreign1', { project_id: 'fedcba9876543210fedcba9876543210' }),
      ...ids('bulk', 101).map((id) => instance(id)),
    ]);
  });
  afterEach(() => t.close());

  test('accepts running instances with the documented body and (requestIdHeader echo) echoes x-request-id', async () => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.gateway.requestIdHeader': 'echo' }).expect(200);
    const res = await reboot(t, ['a44uhlf7', 'b71kq2ms'], TOKEN, 'client-req-42');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_code: '0', error_msg: 'OK' });
    expect(res.headers['x-request-id']).toBe('client-req-42');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectSchema(t, OK, res.body);
    expect(await statusOf(t, ['a44uhlf7', 'b71kq2ms'])).toEqual([4, 4]);
    const listed = await t.http.get('/v1/instances/batch-query?x-request-id=l&page_no=1&page_size=1&instance_id=a44uhlf7').set('X-Auth-Token', TOKEN);
    expect(listed.headers['x-request-id']).toBe('l');
    expectSchema(t, 'huawei/koophone/batch-query.response.json', listed.body);
    expect(listed.body.data.result[0].running_status).toBe(4);
    expect(JSON.stringify(listed.body)).not.toContain('_emulator');
  });

  test('walks 2 → 4 → 2 over the configured duration, polled through batch-query-status', async () => {
    await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 30000 }).expect(200);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
    expect((await reboot(t, ['a44uhlf7'])).status).toBe(200);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
    await t.advance(29999);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
    await t.advance(1);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
    const state = await t.state();
    const entry = state.huawei.koophone.instances.find((i: any) => i.instance_id === 'a44uhlf7');
    expect(entry._emulator?.steps).toBeUndefined();
  });

  test('a configurable path spreads its values evenly over the duration', async () => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.rebootPath': '2 → 1 → 4 → 2' }).expect(200);
    await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 10000 }).expect(200);
    expect((await reboot(t, ['a44uhlf7'])).status).toBe(200);
    const seen = [await statusOf(t, ['a44uhlf7'])];
    for (let i = 0; i < 2; i++) {
      await t.advance(5000);
      seen.push(await statusOf(t, ['a44uhlf7']));
    }
    expect(seen).toEqual([[1], [4], [2]]);
  });

  test('a reboot that never finishes (duration null) leaves the instance starting', async () => {
    await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': null }).expect(200);
    expect((await reboot(t, ['a44uhlf7'])).status).toBe(200);
    await t.advance(24 * 3600 * 1000);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
  });

  test('rebooting a rebooting instance is 5005 (it is no longer running)', async () => {
    expect((await reboot(t, ['a44uhlf7'])).status).toBe(200);
    const res = await reboot(t, ['a44uhlf7']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.5005', error_msg: 'Not all instances are running.' });
    expectSchema(t, ERROR, res.body);
  });

  test('all or nothing: one stopped instance in the batch and none reboots', async () => {
    const res = await reboot(t, ['a44uhlf7', 'stopped1', 'b71kq2ms']);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.5005');
    expectSchema(t, ERROR, res.body);
    expect(await statusOf(t, ['a44uhlf7', 'stopped1', 'b71kq2ms'])).toEqual([2, 1, 2]);
    const state = await t.state();
    for (const i of state.huawei.koophone.instances) expect(i._emulator?.steps).toBeUndefined();
  });

  test('all or nothing: one unknown id in the batch is 1001 and none reboots', async () => {
    const res = await reboot(t, ['a44uhlf7', 'nosuchid']);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.1001', error_msg: 'Insufficient instance permissions.' });
    expectSchema(t, ERROR, res.body);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
  });

  test("another project's instance is 1001, whoever asks", async () => {
    expect((await reboot(t, ['foreign1'])).body.error_code).toBe('KOOPHONE.API.1001');
    expect((await reboot(t, ['a44uhlf7'], OTHER_TOKEN)).body.error_code).toBe('KOOPHONE.API.1001');
    expect((await reboot(t, ['foreign1'], OTHER_TOKEN)).status).toBe(200);
  });

  test('1001 is sent with 401 when the older table is chosen', async () => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.noPermissionStatus': 401 }).expect(200);
    const res = await reboot(t, ['nosuchid']);
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('KOOPHONE.API.1001');
    expectSchema(t, ERROR, res.body);
  });

  test('100 instances reboot in one call; 101 is 1000 and changes nothing', async () => {
    const hundred = ids('bulk', 100);
    const ok = await reboot(t, hundred);
    expect(ok.status).toBe(200);
    expectSchema(t, OK, ok.body);
    expect(new Set(await statusOf(t, hundred))).toEqual(new Set([4]));

    await t.advance(2000);
    const all = ids('bulk', 101);
    const tooMany = await reboot(t, all);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ error_code: 'KOOPHONE.API.1000', error_msg: 'The request parameter is incorrect.' });
    expectSchema(t, ERROR, tooMany.body);
    expect(new Set(await statusOf(t, all.slice(0, 100)))).toEqual(new Set([2]));
    expect(await statusOf(t, [all[100]!])).toEqual([2]);
  });

  test.each([
    ['a missing instance_ids', {}],
    ['an empty list', { instance_ids: [] }],
    ['a string instead of a list', { instance_ids: 'a44uhlf7' }],
    ['a list of numbers', { instance_ids: [1, 2] }],
    ['an empty id', { instance_ids: [''] }],
    ['duplicates', { instance_ids: ['a44uhlf7', 'a44uhlf7'] }],
    ['a JSON array body', ['a44uhlf7']],
    ['a JSON null body', null],
  ])('%s is 1000', async (_name, body) => {
    const res = await t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'r').set('Content-Type', 'application/json').send(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.1000');
    expectSchema(t, ERROR, res.body);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
  });

  test.each([
    ['malformed JSON', '{"instance_ids": ["a44uhlf7"'],
    ['no body at all', ''],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
  ])('%s is 1000, never a 500', async (_name, raw) => {
    const res = await t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'r').set('Content-Type', 'application/json').send(raw as any);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.1000');
    expectSchema(t, ERROR, res.body);
  });

  test('a missing x-request-id is 0002 with HTTP 200 by default, 400 when chosen, accepted when not required', async () => {
    const res = await reboot(t, ['a44uhlf7'], TOKEN, null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.0002', error_msg: "missing request header 'x-request-id'." });
    expectSchema(t, ERROR, res.body);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);

    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.missingRequestIdStatus': 400 }).expect(200);
    const strict = await reboot(t, ['a44uhlf7'], TOKEN, null);
    expect(strict.status).toBe(400);
    expect(strict.body.error_code).toBe('KOOPHONE.API.0002');

    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.requireRequestId': false }).expect(200);
    expect((await reboot(t, ['a44uhlf7'], TOKEN, null)).body).toEqual({ error_code: '0', error_msg: 'OK' });
  });

  test('an injected fault is 500 9999 and reboots nothing', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance', count: 1 }).expect(201);
    const res = await reboot(t, ['a44uhlf7']);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.9999', error_msg: 'Internal service error.' });
    expectSchema(t, ERROR, res.body);
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
    expect((await reboot(t, ['a44uhlf7'])).status).toBe(200);
  });

  test('a latency-only fault delays the call and lets it through', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance', latencyMs: 5, count: 1 }).expect(201);
    const res = await reboot(t, ['a44uhlf7']);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error_code: '0', error_msg: 'OK' });
    expect((await t.http.get('/_emulator/faults')).body.faults[0].count).toBe(0);
  });

  test('a fault rule can name an instance, a code and a status', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance', resourceId: 'b71kq2ms', httpStatus: 503, code: 'KOOPHONE.API.9999', message: 'busy' }).expect(201);
    expect((await reboot(t, ['a44uhlf7'])).status).toBe(200);
    const res = await reboot(t, ['b71kq2ms']);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.9999', error_msg: 'busy' });
  });

  test.each(['4,2', '2,2,4,2', '2', '2,9,2', '2;4;2x'])('an unexpected internal failure (reboot path setting %s) is 500 9999, not a crash', async (path) => {
    await t.http.patch('/_emulator/settings').send({ 'huawei.koophone.rebootPath': path }).expect(200);
    const res = await reboot(t, ['a44uhlf7']);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error_code: 'KOOPHONE.API.9999', error_msg: 'Internal service error.' });
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([2]);
  });

  test('concurrent reboots of the same instance: exactly one is accepted', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => reboot(t, ['a44uhlf7'])));
    const codes = results.map((r) => r.body.error_code).sort();
    expect(codes.filter((c) => c === '0')).toHaveLength(1);
    expect(codes.filter((c) => c === 'KOOPHONE.API.5005')).toHaveLength(9);
  });

  test('the journal names the operation and the error code', async () => {
    await reboot(t, ['stopped1']);
    const res = await t.http.get('/_emulator/requests?provider=huawei');
    expect(res.body.requests[0]).toMatchObject({ provider: 'huawei', operation: 'BatchRebootInstance', status: 400, errorCode: 'KOOPHONE.API.5005' });
  });

  test('batch-query-status reports in request order and rejects unknown ids', async () => {
    expect(await statusOf(t, ['stopped1', 'a44uhlf7'])).toEqual([1, 2]);
    const res = await queryStatus(t, ['a44uhlf7', 'nosuchid']);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('KOOPHONE.API.1001');
    expectSchema(t, ERROR, res.body);
    const long = await queryStatus(t, ['x'.repeat(33)]);
    expect(long.body.error_code).toBe('KOOPHONE.API.1000');
  });
});
