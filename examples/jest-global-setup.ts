/**
 * How a user's jest suite runs the emulator: point `globalSetup` / `globalTeardown` in jest.config
 * at these two functions, and the tests read the URL from the environment.
 *
 *   // jest.config.js
 *   export default { globalSetup: './jest-global-setup.ts', globalTeardown: './jest-global-teardown.ts' };
 */
import { startEmulator, type RunningEmulator } from 'cloud-api-emulator';

declare global {
  // eslint-disable-next-line no-var
  var __CLOUD_EMULATOR__: RunningEmulator | undefined;
}

export default async function globalSetup(): Promise<void> {
  const emulator = await startEmulator({ port: 0, inMemory: true, clock: 'manual', logLevel: 'warn' });
  globalThis.__CLOUD_EMULATOR__ = emulator;
  process.env.CLOUD_API_EMULATOR_URL = emulator.url;
}

export async function globalTeardown(): Promise<void> {
  await globalThis.__CLOUD_EMULATOR__?.close();
}
