/**
 * The dashboard's static files (/_emulator/ui) and the browser's way to them (GET / → 302).
 *
 * The files are the ones `npm run build` puts in dist/ui: read once, when the app is built, into a
 * fixed map from URL path to bytes. A request is answered by an exact lookup in that map, so no part
 * of a request's path ever reaches the file system (no traversal, encoded or not, can name a file
 * outside it). The page is static, so it needs no control token (the data it shows does: every call
 * it makes goes to the control plane, which asks for the token), but it answers only the emulator's
 * own Host names, as the control plane does, so a DNS-rebinding page cannot load it either.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { PACKAGE_ROOT } from '../config.js';
import { ControlAccess } from '../control/access.js';
import type { EngineContext } from '../core/context.js';
import { tagRequest } from './body.js';

export const DASHBOARD_PATH = '/_emulator/ui';

/** The built dashboard: dist/ui (the same folder whether the emulator runs from src or from dist). */
export const DASHBOARD_ROOT = path.join(PACKAGE_ROOT, 'dist', 'ui');

/** Bounds on what the map holds: the dashboard is a few files of a few KB; anything else is a build gone wrong. */
const MAX_FILES = 64;
const MAX_FILE_BYTES = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
}

/** The one inline script the page has (its import map: browsers load import maps only inline). */
const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/;

/**
 * `default-src 'self'` with no inline script or style but the import map, allowed by its hash; no
 * framing (clickjacking), no plugins, no <base> or form posts elsewhere.
 */
function securityPolicy(index: Buffer | undefined): string {
  const map = index ? IMPORT_MAP.exec(index.toString('utf8')) : null;
  const hash = map ? ` 'sha256-${createHash('sha256').update(map[1]!, 'utf8').digest('base64')}'` : '';
  return `default-src 'self'; script-src 'self'${hash}; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/** Reads the built files under root into a map keyed by URL path (index.html also at the folder's own path). */
export function loadDashboard(root: string = DASHBOARD_ROOT): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (dir: string, prefix: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // not built: the handler says so
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file, `${prefix}/${entry.name}`);
        continue;
      }
      const type = TYPES[path.extname(entry.name)];
      if (!entry.isFile() || !type || assets.size >= MAX_FILES) continue;
      const body = fs.readFileSync(file);
      if (body.length <= MAX_FILE_BYTES) assets.set(`${prefix}/${entry.name}`, { body, type });
    }
  };
  walk(root, DASHBOARD_PATH);
  const index = assets.get(`${DASHBOARD_PATH}/index.html`);
  if (index) {
    assets.set(DASHBOARD_PATH, index);
    assets.set(`${DASHBOARD_PATH}/`, index);
  }
  return assets;
}

/** The built files, read once per process (emulators started in one process serve the same build). */
let built: Map<string, Asset> | undefined;

/**
 * Serves /_emulator/ui and everything under it from the map; any other path goes on. The files are
 * read at the first request for one, not at start: most runs (CI) never open the dashboard.
 */
export function dashboardHandler(ctx: Pick<EngineContext, 'config'>, given?: Map<string, Asset>): RequestHandler {
  const access = new ControlAccess(ctx.config);
  let files: { assets: Map<string, Asset>; headers: Record<string, string> } | undefined;
  const load = () => {
    const assets = given ?? (built ??= loadDashboard());
    const headers: Record<string, string> = {
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': securityPolicy(assets.get(`${DASHBOARD_PATH}/`)?.body),
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    };
    return { assets, headers };
  };
  const fail = (res: Response, status: number, message: string) => {
    res.status(status).type('application/json').send(JSON.stringify({ errors: [{ message }] }));
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const p = req.path;
    if (p !== DASHBOARD_PATH && !p.startsWith(`${DASHBOARD_PATH}/`)) return next();
    tagRequest(res, { provider: 'emulator' }); // not a provider request: not journaled
    const { assets, headers } = (files ??= load());
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    const refusal = access.checkPage(req);
    if (refusal) return fail(res, refusal.status, refusal.message);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return fail(res, 405, `the dashboard's files are read with GET (not ${req.method})`);
    }
    if (assets.size === 0) return fail(res, 404, 'the dashboard is not built (npm run build builds it into dist/ui)');
    // The path as sent, looked up as it is: "..", "%2e%2e", "//" and the like name nothing in the map.
    const asset = assets.get(p);
    if (!asset) return fail(res, 404, `no dashboard file ${p}`);
    res.status(200).setHeader('Content-Type', asset.type);
    res.setHeader('Content-Length', String(asset.body.length));
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };
}

/**
 * A browser opening the emulator's URL: a plain GET / asking for HTML (no RPC call: Alibaba's
 * handler, which runs first, has not claimed it) goes to the dashboard instead of a JSON 404.
 */
export function browserRedirect(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
    if (!String(req.headers.accept ?? '').toLowerCase().includes('text/html')) return next();
    const q = req.originalUrl.indexOf('?');
    if (q >= 0 && new URLSearchParams(req.originalUrl.slice(q + 1)).has('Action')) return next();
    tagRequest(res, { provider: 'emulator' });
    res.status(302).setHeader('Location', `${DASHBOARD_PATH}/`);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/plain').send(`Found: ${DASHBOARD_PATH}/\n`);
  };
}
