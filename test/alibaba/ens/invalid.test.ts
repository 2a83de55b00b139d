/**
 * Every malformed BatchEventRebootInstance gets 400 InvalidParameter.<field> (or MissingParameter)
 * as each SDK turns it into an exception, and changes nothing, even when other items were fine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../../support/emulator.js';
import { coreClient, failure, legacyClient, popClient, type Caller } from './clients.js';
import { E1, E2, ensSeed, HOUR, I1, I2, T0 } from './fixtures.js';
import { expectSchema } from './schemas.js';

let emu: TestEmulator;
let ens: Caller;

beforeAll(async () => {
  emu = await startTestEmulator();
  await emu.seed(ensSeed());
  ens = coreClient(emu.url);
});
afterAll(() => emu.close());

const good = { EventId: E1, OpsType: 'immediate', ResourceId: I1 };
const json = (v: unknown) => JSON.stringify(v);

/** [what is wrong, the raw EventInfos value (undefined = not sent), the field the code names]. */
const cases: Array<[string, string | undefined, string]> = [
  ['EventInfos not sent', undefined, 'EventInfos'],
  ['EventInfos empty', '', 'EventInfos'],
  ['unparseable JSON', '[{"EventId":', 'EventInfos'],
  ['a JSON object, not an array', json(good), 'EventInfos'],
  ['a JSON string', json('e-1'), 'EventInfos'],
  ['an empty array', '[]', 'EventInfos'],
  ['an item that is not an object', json([good, 42]), 'EventInfos'],
  ['an item that is null', json([null]), 'EventInfos'],
  ['EventId missing', json([{ OpsType: 'immediate', ResourceId: I1 }]), 'EventId'],
  ['EventId a number', json([{ ...good, EventId: 7 }]), 'EventId'],
  ['EventId empty', json([{ ...good, EventId: '' }]), 'EventId'],
  ['ResourceId missing', json([{ EventId: E1, OpsType: 'immediate' }]), 'ResourceId'],
  ['ResourceId an array', json([{ ...good, ResourceId: [I1] }]), 'ResourceId'],
  ['OpsType missing', json([{ EventId: E1, ResourceId: I1 }]), 'OpsType'],
  ['OpsType unknown', json([{ ...good, OpsType: 'later' }]), 'OpsType'],
  ['OpsType in the wrong case', json([{ ...good, OpsType: 'Immediate' }]), 'OpsType'],
  ['scheduled without a plan time', json([{ ...good, OpsType: 'scheduled' }]), 'PlanTime'],
  ['PlanTime a string', json([{ ...good, OpsType: 'scheduled', PlanTime: String(T0 + HOUR) }]), 'PlanTime'],
  ['PlanTime not whole', json([{ ...good, OpsType: 'scheduled', PlanTime: T0 + HOUR + 0.5 }]), 'PlanTime'],
  ['PlanTime negative', json([{ ...good, OpsType: 'scheduled', PlanTime: -1 }]), 'PlanTime'],
  ['PlanTime beyond the year 9999', json([{ ...good, OpsType: 'scheduled', PlanTime: 8.64e15 }]), 'PlanTime'],
  ['PlanTime in the past', json([{ ...good, OpsType: 'scheduled', PlanTime: T0 - 1 }]), 'PlanTime'],
  ['PlanTime wrongly typed on an immediate item', json([{ ...good, PlanTime: 'soon' }]), 'PlanTime'],
  ['PlanUtcTime not a time', json([{ ...good, OpsType: 'scheduled', PlanUtcTime: 'tomorrow' }]), 'PlanUtcTime'],
  ['PlanUtcTime without a zone', json([{ ...good, OpsType: 'scheduled', PlanUtcTime: '2026-01-15T09:00:00' }]), 'PlanUtcTime'],
  ['PlanUtcTime an impossible date', json([{ ...good, OpsType: 'scheduled', PlanUtcTime: '2026-13-45T09:00:00Z' }]), 'PlanUtcTime'],
  ['PlanUtcTime a number', json([{ ...good, OpsType: 'scheduled', PlanUtcTime: T0 + HOUR }]), 'PlanUtcTime'],
  ['PlanUtcTime alone, in the past', json([{ ...good, OpsType: 'scheduled', PlanUtcTime: '2026-01-15T07:59:59Z' }]), 'PlanUtcTime'],
  ['PlanTime and PlanUtcTime disagree', json([{ ...good, OpsType: 'scheduled', PlanTime: T0 + HOUR, PlanUtcTime: '2026-01-15T10:00:00Z' }]), 'PlanUtcTime'],
  ['a good item followed by a bad one', json([good, { EventId: E2, ResourceId: I2, OpsType: 'scheduled', PlanTime: T0 - HOUR }]), 'PlanTime'],
];

describe('BatchEventRebootInstance rejects a malformed batch', () => {
  it.each(cases)('%s → InvalidParameter.%s', async (_what, raw, field) => {
    const before = (await emu.state()).alibaba.ens;
    const err = await failure(ens('BatchEventRebootInstance', raw === undefined ? {} : { EventInfos: raw }));
    expect(err.name).toBe('ClientError');
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe(`InvalidParameter.${field}`);
    expect(err.data.Message).toBe(`The specified field ${field} invalid. Please check it again.`);
    expect(err.message).toBe(`InvalidParameter.${field}: code: 400, ${err.data.Message} request id: ${err.data.RequestId}`);
    expectSchema('error.response.json', err.data);
    expect((await emu.state()).alibaba.ens).toEqual(before);
  });

  it('the flattened EventInfos.N.Field form (pop-core given an array) is not the API\'s: InvalidParameter.EventInfos', async () => {
    const res = await emu.http.get('/').query({
      Action: 'BatchEventRebootInstance',
      Version: '2017-11-10',
      AccessKeyId: 'LTAI-sandbox',
      'EventInfos.1.EventId': E1,
      'EventInfos.1.ResourceId': I1,
      'EventInfos.1.OpsType': 'immediate',
    });
    expect(res.status).toBe(400);
    expect(res.body.Code).toBe('InvalidParameter.EventInfos');
  });

  it('openapi-client and pop-core see the same error', async () => {
    const raw = json([{ ...good, OpsType: 'later' }]);
    const legacyErr = await failure(legacyClient(emu.url)('BatchEventRebootInstance', { EventInfos: raw }));
    expect(legacyErr.code).toBe('InvalidParameter.OpsType');
    expect(legacyErr.statusCode).toBe(400);
    const popErr = await failure(popClient(emu.url)('BatchEventRebootInstance', { EventInfos: raw }));
    expect(popErr.name).toBe('InvalidParameter.OpsTypeError');
    expect(popErr.code).toBe('InvalidParameter.OpsType');
    expect(popErr.data.HostId).toBe('ens.aliyuncs.com');
  });

  it('the raw wire answer is JSON with the ENS HostId', async () => {
    const res = await emu.http
      .get('/')
      .query({ Action: 'BatchEventRebootInstance', Version: '2017-11-10', AccessKeyId: 'LTAI-unknown-sandbox-key', EventInfos: 'nope' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(res.headers['x-acs-request-id']).toBe(res.body.RequestId);
    expect(res.body).toMatchObject({ HostId: 'ens.aliyuncs.com', Code: 'InvalidParameter.EventInfos' });
    expect(res.body.Recommend).toContain('product=Ens');
    expectSchema('error.response.json', res.body);
  });
});

describe('the describe calls reject bad parameters', () => {
  const describeCases: Array<[string, Record<string, string | number>, string]> = [
    ['DescribeHistoryEvents', {}, 'MissingParameter'],
    ['DescribeHistoryEvents', { EventTypes: ',' }, 'MissingParameter'],
    ['DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot', PageSize: 0 }, 'InvalidParameter.PageSize'],
    ['DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot', PageSize: 101 }, 'InvalidParameter.PageSize'],
    ['DescribeHistoryEvents', { EventTypes: 'Instance:SystemMaintenance.Reboot', PageNumber: 'first' }, 'InvalidParameter.PageNumber'],
    ['DescribeInstances', { InstanceIds: 'i-1' }, 'InvalidParameter.InstanceIds'],
    ['DescribeInstances', { InstanceIds: '{"a":1}' }, 'InvalidParameter.InstanceIds'],
    ['DescribeInstances', { InstanceIds: '[1,2]' }, 'InvalidParameter.InstanceIds'],
    ['DescribeInstances', { InstanceIds: json(Array.from({ length: 101 }, (_, i) => `i-${i}`)) }, 'InvalidParameter.InstanceIds'],
    ['DescribeInstances', { EnsRegionIds: 'cn-hangzhou' }, 'InvalidParameter.EnsRegionIds'],
    ['DescribeInstances', { PageNumber: 0 }, 'InvalidParameter.PageNumber'],
  ];
  it.each(describeCases)('%s %j → %s', async (action, query, code) => {
    const err = await failure(ens(action, query));
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe(code);
    expectSchema('error.response.json', err.data);
  });

  it('names the missing EventTypes', async () => {
    const err = await failure(ens('DescribeHistoryEvents', { PageSize: 10 }));
    expect(err.data.Message).toContain('EventTypes');
  });
});
