// ESM, the other way: this file starts its own emulator in-process (about 0.2 s), in memory and quiet.
import { createRequire } from 'node:module';
import { startEmulator, EmulatorClient } from 'cloud-api-emulator';

const rendezvous = createRequire(import.meta.url)('../rendezvous.cjs');
let emulator;
let client;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, clock: 'manual', clockStart: '2044-04-04T00:00:00.000Z' });
  client = new EmulatorClient(emulator.url);
});
afterAll(() => emulator.close());

test('its own clock, while the other worker moves its own', async () => {
  const others = await rendezvous('esm', 'in-process', { url: emulator.url });
  expect(others.map((o) => o.url)).not.toContain(emulator.url);
  expect(emulator.ctx.config.data).toBeUndefined(); // in memory: nothing written into the project
  await client.advance(60_000);
  expect((await client.clock()).now).toBe('2044-04-04T00:01:00.000Z');
});

test('an ECI restart settles in-process', async () => {
  const before = await client.state();
  const group = before.alibaba.eci.containerGroups.find((g) => g.Status === 'Running');
  const steps = [{ dueAt: Date.parse('2044-04-04T00:01:02.000Z'), set: { Status: 'Running' } }];
  await client.seed({ alibaba: { eci: { containerGroups: [{ ...group, Status: 'Restarting', _emulator: { steps } }] } } });
  expect(emulator.pending()).toHaveLength(1);
  expect(await emulator.settle()).toEqual({ settled: 1, never: 0 });
  const after = await client.state();
  expect(after.alibaba.eci.containerGroups.find((g) => g.ContainerGroupId === group.ContainerGroupId).Status).toBe('Running');
});
