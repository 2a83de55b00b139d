// Makes docs/dashboard.png, the README's picture of the dashboard: the sandbox (fixtures/default.json)
// on a manual clock, a KooPhone reboot under way, a few requests in the journal (one failing, one not
// emulated), one entry open. Needs a build (npm run build) and Chromium (CHROMIUM_PATH or /usr/bin/chromium).
//   node scripts/dashboard-screenshot.mjs [out.png]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startEmulator } from '../dist/index.js';

const out = process.argv[2] ?? new URL('../docs/dashboard.png', import.meta.url).pathname;
const emulator = await startEmulator({ port: 0, inMemory: true, clock: 'manual', clockStart: '2026-01-15T08:00:00.000Z', logLevel: 'error' });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cae-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  viewport: { width: 1280, height: 680 },
});
try {
  const page = await context.newPage();
  await page.goto(`${emulator.url}/`);
  await page.locator('[data-testid="stream"]', { hasText: /^live$/ }).waitFor();
  const huawei = (id, body) => fetch(`${emulator.url}/v1/instances/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': 'sandbox-koophone-token', 'x-request-id': `demo-${id}` }, body: JSON.stringify(body) });
  await huawei('batch-query-status', { instance_ids: ['a44uhlf7', 'c9dx3ftr'] });
  await huawei('reboot', { instance_ids: ['c9dx3ftr'] });
  await huawei('reboot', { instance_ids: ['a44uhlf7'] });
  await fetch(`${emulator.url}/v1/instances/delete`, { method: 'POST', headers: { 'x-auth-token': 'sandbox-koophone-token', 'x-request-id': 'demo-x' } });
  await page.locator('li.entry').nth(3).waitFor();
  await page.getByLabel('Advance step').selectOption('1000');
  await page.getByRole('button', { name: 'Advance', exact: true }).click();
  await page.locator('[data-resource="huawei/a44uhlf7"] .countdown', { hasText: 'in 1.0 s' }).waitFor();
  await page.locator('li.entry[data-operation="BatchRebootInstance"] .entry-head').first().click();
  await page.screenshot({ path: out });
  console.log(`${out}: ${fs.statSync(out).size} bytes`);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  await emulator.close();
}
