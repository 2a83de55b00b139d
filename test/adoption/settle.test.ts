/** Issue 13, waiting: settle every pending transition (or one resource's) instead of polling, and list what is pending. */
import { startHuawei, instance, TOKEN, START } from '../huawei/support.js';
import type { TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startHuawei([instance('p1'), instance('p2'), instance('p3')]);
});
afterEach(() => t.close());

const reboot = (ids: string[]) => t.http.post('/v1/instances/reboot').set('x-auth-token', TOKEN).set('x-request-id', 'r').send({ instance_ids: ids }).expect(200);
const statuses = async () => Object.fromEntries((await t.state()).huawei.koophone.instances.map((i: any) => [i.instance_id, i.running_status]));

test('GET /_emulator/transitions/pending lists resource, provider, transition, from -> to and due, in due order', async () => {
  await reboot(['p1']);
  const res = await t.http.get('/_emulator/transitions/pending').expect(200);
  expect(res.body.now).toBe(new Date(START).toISOString());
  expect(res.body.pending).toEqual([
    expect.objectContaining({ provider: 'huawei', collection: 'huawei.koophone.instances', resource: 'p1', step: 0, transition: 'set', from: { running_status: 4 }, to: { running_status: 2 }, due: new Date(START + 2000).toISOString(), dueAt: START + 2000 }),
  ]);
  expect((await t.http.get('/_emulator/transitions/pending?resource=p2').expect(200)).body.pending).toEqual([]);
});

test('POST /_emulator/clock {"settle": true} moves the clock to the last due step and settles everything', async () => {
  await reboot(['p1']);
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': '1h' }).expect(200);
  await reboot(['p2']);
  expect(await statuses()).toEqual({ p1: 4, p2: 4, p3: 2 });
  const res = await t.http.post('/_emulator/clock').send({ settle: true }).expect(200);
  expect(res.body).toEqual({ now: new Date(START + 3_600_000).toISOString(), mode: 'manual', settled: 2, never: 0 });
  expect(await statuses()).toEqual({ p1: 2, p2: 2, p3: 2 });
  expect((await t.http.get('/_emulator/transitions/pending')).body.pending).toEqual([]);
});

test('settle of one resource moves the clock only as far as its own last step', async () => {
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': '10s' }).expect(200);
  await reboot(['p1']);
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': '1h' }).expect(200);
  await reboot(['p2']);
  const res = await t.http.post('/_emulator/clock').send({ settle: { resource: 'p1' } }).expect(200);
  expect(res.body).toMatchObject({ now: new Date(START + 10_000).toISOString(), settled: 1 });
  expect(await statuses()).toEqual({ p1: 2, p2: 4, p3: 2 });
});

test('steps that never come due are counted, not waited for; the clock does not move for them', async () => {
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 'never' }).expect(200);
  await reboot(['p3']);
  const res = await t.http.post('/_emulator/clock').send({ settle: true }).expect(200);
  expect(res.body).toEqual({ now: new Date(START).toISOString(), mode: 'manual', settled: 0, never: 1 });
  expect((await t.http.get('/_emulator/transitions/pending')).body.pending).toEqual([expect.objectContaining({ resource: 'p3', due: null, dueAt: null })]);
});

test('in-process: await emulator.settle() and emulator.pending()', async () => {
  await reboot(['p1', 'p2']);
  expect(t.pending().map((p) => p.resource)).toEqual(['p1', 'p2']);
  expect(await t.settle()).toEqual({ settled: 2, never: 0 });
  expect(await statuses()).toEqual({ p1: 2, p2: 2, p3: 2 });
});

test.each([[{ settle: true, advanceMs: 1 }], [{ settle: 'yes' }], [{ settle: { resource: '' } }], [{ settle: { resource: 'p1', x: 1 } }], [{ settle: false }]])('a bad settle %j is a 400', async (body) => {
  const res = await t.http.post('/_emulator/clock').send(body).expect(400);
  expect(res.body.errors[0].message).toMatch(/settle/);
  expect((await t.http.get('/_emulator/clock')).body.now).toBe(new Date(START).toISOString());
});

test('a resource query over 256 characters is a 400', async () => {
  await t.http.get(`/_emulator/transitions/pending?resource=${'x'.repeat(257)}`).expect(400);
});
