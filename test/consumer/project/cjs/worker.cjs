// Written as a user would: the package's helpers, the sandbox fixtures, the official wire format.
// Both worker files run this suite, each with its own name and clock year: two workers at once, each
// with its own emulator (jest needs a file per worker, the suite is one).
const { emulatorClient, emulatorUrl } = require('cloud-api-emulator/jest');
const rendezvous = require('../rendezvous.cjs');

module.exports = function workerSuite(name, year) {
  const emulator = emulatorClient();
  const HUAWEI = { 'content-type': 'application/json', 'x-auth-token': 'sandbox-koophone-token', 'x-request-id': `consumer-${name}` };

  beforeAll(() => emulator.reset());

  test('this worker has its own emulator and its own clock', async () => {
    await emulator.setClock({ mode: 'manual', set: `${year}-01-01T00:00:00.000Z` });
    const others = await rendezvous('cjs', name, { url: emulatorUrl(), worker: process.env.JEST_WORKER_ID });
    expect(others.map((o) => o.url)).not.toContain(emulatorUrl());
    expect((await emulator.clock()).now).toBe(`${year}-01-01T00:00:00.000Z`);
  });

  test('a reboot completes with settle(), no polling', async () => {
    const reboot = await fetch(`${emulatorUrl()}/v1/instances/reboot`, { method: 'POST', headers: HUAWEI, body: JSON.stringify({ instance_ids: ['a44uhlf7'] }) });
    expect(await reboot.json()).toEqual({ error_code: '0', error_msg: 'OK' });
    const pending = await emulator.pending({ resource: 'a44uhlf7' });
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.at(-1)).toMatchObject({ provider: 'huawei', resource: 'a44uhlf7', to: { running_status: 2 } });
    await emulator.settle({ resource: 'a44uhlf7' });
    const status = await fetch(`${emulatorUrl()}/v1/instances/batch-query-status`, { method: 'POST', headers: HUAWEI, body: JSON.stringify({ instance_ids: ['a44uhlf7'] }) });
    expect((await status.json()).data.status_results).toEqual([{ instance_id: 'a44uhlf7', status: 2 }]);
    expect(await emulator.pending()).toEqual([]);
  });

  test('reset() puts the clock back for the next file', async () => {
    await emulator.reset();
    expect((await emulator.clock()).mode).toBe('system');
  });
};
