/**
 * BatchEventRebootInstance through the real wire format: immediate and scheduled reboots followed to
 * the end on the manual clock, a mixed batch, repeated requests, re-planning, and all three clients.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { coreClient, legacyClient, popClient, type Caller } from './clients.js';
import { E1, E2, E3, E_CANCELED, E_DONE, E_FAILURE, E_NO_INSTANCE, E_STOPPED, ensSeed, eventInfos, HOUR, I1, I2, I3, REBOOT_MS, STOPPED, T0 } from './fixtures.js';
import { expectSchema } from './schemas.js';

let emu: TestEmulator;
let ens: Caller;

beforeEach(async () => {
  emu = await startTestEmulator();
  await emu.seed(ensSeed());
  ens = coreClient(emu.url);
});
afterEach(() => emu.close());

async function reboot(infos: string, caller: Caller = ens) {
  const body = await caller('BatchEventRebootInstance', { EventInfos: infos });
  expectSchema('BatchEventRebootInstance.response.json', body);
  return body;
}

async function eventOf(id: string) {
  const body = await ens('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot,Instance:SystemFailure.Reboot', PageSize: 100 });
  expectSchema('DescribeHistoryEvents.response.json', body);
  return body.Events.find((e: any) => e.EventId === id);
}

async function statusOf(id: string): Promise<string> {
  const body = await ens('DescribeInstances', { InstanceIds: JSON.stringify([id]) });
  expectSchema('DescribeInstances.response.json', body);
  expect(body.Instances.Instance).toHaveLength(1);
  return body.Instances.Instance[0].Status;
}

describe('immediate reboot', () => {
  it('goes Executing/Starting, then Executed/Running after the reboot duration', async () => {
    const body = await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }));
    expect(body.Results).toEqual([{ Code: 200, EventId: E1, Message: 'success', ResourceId: I1 }]);

    expect((await eventOf(E1)).EventStatus).toBe('Executing');
    expect(await statusOf(I1)).toBe('Starting');

    await emu.advance(REBOOT_MS - 1);
    expect((await eventOf(E1)).EventStatus).toBe('Executing');
    expect(await statusOf(I1)).toBe('Starting');

    await emu.advance(1);
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
    expect(await statusOf(I1)).toBe('Running');
  });

  it('takes the configured alibaba.ens.reboot duration', async () => {
    await emu.http.put('/_emulator/transitions').send({ 'alibaba.ens.reboot': 30_000 }).expect(200);
    await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }));
    await emu.advance(29_999);
    expect(await statusOf(I1)).toBe('Starting');
    await emu.advance(1);
    expect(await statusOf(I1)).toBe('Running');
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
  });

  it('never ends while the duration is null (never)', async () => {
    await emu.http.put('/_emulator/transitions').send({ 'alibaba.ens.reboot': null }).expect(200);
    await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }));
    await emu.advance(100 * HOUR);
    expect(await statusOf(I1)).toBe('Starting');
    expect((await eventOf(E1)).EventStatus).toBe('Executing');
  });

  it('a repeated request reports the event state instead of rebooting twice', async () => {
    const infos = eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 });
    await reboot(infos);
    await emu.advance(REBOOT_MS / 2);
    const again = await reboot(infos);
    expect(again.Results[0]).toMatchObject({ Code: 400, EventId: E1, ResourceId: I1 });
    expect(again.Results[0].Message).toContain('Executing');
    // The first reboot still ends on time: nothing was restarted.
    await emu.advance(REBOOT_MS / 2);
    expect(await statusOf(I1)).toBe('Running');
    const third = await reboot(infos);
    expect(third.Results[0].Code).toBe(400);
    expect(third.Results[0].Message).toContain('Executed');
    expect(await statusOf(I1)).toBe('Running');
  });
});

describe('scheduled reboot', () => {
  it('is Scheduled with the plan as NotBefore, and reboots at the plan time', async () => {
    const plan = T0 + HOUR;
    const body = await reboot(eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: plan, PlanUtcTime: '2026-01-15T09:00:00Z', ResourceId: I1 }));
    expect(body.Results).toEqual([{ Code: 200, EventId: E1, Message: 'success', ResourceId: I1 }]);

    const scheduled = await eventOf(E1);
    expect(scheduled).toMatchObject({ EventStatus: 'Scheduled', NotBefore: plan, NotBeforeUtcTime: '2026-01-15T09:00:00Z' });
    expect(await statusOf(I1)).toBe('Running');

    await emu.advance(HOUR - 1);
    expect((await eventOf(E1)).EventStatus).toBe('Scheduled');
    expect(await statusOf(I1)).toBe('Running');

    await emu.advance(1);
    expect((await eventOf(E1)).EventStatus).toBe('Executing');
    expect(await statusOf(I1)).toBe('Starting');

    await emu.advance(REBOOT_MS);
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
    expect(await statusOf(I1)).toBe('Running');
  });

  it('accepts PlanUtcTime alone', async () => {
    await reboot(eventInfos({ EventId: E1, OpsType: 'scheduled', PlanUtcTime: '2026-01-15T08:30:00Z', ResourceId: I1 }));
    expect((await eventOf(E1)).NotBefore).toBe(T0 + HOUR / 2);
    await emu.advance(HOUR / 2 + REBOOT_MS);
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
  });

  it('lands on the plan even when the clock jumps past it at once', async () => {
    await reboot(eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I1 }));
    await emu.advance(10 * HOUR);
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
    expect(await statusOf(I1)).toBe('Running');
  });

  it('a new plan replaces the old one, and immediate overrides a plan', async () => {
    await reboot(eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I1 }));
    await reboot(eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + 2 * HOUR, ResourceId: I1 }));
    await emu.advance(HOUR + REBOOT_MS);
    expect((await eventOf(E1)).EventStatus).toBe('Scheduled');
    expect((await eventOf(E1)).NotBefore).toBe(T0 + 2 * HOUR);

    await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }));
    expect(await statusOf(I1)).toBe('Starting');
    await emu.advance(REBOOT_MS);
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
    // The replaced plan does not fire later.
    await emu.advance(2 * HOUR);
    expect(await statusOf(I1)).toBe('Running');
    expect((await eventOf(E1)).EventStatus).toBe('Executed');
  });

  it('fails the event when the instance cannot reboot at the plan time', async () => {
    await reboot(eventInfos({ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I1 }));
    await emu.seed({ alibaba: { ens: { instances: [{ InstanceId: I1, Status: 'Stopped' }] } } });
    await emu.advance(HOUR);
    expect((await eventOf(E1)).EventStatus).toBe('Failed');
    expect(await statusOf(I1)).toBe('Stopped');
  });
});

describe('a mixed batch', () => {
  it('answers per item; the good items proceed and the bad ones change nothing', async () => {
    const before = (await emu.state()).alibaba.ens;
    const body = await reboot(
      eventInfos(
        { EventId: E1, OpsType: 'immediate', ResourceId: I1 },
        { EventId: E2, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I2 },
        { EventId: 'e-nosuchevent', OpsType: 'immediate', ResourceId: I1 },
        { EventId: E3, OpsType: 'immediate', ResourceId: I1 },
        { EventId: E_FAILURE, OpsType: 'immediate', ResourceId: I1 },
        { EventId: E_DONE, OpsType: 'immediate', ResourceId: I2 },
        { EventId: E_CANCELED, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I3 },
        { EventId: E_STOPPED, OpsType: 'immediate', ResourceId: STOPPED },
        { EventId: E_NO_INSTANCE, OpsType: 'immediate', ResourceId: 'i-doesnotexist000000000000' },
      ),
    );
    const byEvent = body.Results.map((r: any) => [r.EventId, r.Code]);
    expect(byEvent).toEqual([
      [E1, 200],
      [E2, 200],
      ['e-nosuchevent', 404],
      [E3, 400],
      [E_FAILURE, 400],
      [E_DONE, 400],
      [E_CANCELED, 400],
      [E_STOPPED, 400],
      [E_NO_INSTANCE, 404],
    ]);
    expect(body.Results[3].Message).toContain('does not belong');
    expect(body.Results[4].Message).toContain('Instance:SystemFailure.Reboot');
    expect(body.Results[5].Message).toContain('Executed');
    expect(body.Results[6].Message).toContain('Canceled');
    expect(body.Results[7].Message).toContain('Stopped');
    for (const r of body.Results.slice(2)) expect(r.Message).not.toBe('success');

    const after = (await emu.state()).alibaba.ens;
    const status = (list: any[], id: string, field: string) => list.find((x) => x.EventId === id || x.InstanceId === id)[field];
    expect(status(after.events, E1, 'EventStatus')).toBe('Executing');
    expect(status(after.events, E2, 'EventStatus')).toBe('Scheduled');
    for (const id of [E3, E_FAILURE, E_DONE, E_CANCELED, E_STOPPED, E_NO_INSTANCE]) {
      expect(after.events.find((e: any) => e.EventId === id)).toEqual(before.events.find((e: any) => e.EventId === id));
    }
    expect(status(after.instances, I1, 'Status')).toBe('Starting');
    expect(status(after.instances, I2, 'Status')).toBe('Running');
    expect(status(after.instances, STOPPED, 'Status')).toBe('Stopped');
  });

  it('the same event twice in one batch reboots once', async () => {
    const body = await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }, { EventId: E1, OpsType: 'immediate', ResourceId: I1 }));
    expect(body.Results.map((r: any) => r.Code)).toEqual([200, 400]);
  });
});

describe('every client', () => {
  it('openapi-core with the RPC (v2) signature', async () => {
    const body = await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }), coreClient(emu.url, undefined, { signatureAlgorithm: 'v2' }));
    expect(body.Results[0].Code).toBe(200);
  });

  it('openapi-client 0.4 (older generated SDKs)', async () => {
    const body = await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }), legacyClient(emu.url));
    expect(body.Results[0].Code).toBe(200);
    expect(await statusOf(I1)).toBe('Starting');
  });

  it.each(['GET', 'POST'] as const)('pop-core %s, with the batch of the capture', async (method) => {
    const pop = popClient(emu.url, undefined, method);
    const infos = JSON.stringify([
      { EventId: E1, ResourceId: I1, OpsType: 'immediate' },
      { EventId: E2, ResourceId: I2, OpsType: 'scheduled', PlanTime: T0 + HOUR, PlanUtcTime: '2026-01-15T09:00:00Z' },
    ]);
    const body = await reboot(infos, pop);
    expect(body.Results).toEqual([
      { Code: 200, EventId: E1, Message: 'success', ResourceId: I1 },
      { Code: 200, EventId: E2, Message: 'success', ResourceId: I2 },
    ]);
    const events = await pop('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot', EventStatus: 'Executing,Scheduled', ResourceIds: `${I1},${I2}` });
    expectSchema('DescribeHistoryEvents.response.json', events);
    expect(Object.fromEntries(events.Events.map((e: any) => [e.EventId, e.EventStatus]))).toEqual({ [E1]: 'Executing', [E2]: 'Scheduled' });
  });
});

describe('injected faults', () => {
  it('a fault on one instance fails the batch that names it, with nothing changed', async () => {
    await emu.http.post('/_emulator/faults').send({ provider: 'alibaba', operation: 'BatchEventRebootInstance', resourceId: I2, httpStatus: 503, code: 'ServiceUnavailable' }).expect((r) => {
      if (r.status >= 300) throw new Error(`fault not added: ${r.status} ${JSON.stringify(r.body)}`);
    });
    const before = (await emu.state()).alibaba.ens;
    let failed: any;
    try {
      await ens('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E2, OpsType: 'immediate', ResourceId: I2 }) });
    } catch (err) {
      failed = err;
    }
    expect(failed?.statusCode).toBe(503);
    expect(failed.code).toBe('ServiceUnavailable');
    expect(failed.data.HostId).toBe('ens.aliyuncs.com');
    expect((await emu.state()).alibaba.ens).toEqual(before);
    // A batch about another instance is not affected.
    const body = await reboot(eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }));
    expect(body.Results[0].Code).toBe(200);
    expectSchema('error.response.json', failed.data);
  });
});
