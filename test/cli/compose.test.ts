/** No Docker engine runs in CI here, so this checks what can be checked: the compose file and Dockerfile agree with the code. */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_PORT, OPTIONS, parseCli } from '../../src/config.js';
import { ROOT } from '../support/child.js';

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const service = compose.services['cloud-api-emulator'];

test('the compose file runs the CLI the Dockerfile builds, with options the CLI accepts', () => {
  const [node, script, ...args] = service.command;
  expect(node).toBe('node');
  expect(script).toBe('dist/cli.js');
  expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
  const parsed = parseCli(args, {});
  expect(parsed).toEqual({ kind: 'run', options: { host: '0.0.0.0', port: DEFAULT_PORT, data: '/data/state.json' } });
});

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
