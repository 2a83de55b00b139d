/** Issue 13: logs a person can read, and the emulator stops with whatever launched it (npm start, npx). */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { prettyLine } from '../../src/logging.js';
import { ROOT, startCli } from '../support/child.js';

test('--log-format pretty: one readable line per request; health only at debug', async () => {
  const s = await startCli(['--in-memory', '--port', '0', '--log-format', 'pretty']);
  await request(s.url).get('/_emulator/health').expect(200);
  await request(s.url).post('/v1/instances/reboot').set('x-auth-token', 'sandbox-koophone-token').set('x-request-id', 'p').send({ instance_ids: ['c9dx3ftr'] }).expect(400);
  await request(s.url).get('/_emulator/clock').expect(200);
  s.child.kill('SIGTERM');
  const out = (await s.exited).stdout;
  const lines = out.split('\n').filter((l) => /^(GET|POST) /.test(l));
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^POST \/v1\/instances\/reboot 400 \d+(\.\d)?ms huawei \S+ KOOPHONE\.API\.5005$/);
  expect(lines[1]).toMatch(/^GET \/_emulator\/clock 200 \d+(\.\d)?ms control$/);
  expect(out).not.toContain('{"level"');
});

test('LOG_FORMAT=json, and an unknown format is refused', async () => {
  const s = await startCli(['--in-memory', '--port', '0'], { LOG_FORMAT: 'json' });
  await request(s.url).get('/_emulator/clock').expect(200);
  s.child.kill('SIGTERM');
  expect((await s.exited).stdout).toContain('"msg":"request"');
  expect(prettyLine({ level: 40, msg: 'careful' })).toBe('WARN careful');
  expect(prettyLine({ level: 50, msg: 'failed', err: { message: 'disk full' } })).toBe('ERROR failed: disk full');
});

/** Starts a command in its own process group (as a terminal does) and resolves with its URL. */
function launch(cmd: string, args: string[]): Promise<{ pid: number; url: string; exited: Promise<{ code: number | null; signal: string | null }> }> {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('npm_') || k.startsWith('EMULATOR_') || k === 'PORT') delete env[k];
  const child = spawn(cmd, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ pid: child.pid!, url: m[1]!, exited });
    });
    child.stderr.on('data', (d) => (out += d));
    exited.then((e) => reject(new Error(`${cmd} exited before listening (${JSON.stringify(e)}): ${out}`)));
  });
}

/** Resolves once nothing answers on the URL any more (the emulator's process is gone). */
async function gone(url: string): Promise<void> {
  for (;;) {
    try {
      await fetch(`${url}/_emulator/health`);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('npm start, then Ctrl-C (SIGINT to the process group): graceful, exit code 0 (before: 130)', async () => {
  const s = await launch('npm', ['start', '--ignore-scripts', '--', '--in-memory', '--port', '0', '--log-level', 'silent']);
  process.kill(-s.pid, 'SIGINT');
  expect(await s.exited).toEqual({ code: 0, signal: null });
  await gone(s.url);
}, 60_000);

test('npx cloud-api-emulator, then SIGTERM to npx: the emulator stops too (before: left running)', async () => {
  const s = await launch('npx', ['--no-install', 'cloud-api-emulator', '--in-memory', '--port', '0', '--log-level', 'silent']);
  try {
    process.kill(s.pid, 'SIGTERM');
    await s.exited;
    await gone(s.url);
  } finally {
    try {
      process.kill(-s.pid, 'SIGKILL'); // whatever is left of this test's own process group
    } catch {
      /* already gone */
    }
  }
}, 60_000);

describe('the bin entry is executable after a clean install (CI: `npm ci` links bins before `prepare` builds dist/)', () => {
  test('the build marks a bin file that tsc created 0644 executable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bin-mode-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', bin: { x: './out/x.js' } }));
      fs.mkdirSync(path.join(dir, 'out'));
      fs.writeFileSync(path.join(dir, 'out', 'x.js'), '#!/usr/bin/env node\n', { mode: 0o644 });
      expect(fs.statSync(path.join(dir, 'out', 'x.js')).mode & 0o111).toBe(0);
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'mark-bin.mjs'), dir]);
      expect(fs.statSync(path.join(dir, 'out', 'x.js')).mode & 0o777).toBe(0o755);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the project's own dist/cli.js, as `npm test` built it, is executable", () => {
    expect(fs.statSync(path.join(ROOT, 'dist', 'cli.js')).mode & 0o111).toBe(0o111);
  });
});
