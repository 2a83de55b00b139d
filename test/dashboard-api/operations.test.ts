/**
 * GET /_emulator/operations: what the dashboard's fault form offers, from each enabled provider's
 * own operation table (the names a fault rule and the journal use).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { EmulatorClient } from '../../src/client.js';
import { schemas } from '../support/schema-check.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { widgetsProvider } from '../support/widgets-provider.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

test('every built-in provider with its services and operations, each operation a name a fault rule accepts', async () => {
  const body = (await t.http.get('/_emulator/operations').expect(200).expect('content-type', /json/)).body;
  expect(body.providers.map((p: any) => p.name)).toEqual(['elastic', 'huawei', 'alibaba']);
  const alibaba = body.providers.find((p: any) => p.name === 'alibaba');
  expect(alibaba.services).toEqual(['eci', 'ens']);
  expect(alibaba.operations).toEqual(expect.arrayContaining([
    { name: 'RestartContainerGroup', mutates: true, service: 'eci' },
    { name: 'DescribeContainerGroups', mutates: false, service: 'eci' },
    { name: 'BatchEventRebootInstance', mutates: true, service: 'ens' },
  ]));
  const huawei = body.providers.find((p: any) => p.name === 'huawei');
  expect(huawei.services).toEqual(['koophone', 'iam']);
  expect(huawei.operations).toContainEqual({ name: 'BatchRebootInstance', mutates: true, service: 'koophone' });
  expect(huawei.operations).toContainEqual({ name: 'ListInstances', mutates: false, service: 'koophone' });
  const elastic = body.providers.find((p: any) => p.name === 'elastic');
  expect(elastic.services).toEqual(['ece']);
  expect(elastic.operations.length).toBeGreaterThan(10);
  // Each (provider, operation) named here is one a fault rule may name: all are accepted in one request.
  const rules = body.providers.flatMap((p: any) => p.operations.map((op: any) => ({ provider: p.name, operation: op.name, count: 0 })));
  expect(rules.length).toBeLessThanOrEqual(1000);
  await t.http.post('/_emulator/faults').send(rules).expect(201);
  await t.http.delete('/_emulator/faults').expect(200);
});

test('the fault kinds with their fields, each field one the fault rule schema declares', async () => {
  const body = await new EmulatorClient(t.url).operations();
  expect(body.faultKinds).toEqual(['error', 'latency', 'throttle', 'rateLimit', 'network', 'transition']);
  expect(Object.keys(body.faultFields)).toEqual(body.faultKinds);
  expect(body.faultFields.network).toEqual(['network', 'latencyMs']);
  expect(body.faultCommonFields).toEqual(['id', 'provider', 'operation', 'resourceId', 'count', 'probability']);
  const declared = Object.keys((schemas().ajv.getSchema('control/faults.request.json')!.schema as any).oneOf[0].properties);
  const named = [...Object.values(body.faultFields).flat(), ...body.faultCommonFields];
  expect(named.filter((f) => !declared.includes(f))).toEqual([]);
});

test('only the enabled providers', async () => {
  const w = await startTestEmulator({ providers: [widgetsProvider] });
  try {
    const body = (await w.http.get('/_emulator/operations').expect(200)).body;
    expect(body.providers.map((p: any) => p.name)).toEqual(['widgets']);
  } finally {
    await w.close();
  }
});

test('it takes no query parameters, and needs the token like any control route', async () => {
  await t.http.get('/_emulator/operations?provider=huawei').expect(400);
  const token = 'a-control-token-of-16+';
  const guarded = await startTestEmulator({ controlToken: token });
  try {
    await guarded.http.get('/_emulator/operations').expect(401);
    await guarded.http.get('/_emulator/operations').set('Authorization', `Bearer ${token}`).expect(200);
  } finally {
    await guarded.close();
  }
});
