/** Issue 13, isolation: a reset puts back everything a test can change, unless it is asked to keep it. */
import { startHuawei, instance, TOKEN, START } from '../huawei/support.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startHuawei([instance('iso1')]);
});
afterAll(() => t.close());

async function dirty() {
  await t.http.post('/_emulator/clock').send({ advanceMs: 3_600_000 }).expect(200);
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 'never' }).expect(200);
  await t.http.patch('/_emulator/settings').send({ 'huawei.iam.tokenLifetimeSeconds': 60 }).expect(200);
  await t.http.post('/_emulator/faults').send({ provider: 'huawei', httpStatus: 503 }).expect(201);
}

test('POST /_emulator/reset restores the clock, transitions, settings and faults as configured (before: only the fixtures)', async () => {
  const configured = { transitions: (await t.http.get('/_emulator/transitions')).body, settings: (await t.http.get('/_emulator/settings')).body };
  await dirty();
  await t.http.post('/_emulator/reset').expect(200, { status: 'reset', empty: false });
  expect((await t.http.get('/_emulator/clock')).body).toEqual({ now: new Date(START).toISOString(), mode: 'manual' });
  expect((await t.http.get('/_emulator/transitions')).body).toEqual(configured.transitions);
  expect((await t.http.get('/_emulator/settings')).body).toEqual(configured.settings);
  expect((await t.http.get('/_emulator/faults')).body).toEqual({ faults: [] });
});

test('"keep" leaves what it names as it is', async () => {
  await dirty();
  const res = await t.http.post('/_emulator/reset').send({ keep: ['clock', 'settings'] }).expect(200);
  expect(res.body).toEqual({ status: 'reset', empty: false, keep: ['clock', 'settings'] });
  expect((await t.http.get('/_emulator/clock')).body.now).not.toBe(new Date(START).toISOString());
  expect((await t.http.get('/_emulator/settings')).body['huawei.iam.tokenLifetimeSeconds']).toBe(60);
  expect((await t.http.get('/_emulator/transitions')).body['huawei.koophone.reboot']).not.toBeNull();
  expect((await t.http.get('/_emulator/faults')).body.faults).toEqual([]);
  await t.reset();
});

test.each([[{ keep: 'clock' }], [{ keep: ['time'] }], [{ keep: ['clock', 'clock', 'clock', 'clock', 'clock', 'clock'] }], [{ empty: true, other: 1 }]])('a bad reset body %j is a 400 and changes nothing', async (body) => {
  await t.seed({ huawei: { koophone: { instances: [instance('kept-by-refusal')] } } });
  const res = await t.http.post('/_emulator/reset').send(body).expect(400);
  expect(res.body.errors[0].message).toMatch(/keep|unknown reset field/);
  expect((await t.state()).huawei.koophone.instances.map((i: any) => i.instance_id)).toContain('kept-by-refusal');
});

test('in-process reset() does the same; a system clock goes back to real time, so SDK signatures hold again', async () => {
  const sys = await startTestEmulator({ clock: 'system', clockStart: undefined });
  try {
    sys.clock.advance(3_600_000);
    await sys.reset();
    expect(Math.abs(sys.clock.now() - Date.now())).toBeLessThan(60_000);
    sys.clock.advance(3_600_000);
    await sys.reset({ keep: ['clock'] });
    expect(sys.clock.now() - Date.now()).toBeGreaterThan(3_000_000);
  } finally {
    await sys.close();
  }
});

test('a reboot whose steps were pending is gone after a reset with the clock moved back', async () => {
  await t.close();
  t = await startHuawei([instance('iso1')]);
  await t.http.post('/v1/instances/reboot').set('x-auth-token', TOKEN).set('x-request-id', 'r1').send({ instance_ids: ['iso1'] }).expect(200);
  expect(t.pending()).not.toEqual([]);
  await t.reset();
  expect(t.pending()).toEqual([]);
});
