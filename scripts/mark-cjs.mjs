// dist/cjs holds the CommonJS build (the client and the jest helpers): its own package.json tells
// Node (and jest) that its .js files are CommonJS, inside a package whose type is module.
import fs from 'node:fs';
fs.writeFileSync(new URL('../dist/cjs/package.json', import.meta.url), '{ "type": "commonjs" }\n');
