/**
 * `cloud-api-emulator/jest`: one emulator per jest (or vitest) worker. In jest.config:
 *   globalSetup: './emulator-setup.js'  ->  export { globalSetup as default } from 'cloud-api-emulator/jest';
 *   globalTeardown: './emulator-teardown.js'  ->  export { globalTeardown as default } from 'cloud-api-emulator/jest';
 * and in a test file: `const emulator = emulatorClient(); beforeAll(() => emulator.reset());`.
 * The engine is loaded only by the global setup (in the runner's main process), never in a worker.
 */
import os from 'node:os';
import { makeGlobalSetup, type WorkerEmulatorOptions } from './jest-worker.js';

export { emulatorClient, emulatorUrl, globalTeardown, MAX_WORKER_EMULATORS, URL_ENV, URLS_ENV, workerId, type WorkerEmulatorOptions } from './jest-worker.js';
export { EmulatorClient, EmulatorClientError } from './client.js';

const loadEngine = async () => (await import('./index.js')).startEmulator;

/** A global setup whose emulators start with these options (startEmulator's, e.g. { fixtures, clock: 'manual' }). */
export function createGlobalSetup(options: WorkerEmulatorOptions = {}) {
  return makeGlobalSetup(loadEngine, () => os.availableParallelism(), options);
}

/** Starts one emulator per worker (in memory, log level warn, a free port each). */
export const globalSetup = createGlobalSetup();
