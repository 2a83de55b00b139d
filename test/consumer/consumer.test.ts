/**
 * The package as a new user gets it: packed (npm pack), installed into a copy of test/consumer/project
 * (npm install <tarball>, from the npm cache when it can), then that project's own suites run: a
 * CommonJS jest suite, an ESM jest suite (each with one emulator per worker, two workers at once
 * moving their clocks independently) and a TypeScript build with skipLibCheck: false. jest and
 * typescript come from this repository's node_modules (a symlink), so nothing else is downloaded.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/child.js';

const run = promisify(execFile);
const PROJECT = path.join(ROOT, 'test', 'consumer', 'project');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let dir: string;
let app: string;
let tarball: string;

/** The environment of a user's shell: none of this run's jest or emulator variables. */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('JEST') || k.startsWith('CLOUD_API_EMULATOR') || k.startsWith('EMULATOR_') || k === 'NODE_OPTIONS' || k.startsWith('npm_')) delete env[k];
  return { ...env, CI: 'true', NO_COLOR: '1' };
}

async function jest(args: string[], nodeFlags: string[] = []) {
  try {
    return await run(process.execPath, [...nodeFlags, JEST, '--ci', '--cacheDirectory', path.join(dir, 'jest-cache'), ...args], { cwd: app, env: userEnv(), maxBuffer: 16 * 1024 * 1024 });
  } catch (err: any) {
    throw new Error(`jest ${args.join(' ')} failed:\n${err.stdout}\n${err.stderr}`);
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  app = path.join(dir, 'app');
  fs.cpSync(PROJECT, app, { recursive: true });
  // dist/ is built by `npm test` before jest runs; packing must not rebuild it (prepare is for git installs).
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, env: userEnv() });
  const [info] = JSON.parse(packed.stdout);
  tarball = path.join(dir, info.filename);
  await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], { cwd: app, env: userEnv() });
  // The project's dev tools, from this repository (not downloaded).
  for (const tool of ['jest', 'typescript', path.join('@types', 'node')]) {
    const link = path.join(app, 'node_modules', tool);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    if (!fs.existsSync(link)) fs.symlinkSync(path.join(ROOT, 'node_modules', tool), link, 'dir');
  }
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the tarball ships the build, the schemas and self-contained source maps, and no Express types in reach of its entry points', async () => {
  const list = (await run('tar', ['-tzf', tarball])).stdout.split('\n');
  for (const file of ['package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli.js', 'package/dist/jest.js', 'package/dist/cjs/jest-cjs.js', 'package/dist/cjs/package.json', 'package/schemas/control/clock.request.json', 'package/fixtures/default.json']) {
    expect(list).toContain(file);
  }
  expect(list.filter((f) => f.startsWith('package/src/') || f.startsWith('package/test/'))).toEqual([]);
  // The dashboard (issue 16): its page and the Preact modules it loads, served by the installed emulator.
  expect(list).toEqual(expect.arrayContaining(['package/dist/ui/index.html', 'package/dist/ui/main.js', 'package/dist/ui/vendor/preact.mjs']));
  const installed = path.join(app, 'node_modules', 'cloud-api-emulator');
  const map = JSON.parse(fs.readFileSync(path.join(installed, 'dist', 'index.js.map'), 'utf8'));
  expect(map.sourcesContent).toHaveLength(map.sources.length);
  // Every .d.ts the entry points reach, and what they import from other packages.
  const reached = new Set<string>();
  const external = new Set<string>();
  const walk = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      if (m[1]!.startsWith('.')) walk(path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.d.ts')));
      else external.add(m[1]!.replace(/^node:.*/, 'node:'));
    }
  };
  for (const entry of ['dist/index.d.ts', 'dist/jest.d.ts', 'dist/client.d.ts', 'dist/cjs/jest-cjs.d.ts', 'dist/cjs/client.d.ts']) walk(path.join(installed, entry));
  expect([...external].sort()).toEqual(['ajv', 'node:', 'pino']);
});

test('a CommonJS jest suite: one emulator per worker, two workers at once, settle instead of polling', async () => {
  const { stderr } = await jest(['--config', 'jest.config.cjs']);
  expect(stderr).toMatch(/Tests:\s+6 passed, 6 total/);
}, 120_000);

test('an ESM jest suite: the same helpers imported, and an emulator started in-process', async () => {
  const { stderr } = await jest(['--config', 'jest.esm.config.mjs'], ['--experimental-vm-modules', '--no-warnings']);
  expect(stderr).toMatch(/Tests:\s+4 passed, 4 total/);
}, 120_000);

test('a TypeScript build with skipLibCheck: false, as ESM and as CommonJS', async () => {
  try {
    await run(process.execPath, [TSC, '-p', path.join(app, 'types', 'tsconfig.json')], { cwd: app, env: userEnv() });
  } catch (err: any) {
    throw new Error(`tsc failed:\n${err.stdout}\n${err.stderr}`);
  }
}, 120_000);

test('the installed command runs: npx cloud-api-emulator --version', async () => {
  const { stdout } = await run('npx', ['--no-install', 'cloud-api-emulator', '--version'], { cwd: app, env: userEnv() });
  expect(stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
}, 60_000);
