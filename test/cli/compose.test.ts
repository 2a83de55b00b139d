/** No Docker engine runs in CI here, so this checks what can be checked: the compose file and Dockerfile agree with the code. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_PORT, OPTIONS, parseCli } from '../../src/config.js';
import { ROOT } from '../support/child.js';

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const service = compose.services['cloud-api-emulator'];

// Issue 13: compose no longer hardcodes flags in `command:` (they silently overrode its `environment:`);
// the image's CMD runs the CLI and everything is configured through the environment.
test('the compose file runs the image\'s CLI, configured only through its environment', () => {
  expect(service.command).toBeUndefined();
  expect(dockerfile).toMatch(/^CMD \["node", "dist\/cli\.js"\]$/m);
  expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
  const env = { ...dockerEnv(), ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v).replace(/^\$\{[A-Z_]+:-(.*)\}$/, '$1')])) };
  const parsed = parseCli([], env);
  expect(parsed).toMatchObject({ kind: 'run', options: { host: '0.0.0.0', port: DEFAULT_PORT, data: '/data/state.json' } });
});

test('the image runs as a non-root user, checks its health, and builds on a supported Node LTS', () => {
  expect(dockerfile).toMatch(/^USER (node|\d+)/m);
  expect(dockerfile).toMatch(/^HEALTHCHECK [^]*?\/_emulator\/health/m);
  const images = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
  expect(images.length).toBeGreaterThan(0);
  for (const major of images) expect([22, 24]).toContain(major);
});

function dockerEnv(): Record<string, string> {
  const line = dockerfile.split('\n').find((l) => l.startsWith('ENV '))!;
  return Object.fromEntries(line.slice(4).trim().split(/\s+/).map((pair) => pair.split('=') as [string, string]));
}

test('the published port, the healthcheck and the volume point at what the emulator serves', () => {
  expect(service.ports).toEqual([`127.0.0.1:${DEFAULT_PORT}:${DEFAULT_PORT}`]);
  expect(service.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${DEFAULT_PORT}/_emulator/health`);
  expect(service.volumes).toEqual(['emulator-data:/data']);
  expect(Object.keys(compose.volumes)).toEqual(['emulator-data']);
  expect(dockerfile).toContain(`EXPOSE ${DEFAULT_PORT}`);
});

test('env vars set in the compose file and the Dockerfile are options the emulator knows', () => {
  const known = new Set(OPTIONS.map((o) => o.env));
  for (const name of Object.keys(service.environment ?? {})) expect(known).toContain(name);
  const envLine = dockerfile.split('\n').find((l) => l.startsWith('ENV '))!;
  for (const pair of envLine.slice(4).trim().split(/\s+/)) {
    const name = pair.split('=')[0]!;
    if (name !== 'NODE_ENV') expect(known).toContain(name);
  }
});
