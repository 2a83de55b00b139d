/**
 * The dashboard in a real browser (headless Chromium driven by playwright-core): the page loads
 * without console errors, a KooPhone reboot made through the API shows up live in the journal, the
 * instance goes 2 → 4 → 2 as the clock is advanced FROM THE PAGE (manual clock), a fault added from
 * the form fails the next request and counts it, reset goes through its confirm step, and a bad
 * seed shows its errors in place. Nothing sleeps: every step waits on what the page shows.
 * Screenshots of the main views go to test-artifacts/ui/ (not committed) for a reviewer.
 */
import { jest } from '@jest/globals';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { huaweiWorld, instance, TOKEN } from '../support/worlds/huawei.js';
import { reboot, statusOf } from '../huawei/support.js';
import { launchBrowser, screenshot, type Browser, type DashboardPage } from './support.js';

jest.setTimeout(90_000);

const PHONE = 'phone-ui-01';
let browser: Browser;
let t: TestEmulator;
let page: DashboardPage;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await startTestEmulator();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});
beforeEach(async () => {
  await request(t.url).post('/_emulator/reset').expect(200);
  await t.seed(huaweiWorld([instance(PHONE, { instance_name: 'ui-phone' }), instance('phone-ui-02')]));
  page = await browser.page();
  page.setDefaultTimeout(20_000);
});
afterEach(async () => {
  await page?.close();
});

const row = (id: string) => page.locator(`[data-resource="huawei/${id}"]`);
const statusIs = (id: string, status: string) => row(id).locator('td.status', { hasText: new RegExp(`^${status}$`) }).waitFor();

/** Opens the dashboard the way a developer does: the emulator's own URL, redirected. */
async function open(): Promise<void> {
  await page.goto(`${t.url}/`);
  await page.locator('[data-testid="stream"]', { hasText: /^live$/ }).waitFor();
  await statusIs(PHONE, '2');
}

async function tab(name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
}

test('the emulator\'s URL opens the dashboard: resources, the manual clock, a live stream, no console errors', async () => {
  await open();
  expect(page.url()).toBe(`${t.url}/_emulator/ui/`);
  expect(await page.title()).toBe('cloud-api-emulator dashboard');
  expect(await page.locator('[data-testid="clock-mode"]').textContent()).toBe('manual');
  expect(await page.locator('[data-testid="clock-now"]').textContent()).toBe('2026-01-15T08:00:00.000Z');
  await statusIs('phone-ui-02', '2');
  for (const name of ['Faults', 'Transitions & settings', 'Reset & seed', 'Resources & journal']) await tab(name);
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});

test('a KooPhone reboot through the API appears live in the journal; the instance goes 2 → 4 → 2 as the page advances the clock', async () => {
  await open();
  expect(await page.locator('li.entry').count()).toBe(0);

  const res = await reboot(t, [PHONE], undefined, 'ui-trace-1');
  expect(res.status).toBe(200);

  // Pushed by the event stream: the page neither reloads nor polls.
  const entry = page.locator('li.entry[data-operation="BatchRebootInstance"]');
  await entry.waitFor();
  await statusIs(PHONE, '4');
  // The countdown follows the emulator's (manual) clock: 2 s to go, and it stays so while the clock stands.
  await row(PHONE).locator('.countdown', { hasText: 'in 2.0 s' }).waitFor();

  // Advance from the page, one second at a time.
  await page.getByLabel('Advance step').selectOption('1000');
  await page.getByRole('button', { name: 'Advance', exact: true }).click();
  await page.locator('[data-testid="clock-now"]', { hasText: '2026-01-15T08:00:01.000Z' }).waitFor();
  await row(PHONE).locator('.countdown', { hasText: 'in 1.0 s' }).waitFor();
  expect(await row(PHONE).locator('td.status').textContent()).toBe('4');
  expect(await statusOf(t, [PHONE])).toEqual([4]);
  await screenshot(page, 'journal-and-resources');

  await page.getByRole('button', { name: 'Advance', exact: true }).click();
  await statusIs(PHONE, '2');
  expect(await statusOf(t, [PHONE])).toEqual([2]);
  expect(await row(PHONE).locator('.countdown').count()).toBe(0);

  // The entry expands to its params, reason and changes.
  await entry.locator('.entry-head').click();
  const body = entry.locator('.entry-body');
  await body.locator('.changes-table td', { hasText: 'running_status' }).first().waitFor();
  expect(await body.locator('.changes-table').textContent()).toContain('running_status');
  expect(await body.locator('.kv').textContent()).toContain('ui-trace-1');
  expect(await body.locator('pre.json').textContent()).toContain(PHONE);
  await screenshot(page, 'journal-entry');

  // The resource's detail: its public view and its timeline.
  await row(PHONE).getByRole('button', { name: PHONE }).click();
  const detail = page.getByRole('region', { name: 'Resource detail' });
  await detail.locator('pre.json', { hasText: '"instance_id": "phone-ui-01"' }).waitFor();
  await detail.locator('ol.timeline li', { hasText: 'BatchRebootInstance' }).waitFor();
  expect(await detail.locator('ol.timeline').textContent()).toContain('running_status');
  await screenshot(page, 'resource-detail');
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});

test('a fault added from the form fails the next request, and its fired count goes to 1', async () => {
  await open();
  await tab('Faults');
  const form = page.getByRole('form', { name: 'Add a fault' });
  await form.getByLabel('Fault provider').selectOption('huawei');
  await form.getByLabel('Fault operation').selectOption('BatchRebootInstance');
  await form.getByLabel('Fault kind').selectOption('error');
  await form.getByLabel('HTTP status', { exact: true }).fill('503');
  await form.getByLabel('Count', { exact: true }).fill('1');
  await form.getByRole('button', { name: 'Add fault' }).click();
  const rule = page.locator('tr[data-fault]');
  await rule.locator('td.fired', { hasText: /^0$/ }).waitFor();
  expect(await rule.textContent()).toContain('BatchRebootInstance');

  const failed = await request(t.url).post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'f1').set('Content-Type', 'application/json').send({ instance_ids: [PHONE] });
  expect(failed.status).toBe(503);
  await rule.locator('td.fired', { hasText: /^1$/ }).waitFor();
  await screenshot(page, 'faults');

  // A bad rule is refused in place, with the emulator's words.
  await form.getByLabel('HTTP status', { exact: true }).fill('200');
  await form.getByRole('button', { name: 'Add fault' }).click();
  await form.locator('.errors', { hasText: 'httpStatus' }).waitFor();
  expect(await page.locator('tr[data-fault]').count()).toBe(1);

  await rule.getByRole('button', { name: 'Remove' }).click();
  await page.locator('tr[data-fault]').first().waitFor({ state: 'detached' });
  expect((await request(t.url).get('/_emulator/faults')).body.faults).toEqual([]);
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual(['400 POST /_emulator/faults']);
});

test('reset goes through a confirm step', async () => {
  await open();
  await reboot(t, [PHONE]);
  await page.locator('li.entry').first().waitFor();
  await tab('Reset & seed');
  await page.getByRole('button', { name: 'Reset…' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm reset' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  expect((await request(t.url).get('/_emulator/requests/count')).body.count).toBe(1);

  await page.getByRole('button', { name: 'Reset…' }).click();
  await screenshot(page, 'reset-confirm');
  await confirm.getByRole('button', { name: 'Yes, reset' }).click();
  await page.getByRole('status').filter({ hasText: 'Reset to the fixtures.' }).waitFor();
  // The test emulator's fixtures are empty: the instances and the journal are gone, here and on the page.
  expect((await request(t.url).get('/_emulator/requests/count')).body.count).toBe(0);
  expect((await request(t.url).get('/_emulator/resources')).body.total).toBe(0);
  await tab('Resources & journal');
  await page.locator('.resources .empty').waitFor();
  expect(await page.locator('li.entry').count()).toBe(0);
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});

test('seed: invalid JSON and an invalid document show their errors in place; a valid one seeds', async () => {
  await open();
  await tab('Reset & seed');
  const form = page.getByRole('form', { name: 'Seed' });
  const text = form.getByLabel('Seed document');
  await text.fill('{"huawei": ');
  await form.getByRole('button', { name: 'Seed' }).click();
  await form.locator('.errors', { hasText: 'not JSON' }).waitFor();

  await text.fill(JSON.stringify({ huawei: { koophone: { instances: [{ instance_id: 42 }] } } }));
  await form.getByRole('button', { name: 'Seed' }).click();
  const errors = form.locator('.errors li');
  await errors.first().waitFor();
  expect(await form.locator('.errors').textContent()).toMatch(/instance_id/);
  await screenshot(page, 'seed-errors');

  await text.fill(JSON.stringify({ huawei: { koophone: { instances: [instance('phone-seeded', { running_status: 1 })] } } }));
  await form.getByRole('button', { name: 'Seed' }).click();
  await form.getByRole('status').filter({ hasText: /Seeded 1 entr/ }).waitFor();
  expect(await form.locator('.errors').count()).toBe(0);
  await tab('Resources & journal');
  await statusIs('phone-seeded', '1');
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual(['400 POST /_emulator/seed']);
});

test('transition durations are edited in place; at 1024 px nothing overflows sideways', async () => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await open();
  await tab('Transitions & settings');
  const rowOf = page.locator('[data-transition="huawei.koophone.reboot"]');
  const input = rowOf.getByLabel('Duration of huawei.koophone.reboot');
  await input.fill('5s');
  await rowOf.getByRole('button', { name: 'Save' }).click();
  await rowOf.locator('td', { hasText: /^5000 ms$/ }).waitFor();
  expect((await request(t.url).get('/_emulator/transitions')).body['huawei.koophone.reboot']).toBe(5000);
  await input.fill('soon');
  await rowOf.getByRole('button', { name: 'Save' }).click();
  await rowOf.locator('.errors').waitFor();
  await screenshot(page, 'transitions-settings-1024');
  for (const name of ['Transitions & settings', 'Faults', 'Reset & seed', 'Resources & journal']) {
    await tab(name);
    expect({ name, width: await page.evaluate('document.documentElement.scrollWidth') }).toEqual({ name, width: 1024 });
  }
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual(['400 PUT /_emulator/transitions']);
});

test('a dropped event stream is opened again (after a back-off), and what happened meanwhile is read again', async () => {
  let attempts = 0;
  // The first connection fails on the wire; the page says so and tries again by itself.
  await page.route('**/_emulator/events', (route) => (++attempts === 1 ? route.abort('connectionreset') : route.continue()));
  await page.goto(`${t.url}/_emulator/ui/`);
  await page.locator('[data-testid="stream"]', { hasText: /^live$/ }).waitFor();
  expect(attempts).toBe(2);
  await statusIs(PHONE, '2');
  await reboot(t, [PHONE]);
  await page.locator('li.entry[data-operation="BatchRebootInstance"]').waitFor();
  await statusIs(PHONE, '4');
  // Chromium logs the dropped connection itself; nothing else went wrong.
  expect(page.problems.filter((p) => !p.includes('net::ERR_CONNECTION_RESET'))).toEqual([]);
});

test('the journal filters by provider, operation and status; a request for an operation not emulated stands out', async () => {
  await open();
  await reboot(t, [PHONE]);
  expect((await reboot(t, ['no-such-phone'])).status).toBe(400);
  await request(t.url).post('/v1/instances/delete').set('X-Auth-Token', TOKEN).set('x-request-id', 'u1').expect(404);
  await page.locator('li.entry').nth(2).waitFor();
  const unmatched = page.locator('li.entry.unmatched');
  expect(await unmatched.count()).toBe(1);
  expect(await unmatched.locator('.unmatched-badge').textContent()).toBe('not emulated');

  const shown = () => page.locator('li.entry').count();
  await page.getByLabel('Journal status').selectOption('4xx');
  await page.locator('li.entry').nth(2).waitFor({ state: 'detached' });
  expect(await shown()).toBe(2);
  await page.getByLabel('Journal operation').selectOption('BatchRebootInstance');
  await page.locator('li.entry').nth(1).waitFor({ state: 'detached' });
  expect(await page.locator('li.entry .badge.status').textContent()).toBe('400');
  await page.getByLabel('Journal status').selectOption('');
  await page.locator('li.entry').nth(1).waitFor();
  expect(await shown()).toBe(2);
  await page.getByLabel('Journal provider').selectOption('alibaba');
  await page.locator('li.entry').first().waitFor({ state: 'detached' });
  await page.getByLabel('Journal provider').selectOption('');
  await page.locator('li.entry').nth(2).waitFor();
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});
