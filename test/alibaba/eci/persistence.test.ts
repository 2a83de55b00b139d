/** A restart in progress and the ClientTokens seen live in the data file: both survive closing and starting the emulator. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { ACCESS_KEYS, coreCall, group, GROUP } from './support.js';

const T0 = Date.parse('2026-01-15T08:00:00Z');
const REGION = 'cn-hangzhou';
let dir: string;
let running: TestEmulator | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eci-restart-'));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(at: number): Promise<TestEmulator> {
  running = await startTestEmulator({ data: path.join(dir, 'state.json'), clockStart: new Date(at).toISOString() });
  return running;
}

const statusOf = async (emu: TestEmulator) => (await coreCall(emu.url)('DescribeContainerGroups', { RegionId: REGION })).ContainerGroups[0];

test('a restart in progress finishes on time after the emulator restarts; its ClientToken still replays', async () => {
  let emu = await start(T0);
  await emu.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP)] } } });
  const first = await coreCall(emu.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: 'tok-1' });
  await emu.close();

  emu = await start(T0 + 1000);
  expect((await statusOf(emu)).Status).toBe('Restarting');
  const again = await coreCall(emu.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP, ClientToken: 'tok-1' });
  expect(again.RequestId).toBe(first.RequestId);
  await emu.advance(1000);
  const g = await statusOf(emu);
  expect(g.Status).toBe('Running');
  expect(g.Containers[0]).toMatchObject({ RestartCount: 1, CurrentState: { StartTime: '2026-01-15T08:00:02Z' } });
});

test('a restart that fell due while the emulator was down is settled when it starts', async () => {
  let emu = await start(T0);
  await emu.seed({ alibaba: { accessKeys: ACCESS_KEYS, eci: { containerGroups: [group(GROUP)] } } });
  await coreCall(emu.url)('RestartContainerGroup', { RegionId: REGION, ContainerGroupId: GROUP });
  await emu.close();
  emu = await start(T0 + 60_000);
  const g = await statusOf(emu);
  expect(g.Status).toBe('Running');
  expect(g.Events.map((e: any) => [e.Reason, e.LastTimestamp])).toEqual([
    ['Restarting', '2026-01-15T08:00:00Z'],
    ['Started', '2026-01-15T08:00:02Z'],
  ]);
});
