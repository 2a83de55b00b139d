// A built emulator in a process of its own, for checks that must see the realm the server code runs
// in (jest runs test files in vm contexts). It prints its URL, then answers IPC questions:
// "prototypes" → the enumerable keys on Object.prototype and Array.prototype of this process.
import { pino } from 'pino';
import { startEmulator } from '../../dist/index.js';

const keys = (proto) => {
  const out = [];
  for (const k in proto) out.push(k);
  return out;
};

const emulator = await startEmulator({ port: 0, inMemory: true, fixtures: 'none', clock: 'manual', clockStart: '2026-01-15T08:00:00.000Z', logger: pino({ level: 'silent' }) });
process.on('message', (msg) => {
  if (msg === 'prototypes') process.send({ object: keys(Object.prototype), array: keys(Array.prototype), polluted: {}.polluted ?? null, x: {}.x ?? null });
  if (msg === 'stop') emulator.close().then(() => process.exit(0));
});
process.stdout.write(`listening on ${emulator.url}\n`);
