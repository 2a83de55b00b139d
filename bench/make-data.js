// node bench/make-data.js N FILE — writes a data file with N resources per provider, normalised by
// the emulator itself. A separate process, so the load generator's heap stays small.
import fs from 'node:fs';
import { pino } from 'pino';
import { createEngine } from '../dist/index.js';
import { seedDocument } from './scenarios.js';

const [n, data] = [Number(process.argv[2]), process.argv[3]];
for (const f of [data, `${data}.log`]) fs.rmSync(f, { force: true });
const ctx = createEngine({ data, fixtures: seedDocument(n), logger: pino({ level: 'silent' }) });
ctx.lifecycle.stop();
ctx.store.abandon();
