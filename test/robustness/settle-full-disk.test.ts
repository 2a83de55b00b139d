/**
 * A step the clock completes while the disk is full: settling runs at the start of every request,
 * and provider requests take a fast path past Express's router (src/http/app.ts), so nothing that
 * happens there may escape as an uncaught exception that ends the process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { FaultyFs } from '../support/faulty-fs.js';
import { huaweiWorld, instance, TOKEN } from '../support/worlds/huawei.js';
import { reboot, statusOf } from '../huawei/support.js';

let dir: string;
let ffs: FaultyFs;
let t: TestEmulator;
const uncaught: unknown[] = [];
const onUncaught = (err: unknown) => uncaught.push(err);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-full-'));
  ffs = new FaultyFs();
  t = await startTestEmulator({ data: path.join(dir, 'state.json'), fileSystem: ffs });
  await t.seed(huaweiWorld([instance('phone-sf-01')]));
  process.on('uncaughtException', onUncaught);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a due step settled while the disk is full: every request is answered in its envelope, nothing escapes, and the step completes once there is space', async () => {
  expect((await reboot(t, ['phone-sf-01'])).status).toBe(200);
  expect(await statusOf(t, ['phone-sf-01'])).toEqual([4]);
  ffs.space = 0;
  // The step falls due and is applied; its append fails after the answer and is undone (store.ts fail()).
  const advanced = await request(t.url).post('/_emulator/clock').send({ advanceMs: 3_600_000 });
  expect(advanced.status).toBe(200);
  expect(advanced.body.now).toBe('2026-01-15T09:00:00.000Z');
  // A provider request settles again on its way in, through the fast path.
  const res = await request(t.url)
    .post('/v1/instances/batch-query-status')
    .set('x-auth-token', TOKEN)
    .set('x-request-id', 'sf-1')
    .send({ instance_ids: ['phone-sf-01'] });
  expect(res.status).toBe(200);
  expect(res.body.error_code).toBe('0');
  expect(res.text).not.toMatch(/\n\s+at /);
  expect(uncaught).toEqual([]);
  // Space again: the step completes and the emulator answers as before.
  ffs.space = undefined;
  expect(await statusOf(t, ['phone-sf-01'])).toEqual([2]);
  expect(uncaught).toEqual([]);
});
