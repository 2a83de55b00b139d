// Makes each `bin` entry of package.json executable. npm sets the mode of a bin target when it links
// it, and `npm ci` links before the `prepare` build writes dist/: tsc then creates dist/cli.js 0644,
// and `npx cloud-api-emulator` in the project fails with "Permission denied". The folder is an
// argument so a test can run this on a package of its own.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? new URL('..', import.meta.url).pathname);
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const bin of bins) {
  const file = path.join(root, bin);
  fs.chmodSync(file, fs.statSync(file).mode | 0o111);
}
