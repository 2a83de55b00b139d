/**
 * A seeded KooPhone instance is stored without the defaults that say nothing (zero or empty): a
 * data file of 100,000 instances is read, parsed and held at every start. ListInstances still
 * answers every documented field, and what a seed sets, even zero or empty, is kept.
 */
import type { TestEmulator } from '../support/emulator.js';
import { PROJECT, TOKEN, startHuawei } from './support.js';

/** Bytes of the stored JSON of an instance seeded with its id and project only (577 when every empty default was stored). */
const MAX_STORED_BYTES = 400;
const EMPTY_DEFAULTS = ['frozen_status', 'login_status', 'assign_status', 'assign_user', 'billing_mode', 'member_name', 'account_name', 'backup_status', 'backup_time', 'restore_status', 'restore_time'];

let t: TestEmulator;
beforeEach(async () => {
  t = await startHuawei([
    { instance_id: 'minimal1', project_id: PROJECT },
    { instance_id: 'explicit', project_id: PROJECT, frozen_status: 0, member_name: '', backup_status: 2 },
    { instance_id: 'assigned', project_id: PROJECT, assign_user: 'bob' },
  ]);
});
afterEach(() => t.close());

const stored = async (id: string) => (await t.state()).huawei.koophone.instances.find((i: any) => i.instance_id === id);

test('an instance seeded with its id and project is stored without empty defaults, within MAX_STORED_BYTES', async () => {
  const minimal = await stored('minimal1');
  for (const f of EMPTY_DEFAULTS) expect(minimal).not.toHaveProperty(f);
  expect(minimal).toMatchObject({ running_status: 2, instance_name: 'minimal1', region: 'cn-north-4', phone_id: 'minimal1', region_name_en: 'CN North-Beijing4' });
  // JSON.stringify counts characters; the data file escapes the non-ASCII ones, as asciiJson does.
  expect(Buffer.byteLength(JSON.stringify(minimal).replace(/[\u0080-\uffff]/g, '\\uXXXX'))).toBeLessThanOrEqual(MAX_STORED_BYTES);
});

test('what a seed sets, even zero or empty, is stored as set; an assigned user stores its assign_status', async () => {
  expect(await stored('explicit')).toMatchObject({ frozen_status: 0, member_name: '', backup_status: 2 });
  expect(await stored('assigned')).toMatchObject({ assign_user: 'bob', assign_status: 1 });
});

test('ListInstances answers the empty defaults the entry does not store', async () => {
  const res = await t.http.get('/v1/instances/batch-query?x-request-id=q1&page_no=1&page_size=10').set('X-Auth-Token', TOKEN);
  expect(res.status).toBe(200);
  const byId = Object.fromEntries(res.body.data.result.map((i: any) => [i.instance_id, i]));
  expect(byId.minimal1).toMatchObject({ frozen_status: 0, login_status: 0, assign_status: 0, assign_user: '', billing_mode: '', member_name: '', account_name: '', backup_status: 0, backup_time: '', restore_status: 0, restore_time: '' });
  expect(byId.explicit).toMatchObject({ backup_status: 2 });
  expect(byId.assigned).toMatchObject({ assign_user: 'bob', assign_status: 1 });
});
