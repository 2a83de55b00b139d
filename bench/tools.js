// The tools a user would otherwise pick, installed on demand (never devDependencies) into a folder
// outside the project: `npm install --prefix <dir>`, reused by later runs. Each serves a mock of the
// KooPhone reboot route from a file kept in bench/mocks/, with the same body as the Express floor.
//
// The install goes into a folder of its own (`<dir>.<pid>.tmp`), renamed into place once complete:
// an install cut short, or two benchmarks installing at once, never leaves a half-filled folder
// that a later run would take as installed (npm then failed with ENOTEMPTY, or the run crashed
// reading a package.json that was not there yet).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.js';

const PACKAGES = { prism: '@stoplight/prism-cli@5', mockoon: '@mockoon/cli@9' };
const BINS = { prism: 'prism', mockoon: 'mockoon-cli' };

const bin = (dir, name) => path.join(dir, 'node_modules', '.bin', name);
const installed = (dir) => Object.values(BINS).every((b) => fs.existsSync(bin(dir, b))) && fs.existsSync(path.join(dir, 'complete'));

function version(dir, pkg) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
}

/** Installs the tools when missing; returns how to start each (args as a function of the port), or [] when they cannot be had. */
export function mockTools() {
  const dir = process.env.BENCH_TOOLS_DIR ?? path.join(os.tmpdir(), 'cloud-api-emulator-bench-tools');
  if (!installed(dir)) {
    const staging = `${dir}.${process.pid}.tmp`;
    process.stderr.write(`installing ${Object.values(PACKAGES).join(' and ')} into ${dir} (once)...\n`);
    try {
      fs.rmSync(staging, { recursive: true, force: true });
      fs.mkdirSync(staging, { recursive: true });
      execFileSync('npm', ['install', '--prefix', staging, '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(PACKAGES)], { stdio: ['ignore', 'ignore', 'inherit'] });
      fs.writeFileSync(path.join(staging, 'complete'), `${Object.values(PACKAGES).join(' ')}\n`);
      if (!installed(staging)) throw new Error(`npm finished but ${Object.values(BINS).join(' or ')} is missing`);
      // Another run may have finished first: its copy is as good, and ours is dropped.
      if (!installed(dir)) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.renameSync(staging, dir);
      }
    } catch (err) {
      process.stderr.write(`cannot install the mock tools (${err.message}); their rows are left out\n`);
      return [];
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  const mocks = path.join(ROOT, 'bench', 'mocks');
  return [
    {
      name: `Prism ${version(dir, '@stoplight/prism-cli')} (mock)`,
      command: bin(dir, BINS.prism),
      args: (port) => ['mock', '-h', '127.0.0.1', '-p', String(port), path.join(mocks, 'koophone-reboot.openapi.json')],
    },
    {
      name: `Mockoon CLI ${version(dir, '@mockoon/cli')}`,
      command: bin(dir, BINS.mockoon),
      args: (port) => ['start', '--data', path.join(mocks, 'koophone-reboot.mockoon.json'), '--port', String(port)],
    },
  ];
}
