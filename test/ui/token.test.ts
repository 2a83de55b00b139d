/**
 * An emulator started with --control-token: the page (static, no data) loads, the first call it
 * makes answers 401, and it asks for the token before showing or changing anything; the token is
 * kept in this tab's sessionStorage and sent as a Bearer header, the event stream's included.
 */
import { jest } from '@jest/globals';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { huaweiWorld, instance } from '../support/worlds/huawei.js';
import { launchBrowser, screenshot, type Browser } from './support.js';

jest.setTimeout(90_000);

const CONTROL_TOKEN = 'a-dashboard-control-token-0123456789';
let browser: Browser;
let t: TestEmulator;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await startTestEmulator({ controlToken: CONTROL_TOKEN });
  await request(t.url).post('/_emulator/seed').set('Authorization', `Bearer ${CONTROL_TOKEN}`).send(huaweiWorld([instance('phone-locked')])).expect(200);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

test('the page asks for the token first, refuses a wrong one, and with the right one shows the sandbox live', async () => {
  const page = await browser.page();
  page.setDefaultTimeout(20_000);
  await page.goto(`${t.url}/_emulator/ui/`);
  const form = page.getByRole('form', { name: 'Control token' });
  await form.waitFor();
  // Nothing of the sandbox is shown (or asked for) before the token.
  expect(await page.locator('[data-resource]').count()).toBe(0);
  expect(await page.getByRole('tab').count()).toBe(0);
  await screenshot(page, 'token-prompt');

  await form.getByLabel('Control token').fill('not-the-token-at-all');
  await form.getByRole('button', { name: 'Open the dashboard' }).click();
  await form.getByRole('alert').filter({ hasText: 'That token was refused.' }).waitFor();

  await form.getByLabel('Control token').fill(CONTROL_TOKEN);
  await form.getByRole('button', { name: 'Open the dashboard' }).click();
  await page.locator('[data-resource="huawei/phone-locked"] td.status', { hasText: /^2$/ }).waitFor();
  await page.locator('[data-testid="stream"]', { hasText: /^live$/ }).waitFor();
  expect(await page.evaluate('sessionStorage.getItem("cloud-api-emulator.control-token")')).toBe(CONTROL_TOKEN);

  // Kept for this tab: a reload does not ask again.
  await page.reload();
  await page.locator('[data-resource="huawei/phone-locked"]').waitFor();
  expect(await page.getByRole('form', { name: 'Control token' }).count()).toBe(0);
  expect(page.problems).toEqual([]);
  // The two 401s: the first read without a token, and the wrong token's.
  expect(page.failures).toEqual(['401 GET /_emulator/clock', '401 GET /_emulator/clock']);
  await page.close();
});
