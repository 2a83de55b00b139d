// The control plane's types are a declaration file (src/control-types.d.ts: types only, shared by
// the client and the dashboard), and tsc does not copy declaration files: put it next to the
// emitted client.d.ts of the ESM and CommonJS builds, which import it.
import fs from 'node:fs';

const from = new URL('../src/control-types.d.ts', import.meta.url);
for (const dir of ['../dist/', '../dist/cjs/']) {
  const to = new URL(dir, import.meta.url);
  fs.mkdirSync(to, { recursive: true });
  fs.copyFileSync(from, new URL('control-types.d.ts', to));
}
