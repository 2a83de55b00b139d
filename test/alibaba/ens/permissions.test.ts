/** RAM actions on access keys, and accounts: what a key may do and which events it sees. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { coreClient, failure, popClient } from './clients.js';
import { E1, E2, ensSeed, eventInfos, I1, I2 } from './fixtures.js';
import { expectSchema } from './schemas.js';

let emu: TestEmulator;
const readOnly = { accessKeyId: 'LTAI5tREADONLY0000000001', accessKeySecret: 'ReadOnlySecret0000000000000000001' };
const ensAll = { accessKeyId: 'LTAI5tENSALL000000000001', accessKeySecret: 'EnsAllSecret00000000000000000001' };
const other = { accessKeyId: 'LTAI5tOTHERACCOUNT000001', accessKeySecret: 'OtherAccountSecret000000000000001' };

beforeAll(async () => {
  emu = await startTestEmulator();
  const seed = ensSeed();
  seed.alibaba.accessKeys.push(
    { AccessKeyId: readOnly.accessKeyId, AccessKeySecret: readOnly.accessKeySecret, Actions: ['ens:Describe*'] },
    { AccessKeyId: ensAll.accessKeyId, AccessKeySecret: ensAll.accessKeySecret, Actions: ['ens:*'] },
    { AccessKeyId: other.accessKeyId, AccessKeySecret: other.accessKeySecret, AccountId: '9999888877776666' },
  );
  await emu.seed(seed);
});
afterAll(() => emu.close());

describe('permissions', () => {
  it('a key without ens:BatchEventRebootInstance gets 400 NoPermission and nothing changes', async () => {
    const before = (await emu.state()).alibaba.ens;
    const err = await failure(coreClient(emu.url, readOnly)('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }) }));
    expect(err.name).toBe('ClientError');
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('NoPermission');
    expect(err.data.Message).toBe('Permission denied.');
    expect(err.accessDeniedDetail.AuthAction).toBe('ens:BatchEventRebootInstance');
    expectSchema('error.response.json', err.data);
    expect((await emu.state()).alibaba.ens).toEqual(before);

    const popErr = await failure(popClient(emu.url, readOnly)('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }) }));
    expect(popErr.code).toBe('NoPermission');
  });

  it('the same key may still describe', async () => {
    const body = await coreClient(emu.url, readOnly)('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot', ResourceIds: I1 });
    expectSchema('DescribeHistoryEvents.response.json', body);
    expect(body.Events.map((e: any) => e.EventId)).toEqual([E1]);
  });

  it('ens:* allows the reboot', async () => {
    const body = await coreClient(emu.url, ensAll)('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E2, OpsType: 'immediate', ResourceId: I2 }) });
    expectSchema('BatchEventRebootInstance.response.json', body);
    expect(body.Results[0].Code).toBe(200);
  });
});

describe('accounts', () => {
  it('another account sees none of these events or instances, and cannot reboot them', async () => {
    const call = coreClient(emu.url, other);
    const events = await call('DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot' });
    expect(events).toMatchObject({ TotalCount: 0, Events: [] });
    const instances = await call('DescribeInstances', {});
    expect(instances).toMatchObject({ TotalCount: 0, Instances: { Instance: [] } });
    expectSchema('DescribeInstances.response.json', instances);

    const body = await call('BatchEventRebootInstance', { EventInfos: eventInfos({ EventId: E1, OpsType: 'immediate', ResourceId: I1 }) });
    expectSchema('BatchEventRebootInstance.response.json', body);
    expect(body.Results[0]).toMatchObject({ Code: 404, EventId: E1 });
    const e1 = (await emu.state()).alibaba.ens.events.find((e: any) => e.EventId === E1);
    expect(e1.EventStatus).toBe('Inquiring');
  });

  it('an unknown key is a sandbox key of the default account (default mode)', async () => {
    const body = await coreClient(emu.url, { accessKeyId: 'LTAI-sandbox', accessKeySecret: 'anything' })('DescribeHistoryEvents', {
      EventTypes: 'Instance:SystemMaintenance.Reboot',
      ResourceIds: I1,
    });
    expectSchema('DescribeHistoryEvents.response.json', body);
    expect(body.TotalCount).toBe(1);
  });
});
