/**
 * `cloud-api-emulator/jest` for CommonJS (built to dist/cjs/jest-cjs.js): the same helpers as
 * src/jest.ts. Only the global setup loads the engine, an ES module, through require() (Node
 * 20.19+, 22.12+): the runner's main process uses Node's own require, which can; a jest worker's
 * module system cannot, and never needs to.
 */
import os from 'node:os';
import { makeGlobalSetup, type StartedEmulator, type WorkerEmulatorOptions } from './jest-worker.js';

export { emulatorClient, emulatorUrl, globalTeardown, MAX_WORKER_EMULATORS, URL_ENV, URLS_ENV, workerId, type WorkerEmulatorOptions } from './jest-worker.js';
export { EmulatorClient, EmulatorClientError } from './client.js';

// The ESM engine beside this folder (dist/index.js), required lazily (startEmulator is typed in dist/index.d.ts).
const loadEngine = async () => (require('../index.js') as { startEmulator(options: unknown): Promise<StartedEmulator> }).startEmulator;

export function createGlobalSetup(options: WorkerEmulatorOptions = {}) {
  return makeGlobalSetup(loadEngine, () => os.availableParallelism(), options);
}

export const globalSetup = createGlobalSetup();
