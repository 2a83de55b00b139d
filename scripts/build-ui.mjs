// The dashboard's files besides its compiled modules (tsc -p ui/tsconfig.json writes those to
// dist/ui): the page, its stylesheet and icon, and the three Preact modules the page's import map
// names, copied from node_modules so that the emulator serves every byte itself (no CDN, offline).
import fs from 'node:fs';

const out = new URL('../dist/ui/', import.meta.url);
// `--clean` (before tsc writes the modules): a file removed from ui/ must not live on in dist/ui,
// where the emulator would go on serving it.
if (process.argv.includes('--clean')) {
  fs.rmSync(out, { recursive: true, force: true });
  process.exit(0);
}
const vendor = new URL('vendor/', out);
fs.mkdirSync(vendor, { recursive: true });
for (const name of fs.readdirSync(new URL('../ui/static/', import.meta.url))) {
  fs.copyFileSync(new URL(`../ui/static/${name}`, import.meta.url), new URL(name, out));
}
const modules = {
  'preact.mjs': 'preact/dist/preact.mjs',
  'hooks.mjs': 'preact/hooks/dist/hooks.mjs',
  'jsx-runtime.mjs': 'preact/jsx-runtime/dist/jsxRuntime.mjs',
};
for (const [name, from] of Object.entries(modules)) {
  // Their source maps are not shipped: drop the comment that would have the browser ask for them.
  const text = fs.readFileSync(new URL(`../node_modules/${from}`, import.meta.url), 'utf8');
  fs.writeFileSync(new URL(name, vendor), text.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}
