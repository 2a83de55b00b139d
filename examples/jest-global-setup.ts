/**
 * One emulator shared by a whole jest run (see the README's "Isolation" for when sharing is right;
 * for one emulator per worker use 'cloud-api-emulator/jest' instead, as in jest.config.per-worker.cjs).
 *
 *   // jest.config.js
 *   module.exports = { globalSetup: './jest-global-setup.ts', globalTeardown: './jest-global-teardown.ts' };
 *
 * Works from a CommonJS jest config (jest's default; ts-jest turns the import into require(), which
 * Node 20.19+ and 22.12+ can do for this ES module) and from an ESM one. Tests read the URL from the
 * environment: `new EmulatorClient(process.env.CLOUD_API_EMULATOR_URL!)` from 'cloud-api-emulator/client'.
 */
import { startEmulator, type RunningEmulator } from 'cloud-api-emulator';

declare global {
  // eslint-disable-next-line no-var
  var __CLOUD_EMULATOR__: RunningEmulator | undefined;
}

export default async function globalSetup(): Promise<void> {
  // In memory and at log level warn by default; a manual clock moves only when a test moves it.
  const emulator = await startEmulator({ port: 0, clock: 'manual' });
  globalThis.__CLOUD_EMULATOR__ = emulator;
  process.env.CLOUD_API_EMULATOR_URL = emulator.url;
}
