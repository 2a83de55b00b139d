// ESM, as a user would write it: the per-worker emulator from the global setup.
import { createRequire } from 'node:module';
import { emulatorClient, emulatorUrl, EmulatorClientError } from 'cloud-api-emulator/jest';

const rendezvous = createRequire(import.meta.url)('../rendezvous.cjs');
const emulator = emulatorClient();

beforeAll(() => emulator.reset());

test('this worker has its own emulator and its own clock', async () => {
  await emulator.setClock({ mode: 'manual', set: '2033-03-03T00:00:00.000Z' });
  const others = await rendezvous('esm', 'a', { url: emulatorUrl() });
  expect(others.map((o) => o.url)).not.toContain(emulatorUrl());
  expect((await emulator.clock()).now).toBe('2033-03-03T00:00:00.000Z');
});

test('control-plane errors are typed', async () => {
  const error = await emulator.setTransitions({ 'no.such.transition': '5s' }).catch((e) => e);
  expect(error).toBeInstanceOf(EmulatorClientError);
  expect(error.status).toBe(400);
  expect((await emulator.setTransitions({ 'huawei.koophone.reboot': '5s' }))['huawei.koophone.reboot']).toBe(5000);
});
