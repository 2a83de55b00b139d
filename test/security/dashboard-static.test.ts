/**
 * The dashboard's static files (/_emulator/ui): a fixed map from URL path to the built files, so no
 * request path reaches the file system; the security headers on every answer; no token needed for
 * the page (it holds no data) but the control plane's Host and Origin checks apply.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { raw } from '../ui/support.js';

const TOKEN = 'a-control-token-of-32-characters';

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
  expect(csp).toMatch(/(^|; )script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')?(;|$)/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['cache-control']).toBe('no-cache');
}

describe('the dashboard files', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  test('the page, at /_emulator/ui and /_emulator/ui/, and its assets with their content types and headers', async () => {
    for (const p of ['/_emulator/ui', '/_emulator/ui/', '/_emulator/ui/index.html']) {
      const res = await raw(t.url, 'GET', p);
      expect({ p, status: res.status, type: res.headers['content-type'] }).toEqual({ p, status: 200, type: 'text/html; charset=utf-8' });
      expect(res.body).toContain('<div id="app">');
      expectSecurityHeaders(res.headers);
    }
    const page = (await raw(t.url, 'GET', '/_emulator/ui/')).body;
    const assets = [...page.matchAll(/(?:src|href)="(\/_emulator\/ui\/[^"]+)"/g)].map((m) => m[1]!);
    const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(page)![1]!);
    assets.push(...(Object.values(map.imports) as string[]));
    expect(assets).toEqual(expect.arrayContaining(['/_emulator/ui/main.js', '/_emulator/ui/style.css', '/_emulator/ui/vendor/preact.mjs']));
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
    for (const asset of assets) {
      const res = await raw(t.url, 'GET', asset);
      expect({ asset, status: res.status, type: res.headers['content-type'] }).toEqual({ asset, status: 200, type: types[asset.slice(asset.lastIndexOf('.') + 1)] });
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
      expectSecurityHeaders(res.headers);
    }
    // Every byte from the emulator: no URL of another origin in the page or its modules (XML namespace names aside).
    for (const asset of ['/_emulator/ui/', ...assets]) {
      const urls = (await raw(t.url, 'GET', asset)).body.match(/https?:\/\/[^"'\s)]*/g) ?? [];
      expect({ asset, urls: urls.filter((u) => !u.startsWith('http://www.w3.org/')) }).toEqual({ asset, urls: [] });
    }
  });

  test('the one inline script is the import map, allowed by its hash in the CSP', async () => {
    const res = await raw(t.url, 'GET', '/_emulator/ui/');
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    const inline = scripts.filter((m) => !/\bsrc=/.test(m[1]!));
    expect(inline.map((m) => m[1]!.trim())).toEqual(['type="importmap"']);
    const hash = createHash('sha256').update(inline[0]![2]!, 'utf8').digest('base64');
    expect(String(res.headers['content-security-policy'])).toContain(`script-src 'self' 'sha256-${hash}'`);
    expect(res.body).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
  });

  test('HEAD answers the headers alone; other methods 405 with Allow', async () => {
    const head = await raw(t.url, 'HEAD', '/_emulator/ui/main.js');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await raw(t.url, method, '/_emulator/ui/index.html');
      expect({ method, status: res.status, allow: res.headers.allow }).toEqual({ method, status: 405, allow: 'GET, HEAD' });
      expect(JSON.parse(res.body).errors[0].message).toMatch(/GET/);
    }
  });

  test('path traversal, plain and encoded, names no file outside the map: a JSON 404, with the headers', async () => {
    const attempts = [
      '/_emulator/ui/../../package.json',
      '/_emulator/ui/../../../../../../etc/passwd',
      '/_emulator/ui/vendor/../../../package.json',
      '/_emulator/ui/..%2f..%2fpackage.json',
      '/_emulator/ui/%2e%2e/%2e%2e/package.json',
      '/_emulator/ui/%2e%2e%2f%2e%2e%2fpackage.json',
      '/_emulator/ui/%252e%252e%252fpackage.json',
      '/_emulator/ui/..%5c..%5cpackage.json',
      '/_emulator/ui/..\\..\\package.json',
      '/_emulator/ui//etc/passwd',
      '/_emulator/ui/%2fetc%2fpasswd',
      '/_emulator/ui/./index.html',
      '/_emulator/ui/index.html%00.js',
      '/_emulator/ui/main.js/',
      '/_emulator/ui/MAIN.JS',
      '/_emulator/ui/../../src/index.ts',
      '/_emulator/ui/../index.d.ts',
      '/_emulator/ui/%c0%ae%c0%ae/package.json',
    ];
    for (const p of attempts) {
      const res = await raw(t.url, 'GET', p);
      expect({ p, status: res.status, type: res.headers['content-type'] }).toEqual({ p, status: 404, type: 'application/json; charset=utf-8' });
      expect(JSON.parse(res.body).errors[0].message).toMatch(/no dashboard file/);
      expect(res.body).not.toContain('devDependencies');
      expect(res.body).not.toContain('root:');
      expectSecurityHeaders(res.headers);
    }
  });

  test('an unknown asset: a JSON 404 in the control plane\'s error shape', async () => {
    const res = await raw(t.url, 'GET', '/_emulator/ui/nothing-here.js');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ errors: [{ message: 'no dashboard file /_emulator/ui/nothing-here.js' }] });
    // A path that only starts like the dashboard's is the control plane's (its own 404).
    expect((await raw(t.url, 'GET', '/_emulator/uix')).body).toContain('no control route');
  });

  test('the page is not a provider request: the journal does not record it', async () => {
    await raw(t.url, 'GET', '/_emulator/ui/');
    await raw(t.url, 'GET', '/_emulator/ui/nothing');
    await raw(t.url, 'GET', '/', { accept: 'text/html' });
    expect((await request(t.url).get('/_emulator/requests/count')).body).toEqual({ count: 0 });
  });

  test('a foreign Host (DNS rebinding) or Origin is refused as on the control plane', async () => {
    for (const host of ['attacker.example', 'attacker.example:4580', 'localhost.attacker.example']) {
      const res = await raw(t.url, 'GET', '/_emulator/ui/', { host });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
      expect(res.body).not.toContain('<div id="app">');
      expectSecurityHeaders(res.headers);
    }
    const foreign = await raw(t.url, 'GET', '/_emulator/ui/main.js', { origin: 'https://attacker.example' });
    expect(foreign.status).toBe(403);
    expect((await raw(t.url, 'GET', '/_emulator/ui/main.js', { origin: new URL(t.url).origin })).status).toBe(200);
    expect((await raw(t.url, 'GET', '/_emulator/ui/', { host: `localhost:${t.port}` })).status).toBe(200);
  });
});

describe('with --control-token', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ controlToken: TOKEN });
  });
  afterAll(() => t.close());

  test('the page needs no token (it holds no data); every call it makes does', async () => {
    expect((await raw(t.url, 'GET', '/_emulator/ui/')).status).toBe(200);
    expect((await raw(t.url, 'GET', '/_emulator/ui/main.js')).status).toBe(200);
    expect((await raw(t.url, 'GET', '/_emulator/clock')).status).toBe(401);
    expect((await raw(t.url, 'GET', '/_emulator/clock', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});
