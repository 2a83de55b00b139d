// A CommonJS consumer, type-checked with skipLibCheck: false.
import { emulatorClient, EmulatorClient, globalSetup, globalTeardown } from 'cloud-api-emulator/jest';

export async function run(): Promise<number> {
  const client: EmulatorClient = emulatorClient({ token: 'x'.repeat(16) });
  await globalSetup({ maxWorkers: 1 });
  const faults = await client.addFaults({ provider: 'huawei', httpStatus: 503 });
  await globalTeardown();
  return faults.length;
}
