/**
 * The dashboard's timeline and paging in a real browser (headless Chromium, playwright-core): a
 * KooPhone reboot's 4 → 2, completed by the clock as the PAGE advances it, appears live in the
 * resource's timeline beside the request that scheduled it; the resource list pages past its first
 * 500 (GET /_emulator/resources' offset); the journal loads older entries past its first read
 * (GET /_emulator/requests' limit). Nothing sleeps: every step waits on what the page shows.
 */
import { jest } from '@jest/globals';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { huaweiWorld, instance } from '../support/worlds/huawei.js';
import { queryStatus, reboot } from '../huawei/support.js';
import { launchBrowser, screenshot, type Browser, type DashboardPage } from './support.js';

jest.setTimeout(90_000);

const PHONE = 'phone-tl-01';
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
  page = await browser.page();
  page.setDefaultTimeout(20_000);
});
afterEach(async () => {
  await page?.close();
});

const row = (id: string) => page.locator(`[data-resource="huawei/${id}"]`);

async function open(first: string): Promise<void> {
  await page.goto(`${t.url}/_emulator/ui/`);
  await page.locator('[data-testid="stream"]', { hasText: /^live$/ }).waitFor();
  await row(first).waitFor();
}

test('a transition the clock completes appears live in the resource\'s timeline, with the request that scheduled it', async () => {
  await t.seed(huaweiWorld([instance(PHONE)]));
  await open(PHONE);
  await reboot(t, [PHONE], undefined, 'tl-trace-1');
  const journalId = (await request(t.url).get('/_emulator/requests').query({ resourceId: PHONE }).expect(200)).body.requests[0].id;

  await row(PHONE).getByRole('button', { name: PHONE }).click();
  const detail = page.getByRole('region', { name: 'Resource detail' });
  const timeline = detail.locator('ol.timeline');
  await timeline.locator('li', { hasText: 'BatchRebootInstance' }).waitFor();
  await detail.locator('[data-testid="detail-status"]', { hasText: /^4$/ }).waitFor();
  expect(await timeline.locator('li.completed').count()).toBe(0);

  // Advance from the page past the reboot's 2 s: the clock completes it, and the timeline says so.
  await page.getByLabel('Advance step').selectOption('1000');
  await page.getByRole('button', { name: 'Advance', exact: true }).click();
  await page.locator('[data-testid="clock-now"]', { hasText: '2026-01-15T08:00:01.000Z' }).waitFor();
  await page.getByRole('button', { name: 'Advance', exact: true }).click();
  await detail.locator('[data-testid="detail-status"]', { hasText: /^2$/ }).waitFor();
  const done = timeline.locator('li.completed', { hasText: 'running_status: 4 → 2' });
  await done.waitFor();
  expect(await done.textContent()).toContain('completed by the clock');
  expect(await done.locator('code', { hasText: journalId }).count()).toBe(1);
  expect(await done.locator('time').textContent()).toContain('08:00:02');
  // Newest first: the completed step above the request that scheduled it.
  const kinds = await timeline.locator(':scope > li').evaluateAll((items) => items.map((li) => (li.classList.contains('completed') ? 'completed' : 'request')));
  expect(kinds[0]).toBe('completed');
  expect(kinds).toContain('request');
  await screenshot(page, 'resource-timeline');
  // The journal did not grow by the clock's work: one request, the reboot.
  expect((await request(t.url).get('/_emulator/requests/count').query({ resourceId: PHONE })).body.count).toBe(1);
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});

test('the resource list pages past its first 500: next and previous move the page', async () => {
  const ids = Array.from({ length: 620 }, (_, i) => `phone-pg-${String(i).padStart(4, '0')}`);
  await t.seed(huaweiWorld(ids.map((id) => instance(id))));
  await open(ids[0]!);
  const range = page.locator('[data-testid="resources-range"]');
  await range.filter({ hasText: '1–500 of 620' }).waitFor();
  expect(await page.locator('[data-resource^="huawei/"]').count()).toBe(500);
  expect(await row(ids[600]!).count()).toBe(0);

  await page.getByRole('button', { name: 'Next →' }).click();
  await range.filter({ hasText: '501–620 of 620' }).waitFor();
  await row(ids[600]!).waitFor();
  expect(await page.locator('[data-resource^="huawei/"]').count()).toBe(120);
  expect(await row(ids[0]!).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
  await screenshot(page, 'resources-page-2');

  await page.getByRole('button', { name: '← Previous' }).click();
  await range.filter({ hasText: '1–500 of 620' }).waitFor();
  await row(ids[0]!).waitFor();
  expect(await page.getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);

  // The provider filter is the route's too: a provider with none shows none, and the pager goes.
  await page.getByLabel('Resources provider').selectOption('alibaba');
  await page.getByText('No resources.').waitFor();
  expect(await page.getByRole('button', { name: 'Next →' }).count()).toBe(0);
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});

test('the journal loads older entries past its first read, until there are no more', async () => {
  await t.seed(huaweiWorld([instance(PHONE)]));
  for (let i = 0; i < 230; i++) await queryStatus(t, [PHONE]);
  await open(PHONE);
  const entries = page.locator('li.entry');
  await page.getByRole('button', { name: 'Load older' }).waitFor();
  expect(await entries.count()).toBe(200);

  await page.getByRole('button', { name: 'Load older' }).click();
  await page.getByRole('button', { name: 'Load older' }).waitFor({ state: 'detached' });
  expect(await entries.count()).toBe(230);
  // Still live after it: a new request goes on top.
  await reboot(t, [PHONE], undefined, 'after-older');
  await page.locator('li.entry[data-operation="BatchRebootInstance"]').waitFor();
  expect(await entries.count()).toBe(231);
  expect(await entries.first().getAttribute('data-operation')).toBe('BatchRebootInstance');
  expect(page.problems).toEqual([]);
  expect(page.failures).toEqual([]);
});
