/**
 * One fault policy for every provider: the same rules, against one operation of each, give the same
 * outcome everywhere (each in its provider's own envelope). Before the pipeline, `{"latencyMs": 0}`
 * let an Elastic request through but failed Huawei's and Alibaba's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

/** One call per provider, and how to read the error code out of its envelope. */
interface Target {
  provider: string;
  operation: string;
  resource: string;
  call(t: TestEmulator): Promise<{ status: number; body: any }>;
  codeOf(body: any): string;
  messageOf(body: any): string;
  /** Another operation of the same provider. */
  otherOperation: string;
  /** The provider's internal error: what a rule without its own status and code answers. */
  internal: { status: number; code: string };
}

const TARGETS: Target[] = [
  {
    provider: 'alibaba',
    operation: 'DescribeContainerGroups',
    otherOperation: 'RestartContainerGroup',
    resource: 'eci-fault-0001',
    call: (t) => t.http.get('/').query({ Action: 'DescribeContainerGroups', Version: '2018-08-08', RegionId: 'cn-hangzhou', ContainerGroupIds: '["eci-fault-0001"]', AccessKeyId: 'LTAI5tANYKEY' }),
    codeOf: (b) => b.Code,
    messageOf: (b) => b.Message,
    internal: { status: 500, code: 'InternalError' },
  },
  {
    provider: 'elastic',
    operation: 'get-deployment',
    otherOperation: 'list-deployments',
    resource: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    call: (t) => t.http.get('/api/v1/deployments/a1b2c3d4e5f60718293a4b5c6d7e8f90').set('Authorization', 'ApiKey admin-key'),
    codeOf: (b) => b.errors[0].code,
    messageOf: (b) => b.errors[0].message,
    internal: { status: 500, code: 'root.unexpected_error' },
  },
  {
    provider: 'huawei',
    operation: 'BatchQueryStatus',
    otherOperation: 'ListInstances',
    resource: 'phone-fault-1',
    call: (t) => t.http.post('/v1/instances/batch-query-status').set('X-Auth-Token', 'fault-token').set('x-request-id', 'r1').set('Content-Type', 'application/json').send({ instance_ids: ['phone-fault-1'] }),
    codeOf: (b) => b.error_code,
    messageOf: (b) => b.error_msg,
    internal: { status: 500, code: 'KOOPHONE.API.9999' },
  },
];

/** A rule (scoped to the target by the test) and what every provider must do with it, twice in a row. */
const RULES: Array<{ name: string; rule: Record<string, unknown>; outcomes: Array<'pass' | 'internal' | { status: number; code: string; message: string }> }> = [
  { name: 'latency only, of 0 ms: delays nothing, fails nothing', rule: { latencyMs: 0 }, outcomes: ['pass', 'pass'] },
  { name: 'latency only, of 5 ms: passes', rule: { latencyMs: 5 }, outcomes: ['pass', 'pass'] },
  { name: 'an empty rule: the provider internal error', rule: {}, outcomes: ['internal', 'internal'] },
  { name: 'status, code and message of its own', rule: { httpStatus: 503, code: 'Busy', message: 'try later' }, outcomes: [{ status: 503, code: 'Busy', message: 'try later' }, { status: 503, code: 'Busy', message: 'try later' }] },
  { name: 'a count of 1: fails once', rule: { count: 1 }, outcomes: ['internal', 'pass'] },
  { name: 'latency with an error: both', rule: { latencyMs: 1, httpStatus: 429, code: 'Throttled', message: 'slow down' }, outcomes: [{ status: 429, code: 'Throttled', message: 'slow down' }, { status: 429, code: 'Throttled', message: 'slow down' }] },
  { name: 'probability 0: never fires', rule: { probability: 0 }, outcomes: ['pass', 'pass'] },
];

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(async () => {
  await t.close();
});

beforeEach(async () => {
  await t.reset({ empty: true });
  await t.seed({
    alibaba: { eci: { containerGroups: [{ ContainerGroupId: 'eci-fault-0001', RegionId: 'cn-hangzhou' }] } },
    elastic: { apiKeys: [{ key: 'admin-key', role: 'platform_admin' }], deployments: [{ id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', name: 'd', resources: { kibana: [{ ref_id: 'main-kibana', info: { status: 'started' } }] } }] },
    huawei: { tokens: [{ token: 'fault-token', projectId: '0123456789abcdef0123456789abcdef' }], koophone: { instances: [{ instance_id: 'phone-fault-1', project_id: '0123456789abcdef0123456789abcdef', running_status: 2 }] } },
  });
});

describe.each(RULES)('fault rule: $name', ({ rule, outcomes }) => {
  test.each(TARGETS)('$provider $operation', async (target) => {
    // The same rule three ways: by provider, by operation, by resource.
    for (const scope of [{ provider: target.provider }, { provider: target.provider, operation: target.operation }, { resourceId: target.resource }]) {
      await t.http.delete('/_emulator/faults').expect(200);
      await t.http.post('/_emulator/faults').send({ ...rule, ...scope }).expect(201);
      const seen = [];
      for (let i = 0; i < outcomes.length; i++) {
        const res = await target.call(t);
        if (res.status < 400) seen.push('pass');
        else if (res.status === target.internal.status && target.codeOf(res.body) === target.internal.code) seen.push('internal');
        else seen.push({ status: res.status, code: target.codeOf(res.body), message: target.messageOf(res.body) });
      }
      expect({ scope, seen }).toEqual({ scope, seen: outcomes });
    }
  });
});

test('a rule for another provider or operation leaves every target alone', async () => {
  for (const target of TARGETS) {
    await t.http.delete('/_emulator/faults').expect(200);
    const other = TARGETS.find((x) => x !== target)!;
    await t.http.post('/_emulator/faults').send([{ provider: other.provider }, { provider: target.provider, operation: target.otherOperation }, { operation: other.operation }, { resourceId: 'nothing-here' }]).expect(201);
    expect((await target.call(t)).status).toBeLessThan(400);
  }
});
