/**
 * The typed control-plane client speaks the journal and fault model: its filters, the count, the
 * fault kinds and how often each fired.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { EmulatorClient } from '../../src/client.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

const PROJECT = '0123456789abcdef0123456789abcdef';
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
  await t.seed({ huawei: { tokens: [{ token: 'c-token', projectId: PROJECT }], koophone: { instances: [{ instance_id: 'phone-c', project_id: PROJECT, running_status: 2 }] } } });
});
afterAll(() => t.close());

test('faults with kinds and fire counts, journal filters and the count, through EmulatorClient', async () => {
  const client = new EmulatorClient(t.url);
  await client.addFaults({ id: 'slow', provider: 'huawei', operation: 'BatchRebootInstance', network: 'slow', latencyMs: 1 });
  await t.http.post('/v1/instances/reboot').set('X-Auth-Token', 'c-token').set('x-request-id', 'client-1').send({ instance_ids: ['phone-c'] }).expect(200);
  expect((await client.faults()).find((r) => r.id === 'slow')).toMatchObject({ network: 'slow', fired: 1 });
  const [entry] = await client.requests({ resourceId: 'phone-c', status: 200 });
  expect(entry).toMatchObject({ clientRequestId: 'client-1', resources: ['phone-c'], changes: [{ field: 'running_status', from: 2, to: 4 }] });
  expect(await client.requestsCount({ provider: 'huawei', unmatched: false })).toBe(1);
  expect(await client.requestsCount({ errorCode: 'KOOPHONE.API.5005' })).toBe(0);
});
