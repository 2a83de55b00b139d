// The tools a user would otherwise pick, installed on demand (never devDependencies) into a folder
// outside the project: `npm install --prefix <dir>`, reused by later runs. Each serves a mock of the
// KooPhone reboot route from a file kept in bench/mocks/, with the same body as the Express floor.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.js';

const PACKAGES = { prism: '@stoplight/prism-cli@5', mockoon: '@mockoon/cli@9' };

/** Installs the tools when missing; returns how to start each (args as a function of the port), or [] when they cannot be had. */
export function mockTools() {
  const dir = process.env.BENCH_TOOLS_DIR ?? path.join(os.tmpdir(), 'cloud-api-emulator-bench-tools');
  const bin = (name) => path.join(dir, 'node_modules', '.bin', name);
  if (!fs.existsSync(bin('prism')) || !fs.existsSync(bin('mockoon-cli'))) {
    process.stderr.write(`installing ${Object.values(PACKAGES).join(' and ')} into ${dir} (once)...\n`);
    fs.mkdirSync(dir, { recursive: true });
    try {
      execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(PACKAGES)], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (err) {
      process.stderr.write(`cannot install the mock tools (${err.message}); their rows are left out\n`);
      return [];
    }
  }
  const version = (pkg) => JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  const mocks = path.join(ROOT, 'bench', 'mocks');
  return [
    {
      name: `Prism ${version('@stoplight/prism-cli')} (mock)`,
      command: bin('prism'),
      args: (port) => ['mock', '-h', '127.0.0.1', '-p', String(port), path.join(mocks, 'koophone-reboot.openapi.json')],
    },
    {
      name: `Mockoon CLI ${version('@mockoon/cli')}`,
      command: bin('mockoon-cli'),
      args: (port) => ['start', '--data', path.join(mocks, 'koophone-reboot.mockoon.json'), '--port', String(port)],
    },
  ];
}
