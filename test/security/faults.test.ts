/**
 * Fault rules: capped (1,000), added and removed by id in O(1), naming only providers and operations
 * the emulator serves (400 listing the valid names), and never copied per provider request.
 */
import { jest } from '@jest/globals';
import { BUILTIN_PROVIDERS } from '../../src/providers/index.js';
import { MAX_FAULT_RULES } from '../../src/core/faults.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';

describe('fault rules', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator();
  });
  afterEach(() => t.close());

  test('at most 1,000 rules: a batch that would pass the cap is refused whole (400 naming it)', async () => {
    expect(MAX_FAULT_RULES).toBe(1000);
    const rules = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: `r${from + i}`, provider: 'huawei', count: 1 }));
    const over = await t.http.post('/_emulator/faults').send(rules(1001)).expect(400);
    expect(over.body.errors[0].message).toContain('1000');
    expect((await t.http.get('/_emulator/faults')).body.faults).toEqual([]);
    await t.http.post('/_emulator/faults').send(rules(1000)).expect(201);
    await t.http.post('/_emulator/faults').send(rules(1, 5000)).expect(400);
    // Replacing a rule by id does not count twice.
    await t.http.post('/_emulator/faults').send({ id: 'r7', provider: 'elastic', httpStatus: 503 }).expect(201);
    const list = (await t.http.get('/_emulator/faults')).body.faults;
    expect(list).toHaveLength(1000);
    expect(list.filter((r: any) => r.id === 'r7')).toEqual([{ id: 'r7', provider: 'elastic', httpStatus: 503, fired: 0 }]);
    // A replaced rule moves last, as before (rules match in the order they were added).
    expect(list[999].id).toBe('r7');
    await t.http.delete('/_emulator/faults/r0').expect(200);
    await t.http.post('/_emulator/faults').send(rules(1, 5000)).expect(201);
  });

  test('adding 1,000 rules one by one does not copy the list each time (work counted: linear)', async () => {
    for (let i = 0; i < 1000; i += 100) {
      await t.http.post('/_emulator/faults').send(Array.from({ length: 100 }, (_, k) => ({ id: `x${i + k}`, provider: 'alibaba' }))).expect(201);
    }
    expect(t.ctx.faults.size).toBe(1000);
    // Replacing and removing by id touch one rule each.
    const work = t.ctx.faults.rulesTouched;
    for (let i = 0; i < 500; i++) t.ctx.faults.remove(`x${i}`);
    expect(t.ctx.faults.rulesTouched - work).toBe(500);
    expect(t.ctx.faults.size).toBe(500);
  });

  test.each([
    [{ provider: 'hauwei' }, ['alibaba', 'elastic', 'huawei']],
    [{ provider: 'huawei', operation: 'Reboot' }, ['BatchRebootInstance', 'BatchQueryStatus', 'ListInstances', 'KeystoneCreateUserTokenByPassword']],
    [{ operation: 'Reboot' }, ['BatchRebootInstance', 'RestartContainerGroup', 'restart-deployment-stateless-resource']],
    [{ provider: 'alibaba', operation: 'login' }, ['RestartContainerGroup', 'DescribeInstances']],
  ])('%j names nothing the emulator serves → 400 listing the valid names', async (rule, valid) => {
    const res = await t.http.post('/_emulator/faults').send({ ...rule, httpStatus: 503 }).expect(400);
    for (const name of valid) expect(res.body.errors[0].message).toContain(name);
    expect((await t.http.get('/_emulator/faults')).body.faults).toEqual([]);
  });

  test('every operation a provider declares can carry a rule', async () => {
    for (const p of BUILTIN_PROVIDERS) {
      const operations = t.ctx.operations.get(p.name)!;
      expect(operations.length).toBeGreaterThan(0);
      for (const operation of operations) await t.http.post('/_emulator/faults').send({ provider: p.name, operation, count: 0 }).expect(201);
    }
  });

  test('KooPhone requests do not copy the rule list', async () => {
    await t.http.post('/_emulator/faults').send(Array.from({ length: 200 }, (_, i) => ({ id: `e${i}`, provider: 'elastic', operation: 'login' }))).expect(201);
    const list = jest.spyOn(t.ctx.faults, 'list');
    for (let i = 0; i < 5; i++) await t.http.post('/v1/instances/reboot').set('X-Auth-Token', 'nobody').send({ instance_ids: ['x'] });
    await t.http.get('/v1/instances/batch-query?page_no=1&page_size=1').set('X-Auth-Token', 'nobody');
    expect(list).toHaveBeenCalledTimes(0);
    list.mockRestore();
  });

  test('the Huawei operations a request is journaled under are the ones the provider declares', async () => {
    await t.http.post('/v1/instances/reboot').send({});
    await t.http.post('/v1/instances/batch-query-status').send({});
    await t.http.get('/v1/instances/batch-query');
    await t.http.post('/v3/auth/tokens').send({});
    const ops = new Set((await t.http.get('/_emulator/requests?provider=huawei')).body.requests.map((r: any) => r.operation));
    expect([...ops].sort()).toEqual([...t.ctx.operations.get('huawei')!].sort());
  });
});
