/** Issue 13: the examples name only files that exist, and import only what the package exports. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/child.js';

const dir = path.join(ROOT, 'examples');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test.each(fs.readdirSync(dir))('examples/%s names files that exist and imports what the package exports', (file) => {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  for (const m of text.matchAll(/'\.\/([\w.-]+\.(?:ts|js|cjs|mjs))'/g)) expect(fs.readdirSync(dir)).toContain(m[1]);
  for (const m of text.matchAll(/(?:from|require\()\s*'(cloud-api-emulator[^']*)'/g)) {
    const subpath = m[1]!.replace(/^cloud-api-emulator/, '.') || '.';
    expect(Object.keys(pkg.exports)).toContain(subpath);
  }
});

test('CI runs every Node line that package.json supports', () => {
  const ci = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'ci.yml'), 'utf8');
  const versions = [...ci.matchAll(/'(\d+(?:\.\d+)?)'/g)].map((m) => m[1]!);
  for (const range of pkg.engines.node.split('||').map((r: string) => r.trim())) {
    const major = /\d+/.exec(range)![0];
    expect(versions.some((v) => v.split('.')[0] === major)).toBe(true);
  }
  expect(versions).toContain('20.19');
  expect(versions).toContain('22.12');
});
