// An ES module consumer, type-checked with skipLibCheck: false.
import { startEmulator, EmulatorClient, type RunningEmulator, type PendingTransition, type ResetOptions } from 'cloud-api-emulator';
import { emulatorClient, createGlobalSetup } from 'cloud-api-emulator/jest';

export async function run(): Promise<string> {
  const emulator: RunningEmulator = await startEmulator({ port: 0, clock: 'manual' });
  const client = new EmulatorClient(emulator.url, { token: undefined });
  const keep: ResetOptions = { keep: ['settings'] };
  await emulator.reset(keep);
  const pending: PendingTransition[] = await client.pending();
  const settled: number = (await client.settle()).settled;
  await emulator.close();
  createGlobalSetup({ clock: 'manual' });
  return `${pending.length} ${settled} ${typeof emulatorClient}`;
}
