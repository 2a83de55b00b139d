/** DescribeHistoryEvents and DescribeInstances: the shapes of the captures and SDK models, filters, paging, seeds. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { coreClient, legacyClient, popClient, type Caller } from './clients.js';
import { E1, E2, E3, E_DONE, E_FAILURE, ensSeed, HOUR, I1, I2, I3, STOPPED, T0 } from './fixtures.js';
import { asSdk, DescribeHistoryEventsResponseBody, DescribeInstancesResponseBody } from './models.js';
import { expectSchema } from './schemas.js';

let emu: TestEmulator;
let ens: Caller;
const REBOOTS = 'Instance:SystemMaintenance.Reboot';

beforeAll(async () => {
  emu = await startTestEmulator();
  await emu.seed(ensSeed());
  ens = coreClient(emu.url);
});
afterAll(() => emu.close());

async function events(query: Record<string, string | number>) {
  const body = await ens('DescribeHistoryEvents', query);
  expectSchema('DescribeHistoryEvents.response.json', body);
  return body;
}

async function instances(query: Record<string, string | number>) {
  const body = await ens('DescribeInstances', query);
  expectSchema('DescribeInstances.response.json', body);
  return body;
}

describe('DescribeHistoryEvents', () => {
  it('answers the capture request with the capture shape, and the SDK model takes it', async () => {
    await emu.seed({
      alibaba: {
        ens: {
          events: [
            {
              EventId: 'e-capture',
              EventLevel: 'WARN',
              EventStatus: 'Inquiring',
              EventType: 'Instance:SystemFailure.Reboot',
              ExtendedAttribute: '{}',
              NotBefore: 1742452232000,
              NotBeforeUtcTime: '2025-03-20T06:30:32Z',
              PublishTime: 1742400000000,
              PublishUtcTime: '2025-03-19T16:00:00Z',
              Reason: 'system failure',
              ResourceId: 'i-capture',
            },
          ],
        },
      },
    });
    const body = await events({
      EventTypes: 'Instance:SystemFailure.Reboot,Instance:SystemMaintenance.Reboot',
      EventStatus: 'Inquiring,Scheduled',
      EventLevels: 'WARN,CRITICAL',
      ResourceIds: 'i-capture',
      PageNumber: 1,
      PageSize: 10,
    });
    const { RequestId, ...rest } = body;
    expect(RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(JSON.stringify(rest)).toBe(
      '{"PageNumber":1,"PageSize":10,"TotalCount":1,"Events":[{"EventId":"e-capture","EventLevel":"WARN","EventStatus":"Inquiring","EventType":"Instance:SystemFailure.Reboot","ExtendedAttribute":"{}","NotBefore":1742452232000,"NotBeforeUtcTime":"2025-03-20T06:30:32Z","PublishTime":1742400000000,"PublishUtcTime":"2025-03-19T16:00:00Z","Reason":"system failure","ResourceId":"i-capture"}]}',
    );
    const sdk = asSdk(DescribeHistoryEventsResponseBody, body);
    expect(sdk.events[0]).toMatchObject({ eventId: 'e-capture', notBefore: 1742452232000, eventStatus: 'Inquiring' });
  });

  it('filters by type, status, level and resource', async () => {
    const ids = async (q: Record<string, string>) => (await events(q)).Events.map((e: any) => e.EventId).sort();
    expect(await ids({ EventTypes: 'Instance:SystemFailure.Reboot', ResourceIds: I1 })).toEqual([E_FAILURE]);
    expect(await ids({ EventTypes: REBOOTS, EventStatus: 'Scheduled' })).toEqual([E3]);
    expect(await ids({ EventTypes: REBOOTS, EventStatus: 'Executed,Scheduled' })).toEqual([E3, E_DONE].sort());
    expect(await ids({ EventTypes: REBOOTS, EventLevels: 'CRITICAL' })).toEqual([E2]);
    expect(await ids({ EventTypes: REBOOTS, ResourceIds: `${I1},${I3}` })).toEqual([E1, E3, 'e-00000000000000000000000000000006'].sort());
    expect(await ids({ EventTypes: 'Disk:Stalled' })).toEqual([]);
  });

  it('pages newest first, with TotalCount over all pages', async () => {
    const first = await events({ EventTypes: REBOOTS, PageSize: 3 });
    const second = await events({ EventTypes: REBOOTS, PageSize: 3, PageNumber: 2 });
    const third = await events({ EventTypes: REBOOTS, PageSize: 3, PageNumber: 3 });
    expect(first).toMatchObject({ PageNumber: 1, PageSize: 3, TotalCount: 7 });
    expect(first.Events.map((e: any) => e.EventId)).toEqual([E3, E2, E1]);
    expect(second.Events).toHaveLength(3);
    expect(third.Events).toHaveLength(1);
    const all = [...first.Events, ...second.Events, ...third.Events].map((e: any) => e.PublishTime);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect((await events({ EventTypes: REBOOTS, PageNumber: 9 })).Events).toEqual([]);
  });

  it('fills seed defaults: status, level, type, times and their UTC twins', async () => {
    await emu.seed({ alibaba: { ens: { events: [{ EventId: 'e-minimal', ResourceId: I1 }] } } });
    const body = await events({ EventTypes: REBOOTS, ResourceIds: I1, EventStatus: 'Inquiring', PageSize: 100 });
    const e = body.Events.find((x: any) => x.EventId === 'e-minimal');
    expect(e).toMatchObject({ EventStatus: 'Inquiring', EventLevel: 'WARN', EventType: REBOOTS, ExtendedAttribute: '{}', PublishTime: T0, PublishUtcTime: '2026-01-15T08:00:00Z' });
    expect(e.NotBefore).toBeGreaterThan(T0);
    expect(e.NotBeforeUtcTime).toBe(new Date(e.NotBefore).toISOString().replace('.000Z', 'Z'));
  });
});

describe('DescribeInstances', () => {
  it('answers the capture request with the capture shape, and the SDK model takes it', async () => {
    const body = await instances({ InstanceIds: JSON.stringify([I1]), Status: 'Running', PageNumber: 1, PageSize: 10 });
    const { RequestId, ...rest } = body;
    expect(RequestId).toBeTruthy();
    // The capture's fields, as captured; the model's other instance fields (issue 15) come on top.
    expect(rest).toMatchObject({
      Code: 0,
      PageNumber: 1,
      PageSize: 10,
      TotalCount: 1,
      Instances: {
        Instance: [
          {
            InstanceId: I1,
            InstanceName: 'edge-test',
            Status: 'Running',
            EnsRegionId: 'cn-hangzhou-telecom',
            SpecName: 'ens.sn1.small',
            Cpu: '2',
            Memory: 4096,
            OSName: 'centos 7.6',
            ImageId: 'centos_7_06_64_20G_alibase_20190711',
            CreationTime: '2024-01-01T00:00:00Z',
            InstanceResourceType: 'EnsService',
            Tags: { Tags: [{ TagKey: 'env', TagValue: 'test' }] },
          },
        ],
      },
    });
    const sdk = asSdk(DescribeInstancesResponseBody, body);
    expect(sdk.code).toBe(0);
    expect(sdk.instances.instance[0]).toMatchObject({ instanceId: I1, cpu: '2', memory: 4096, OSName: 'centos 7.6', tags: { tags: [{ tagKey: 'env', tagValue: 'test' }] } });
  });

  it('pop-core and openapi-client accept the top-level Code 0 as a success', async () => {
    const pop = await popClient(emu.url)('DescribeInstances', { InstanceIds: JSON.stringify([I1]) });
    expectSchema('DescribeInstances.response.json', pop);
    expect(pop.Instances.Instance[0].InstanceId).toBe(I1);
    const legacy = await legacyClient(emu.url)('DescribeInstances', { InstanceId: I1 });
    expectSchema('DescribeInstances.response.json', legacy);
    expect(legacy.Code).toBe(0);
    expect(legacy.Instances.Instance).toHaveLength(1);
  });

  it('an instance seeded with only its id gets the defaults, and Tags stays wrapped', async () => {
    const body = await instances({ InstanceId: I3 });
    const i = body.Instances.Instance[0];
    expect(i).toMatchObject({ InstanceId: I3, InstanceName: I3, Status: 'Running', Cpu: '2', Memory: 4096, CreationTime: '2026-01-15T08:00:00Z', Tags: { Tags: [] } });
    expect(asSdk(DescribeInstancesResponseBody, body).instances.instance[0].tags.tags).toEqual([]);
  });

  it('filters by status, region and ids; pages', async () => {
    const ids = async (q: Record<string, string | number>) => (await instances(q)).Instances.Instance.map((i: any) => i.InstanceId);
    expect(await ids({ Status: 'Stopped' })).toEqual([STOPPED]);
    expect(await ids({ EnsRegionId: 'cn-beijing-cmcc' })).toEqual([I2]);
    expect(await ids({ EnsRegionIds: JSON.stringify(['cn-beijing-cmcc', 'cn-hangzhou-telecom']), Status: 'Running' })).toEqual([I1, I2, I3]);
    expect(await ids({ InstanceIds: JSON.stringify([I2, 'i-unknown']) })).toEqual([I2]);
    const page2 = await instances({ PageSize: 3, PageNumber: 2 });
    expect(page2).toMatchObject({ PageNumber: 2, PageSize: 3, TotalCount: 4 });
    expect(page2.Instances.Instance.map((i: any) => i.InstanceId)).toEqual([STOPPED]);
  });

  it('never shows the emulator bookkeeping', async () => {
    expectSchema('BatchEventRebootInstance.response.json', await ens('BatchEventRebootInstance', { EventInfos: JSON.stringify([{ EventId: E1, OpsType: 'scheduled', PlanTime: T0 + HOUR, ResourceId: I1 }]) }));
    const res = await emu.http.get('/').query({ Action: 'DescribeInstances', Version: '2017-11-10', AccessKeyId: 'LTAI-sandbox' });
    expect(res.status).toBe(200);
    expectSchema('DescribeInstances.response.json', res.body);
    expect(JSON.stringify(res.body)).not.toContain('_emulator');
    const ev = await emu.http.get('/').query({ Action: 'DescribeHistoryEvents', Version: '2017-11-10', AccessKeyId: 'LTAI-sandbox', EventTypes: REBOOTS });
    expectSchema('DescribeHistoryEvents.response.json', ev.body);
    expect(JSON.stringify(ev.body)).not.toContain('_emulator');
    expect(JSON.stringify(ev.body)).not.toContain('rebootMs');
  });
});

describe('seeds', () => {
  it.each([
    ['an event without ResourceId', { events: [{ EventId: 'e-x' }] }],
    ['an event with an unknown status', { events: [{ EventId: 'e-x', ResourceId: I1, EventStatus: 'Done' }] }],
    ['an event with a text PublishTime', { events: [{ EventId: 'e-x', ResourceId: I1, PublishTime: 'yesterday' }] }],
    ['an event published after the year 9999', { events: [{ EventId: 'e-x', ResourceId: I1, PublishTime: 8.64e15 }] }],
    ['an event with a NotBeforeUtcTime that is not a time', { events: [{ EventId: 'e-x', ResourceId: I1, NotBeforeUtcTime: 'soon' }] }],
    ['an instance without InstanceId', { instances: [{ Status: 'Running' }] }],
    ['an instance with scalar Tags', { instances: [{ InstanceId: 'i-x', Tags: 'env=test' }] }],
  ])('%s is refused with 400, keeping the state', async (_what, ens) => {
    const before = (await emu.state()).alibaba.ens;
    const res = await emu.http.post('/_emulator/seed').send({ alibaba: { ens } });
    expect(res.status).toBe(400);
    expect((await emu.state()).alibaba.ens).toEqual(before);
  });

  it('accepts bare tag lists and numeric Cpu, turning them into the API shapes', async () => {
    await emu.seed({ alibaba: { ens: { instances: [{ InstanceId: 'i-bare', Cpu: 4, Memory: '8192', Tags: [{ Key: 'team', Value: 'edge' }] }] } } });
    const i = (await instances({ InstanceId: 'i-bare' })).Instances.Instance[0];
    expect(i).toMatchObject({ Cpu: '4', Memory: 8192, Tags: { Tags: [{ TagKey: 'team', TagValue: 'edge' }] } });
  });
});

describe('the sandbox fixtures', () => {
  it('fixtures/default.json gives rebootable ENS events and instances', async () => {
    const sandbox = await startTestEmulator({ fixtures: new URL('../../../fixtures/default.json', import.meta.url).pathname });
    try {
      const call = coreClient(sandbox.url, { accessKeyId: 'LTAI-sandbox', accessKeySecret: 'any' });
      const evs = await call('DescribeHistoryEvents', { EventTypes: REBOOTS, EventStatus: 'Inquiring' });
      expectSchema('DescribeHistoryEvents.response.json', evs);
      expect(evs.TotalCount).toBeGreaterThan(0);
      const target = evs.Events[0];
      const body = await call('BatchEventRebootInstance', { EventInfos: JSON.stringify([{ EventId: target.EventId, OpsType: 'immediate', ResourceId: target.ResourceId }]) });
      expectSchema('BatchEventRebootInstance.response.json', body);
      expect(body.Results[0].Code).toBe(200);
      const inst = await call('DescribeInstances', { InstanceId: target.ResourceId });
      expectSchema('DescribeInstances.response.json', inst);
      expect(inst.Instances.Instance[0].Status).toBe('Starting');
    } finally {
      await sandbox.close();
    }
  });
});
