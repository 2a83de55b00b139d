/** The README is the user's contract: its commands and options must match the code. */
import fs from 'node:fs';
import path from 'node:path';
import { OPTIONS } from '../../src/config.js';
import { BUILTIN_PROVIDERS } from '../../src/providers/index.js';
import { ROOT } from '../support/child.js';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');

test('the README options table lists every option and its env var', () => {
  const missing = OPTIONS.flatMap((o) => [`\`--${o.flag}`, `\`${o.env}\``]).filter((s) => !readme.includes(s));
  expect(missing).toEqual([]);
});

test('the README lists every transition name', () => {
  const names = BUILTIN_PROVIDERS.flatMap((p) => Object.keys(p.transitions));
  expect(names.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
});

test('the two commands exist: npm start builds and runs the CLI, and CI runs the README test command', () => {
  expect(readme).toContain('npm ci && npm start');
  expect(readme).toContain('npm test');
  expect(pkg.scripts.prestart).toMatch(/build/);
  // Issue 13: `exec`, so the shell npm runs the script in is replaced by node: Ctrl-C reaches the
  // emulator alone and npm start exits 0 (before: 'node dist/cli.js', and the shell died of SIGINT: 130).
  expect(pkg.scripts.start).toBe('exec node dist/cli.js');
  expect(ci).toMatch(/^npm ci\b/m);
  expect(ci).toMatch(/^npm test$/m);
});

test('every provider setting is documented, and the README names no setting that does not exist', () => {
  const keys = BUILTIN_PROVIDERS.flatMap((p) => (p.settings ?? []).map((s) => s.key));
  const docs = readme + BUILTIN_PROVIDERS.map((p) => fs.readFileSync(path.join(ROOT, 'src', 'providers', p.name, 'README.md'), 'utf8')).join('\n');
  expect(keys.filter((k) => !docs.includes(k))).toEqual([]);
  const named = [...readme.matchAll(/`((?:alibaba|elastic|huawei)\.[A-Za-z.]+)`/g)].map((m) => m[1]!);
  const transitions = BUILTIN_PROVIDERS.flatMap((p) => Object.keys(p.transitions));
  expect(named.filter((n) => !keys.includes(n) && !transitions.includes(n))).toEqual([]);
});

test('the sandbox the README describes is the one fixtures/default.json holds', () => {
  const fixtures = fs.readFileSync(path.join(ROOT, 'fixtures', 'default.json'), 'utf8');
  const table = readme
    .slice(readme.indexOf('## The sandbox'), readme.indexOf('## Options'))
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| provider'))
    .join('\n');
  const names = [...table.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).flatMap((n) => n.split(/ \/ |: | /));
  const ids = names.filter((n) => /^[A-Za-z0-9-]{8,}$/.test(n) && !n.startsWith('x-') && !['Authorization', 'X-Auth-Token', 'protocol'].includes(n));
  expect(ids.length).toBeGreaterThan(15);
  expect(ids.filter((id) => !fixtures.includes(id))).toEqual([]);
});
