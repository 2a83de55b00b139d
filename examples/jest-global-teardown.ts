/** The teardown that goes with jest-global-setup.ts: stops the shared emulator. */
import type { RunningEmulator } from 'cloud-api-emulator';

declare global {
  // eslint-disable-next-line no-var
  var __CLOUD_EMULATOR__: RunningEmulator | undefined;
}

export default async function globalTeardown(): Promise<void> {
  await globalThis.__CLOUD_EMULATOR__?.close();
}
