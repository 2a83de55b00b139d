/**
 * Helpers for the dashboard's tests: raw HTTP (a path exactly as written, which supertest's URL
 * handling would normalize: "/a/../b" must reach the server as it is), and a headless Chromium
 * driven by playwright-core.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with its path sent byte for byte as given. */
export function raw(url: string, method: string, rawPath: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: rawPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Debian's Chromium, or CHROMIUM_PATH. Missing: the tests fail, saying how to install it (never skipped). */
export function chromiumPath(): string {
  const file = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!fs.existsSync(file)) {
    throw new Error(`the dashboard's browser tests need Chromium at ${file} (apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH to a Chromium or Chrome binary)`);
  }
  return file;
}

export const ARTIFACTS = path.join(process.cwd(), 'test-artifacts', 'ui');

export type DashboardPage = Page & { problems: string[]; failures: string[] };

export interface Browser {
  context: BrowserContext;
  /**
   * A new page, 1280 × 800 unless told, collecting its console errors and uncaught exceptions
   * (`problems`) and the answers of 400 and above it received (`failures`, "400 POST /_emulator/seed":
   * the browser logs each as a console error too, which `problems` leaves to this list).
   */
  page(viewport?: { width: number; height: number }): Promise<DashboardPage>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (removed on close), no network beyond what the page asks. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cae-ui-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    async page(viewport) {
      const page = (await context.newPage()) as DashboardPage;
      page.problems = [];
      page.failures = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of')) page.problems.push(`console: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) page.failures.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
      });
      page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
      if (viewport) await page.setViewportSize(viewport);
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
