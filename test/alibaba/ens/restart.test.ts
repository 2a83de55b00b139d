/** Planned and running reboots live in the data file: they survive closing and starting the emulator again. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { coreClient } from './clients.js';
import { E1, E2, ensSeed, eventInfos, HOUR, I1, I2, REBOOT_MS, T0 } from './fixtures.js';
import { expectSchema } from './schemas.js';

let dir: string;
let file: string;
let running: TestEmulator | undefined;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ens-restart-'));
  file = path.join(dir, 'state.json');
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(at: number): Promise<TestEmulator> {
  running = await startTestEmulator({ data: file, clockStart: new Date(at).toISOString() });
  return running;
}

async function statuses(emu: TestEmulator) {
  const ens = coreClient(emu.url);
  const events = await ens('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot', ResourceIds: `${I1},${I2}` });
  expectSchema('DescribeHistoryEvents.response.json', events);
  const instances = await ens('DescribeInstances', { InstanceIds: JSON.stringify([I1, I2]) });
  expectSchema('DescribeInstances.response.json', instances);
  return {
    ...Object.fromEntries(events.Events.map((e: any) => [e.EventId, e.EventStatus])),
    ...Object.fromEntries(instances.Instances.Instance.map((i: any) => [i.InstanceId, i.Status])),
  };
}

it('a scheduled reboot planned before a restart runs at its plan time after it', async () => {
  let emu = await start(T0);
  await emu.seed(ensSeed());
  const body = await coreClient(emu.url)('BatchEventRebootInstance', {
    EventInfos: eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I1 }),
  });
  expectSchema('BatchEventRebootInstance.response.json', body);
  expect(body.Results[0].Code).toBe(200);
  await emu.close();

  emu = await start(T0 + HOUR / 2);
  expect(await statuses(emu)).toMatchObject({ [E1]: 'Scheduled', [I1]: 'Running' });
  await emu.advance(HOUR / 2);
  expect(await statuses(emu)).toMatchObject({ [E1]: 'Executing', [I1]: 'Starting' });
  await emu.advance(REBOOT_MS);
  expect(await statuses(emu)).toMatchObject({ [E1]: 'Executed', [I1]: 'Running' });
});

it('a plan that fell due while the emulator was down is settled when it starts again', async () => {
  let emu = await start(T0);
  await emu.seed(ensSeed());
  expectSchema('BatchEventRebootInstance.response.json', await coreClient(emu.url)('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I1 }) }));
  await emu.close();

  emu = await start(T0 + 2 * HOUR);
  expect(await statuses(emu)).toMatchObject({ [E1]: 'Executed', [I1]: 'Running' });
});

it('a reboot in progress at the restart finishes after it', async () => {
  let emu = await start(T0);
  await emu.seed(ensSeed());
  expectSchema('BatchEventRebootInstance.response.json', await coreClient(emu.url)('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E2, OpsType: 'immediate', ResourceId: I2 }) }));
  await emu.close();

  emu = await start(T0 + REBOOT_MS / 2);
  expect(await statuses(emu)).toMatchObject({ [E2]: 'Executing', [I2]: 'Starting' });
  await emu.advance(REBOOT_MS / 2);
  expect(await statuses(emu)).toMatchObject({ [E2]: 'Executed', [I2]: 'Running' });
});
