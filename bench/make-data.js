// node bench/make-data.js N FILE [PROVIDER,...] — writes a data file with N resources of each provider named
// (all by default), normalised by
// the emulator itself. A separate process, so the load generator's heap stays small.
import fs from 'node:fs';
import { pino } from 'pino';
import { createEngine } from '../dist/index.js';
import { seedDocument } from './scenarios.js';

const [n, data, kinds] = [Number(process.argv[2]), process.argv[3], process.argv[4]?.split(',')];
for (const f of [data, `${data}.log`]) fs.rmSync(f, { force: true });
const ctx = createEngine({ data, fixtures: seedDocument(n, kinds), logger: pino({ level: 'silent' }) });
ctx.lifecycle.stop();
ctx.store.abandon();
