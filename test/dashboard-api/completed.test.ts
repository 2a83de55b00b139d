/**
 * GET /_emulator/transitions/completed: the record of transition steps the clock completes (here a
 * KooPhone reboot's 4 → 2 on an advance), apart from the request journal (whose counts it leaves
 * alone), bounded by --transition-log-size and by bytes, cleared by a reset, sent live as a
 * `completed` event, and refusing bad parameters with the control plane's 400 envelope.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { EmulatorClient } from '../../src/client.js';
import { CompletedTransitions } from '../../src/core/completed.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { huaweiWorld, instance } from '../support/worlds/huawei.js';
import { reboot } from '../huawei/support.js';
import { openStream } from './sse.js';

const START = Date.parse('2026-01-15T08:00:00.000Z');
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.http.post('/_emulator/reset').expect(200);
  await t.seed(huaweiWorld([instance('phone-1'), instance('phone-2'), instance('phone-3')]));
});

const completed = async (query = '') => (await t.http.get(`/_emulator/transitions/completed${query}`).expect(200)).body.completed;
const journalCount = async () => (await t.http.get('/_emulator/requests/count').expect(200)).body.count;

test('a reboot the clock completes is recorded: provider, resource, transition, from → to, clock time, the request that scheduled it', async () => {
  await reboot(t, ['phone-1'], undefined, 'trace-reboot-1');
  expect(await completed()).toEqual([]); // scheduled, not completed
  const journalId = (await t.http.get('/_emulator/requests?operation=BatchRebootInstance').expect(200)).body.requests[0].id;
  const before = await journalCount();
  await t.advance(2000);
  const items = await completed();
  expect(items.length).toBeGreaterThan(0);
  const last = items[items.length - 1];
  expect(last).toMatchObject({ provider: 'huawei', resource: 'phone-1', at: '2026-01-15T08:00:02.000Z', atMs: START + 2000, requestId: journalId });
  expect(typeof last.transition).toBe('string');
  expect(last.changes).toContainEqual({ field: 'running_status', from: 4, to: 2 });
  expect(items.map((i: any) => i.seq)).toEqual(items.map((_: unknown, i: number) => i + 1));
  // The journal is not the record: advancing added no journal entry.
  expect(await journalCount()).toBe(before);
  // Filters, and the typed client.
  const client = new EmulatorClient(t.url);
  expect(await client.completedTransitions({ resource: 'phone-1' })).toEqual(items);
  expect(await client.completedTransitions({ resource: 'phone-2' })).toEqual([]);
  expect(await client.completedTransitions({ provider: 'alibaba' })).toEqual([]);
  expect(await client.completedTransitions({ provider: 'huawei', limit: 1 })).toEqual([last]);
  expect(await completed('?limit=0')).toEqual([]);
});

test('settle records too, and a reset clears the record', async () => {
  await reboot(t, ['phone-1', 'phone-2'], undefined, 'trace-settle');
  await t.http.post('/_emulator/clock').send({ settle: true }).expect(200);
  const ids = new Set((await completed()).map((i: any) => i.resource));
  expect(ids).toEqual(new Set(['phone-1', 'phone-2']));
  await t.http.post('/_emulator/reset').send({ keep: ['requests'] }).expect(200);
  expect(await completed()).toEqual([]);
});

test('the completed steps go out live on the event stream, as `completed` events', async () => {
  const stream = await openStream(t.url);
  try {
    await reboot(t, ['phone-3'], undefined, 'trace-live');
    await t.advance(2000);
    const frame = await stream.next((f) => f.event === 'completed' && JSON.parse(f.data!).resource === 'phone-3');
    const journalId = (await t.http.get('/_emulator/requests?resourceId=phone-3').expect(200)).body.requests[0].id;
    expect(JSON.parse(frame.data!)).toMatchObject({ provider: 'huawei', resource: 'phone-3', requestId: journalId });
  } finally {
    stream.close();
  }
});

test('bad parameters are 400s in the control plane\'s envelope', async () => {
  for (const q of ['?provider=nope', '?resource=', `?resource=${'x'.repeat(257)}`, '?limit=-1', '?limit=abc', '?limit=100001', '?limit=1&limit=2', '?provider=huawei&provider=alibaba', '?since=1']) {
    const res = await t.http.get(`/_emulator/transitions/completed${q}`).expect(400);
    expect(res.body).toEqual({ errors: [expect.objectContaining({ message: expect.any(String) })] });
  }
});

test('bounded by --transition-log-size: the oldest go first; 0 keeps none; out of range is refused', async () => {
  const small = await startTestEmulator({ transitionLogSize: 2 });
  const none = await startTestEmulator({ transitionLogSize: 0 });
  try {
    for (const e of [small, none]) {
      await e.seed(huaweiWorld([instance('phone-1'), instance('phone-2'), instance('phone-3')]));
      await reboot(e, ['phone-1', 'phone-2', 'phone-3'], undefined, 'trace-bound');
      await e.http.post('/_emulator/clock').send({ settle: true }).expect(200);
    }
    const kept = (await small.http.get('/_emulator/transitions/completed').expect(200)).body.completed;
    expect(kept).toHaveLength(2);
    // The newest two of however many completed: their places in the record are the last ones.
    expect(kept[1].seq).toBe(kept[0].seq + 1);
    expect(kept[0].seq).toBeGreaterThanOrEqual(2);
    expect((await none.http.get('/_emulator/transitions/completed').expect(200)).body.completed).toEqual([]);
  } finally {
    await small.close();
    await none.close();
  }
  await expect(startTestEmulator({ transitionLogSize: 100_001 })).rejects.toThrow(/transition log size/);
});

test('bounded by bytes: entries past the budget are dropped oldest first, and one larger than it is not kept', () => {
  const log = new CompletedTransitions(1000, 2000);
  const step = (i: number) => ({ atMs: START, provider: 'p', collection: 'p.c', resource: `r${i}`, transition: 'set' });
  const change = (i: number, size = 100) => [{ collection: 'p.c', id: `r${i}`, kind: 'replaced' as const, before: JSON.stringify({ id: `r${i}`, f: 'x'.repeat(size) }), after: JSON.stringify({ id: `r${i}`, f: 'y' }) }];
  for (let i = 0; i < 100; i++) log.add(step(i), change(i));
  expect(log.size.bytes).toBeLessThanOrEqual(2000);
  expect(log.size.entries).toBeLessThan(100);
  expect(log.query().at(-1)!.resource).toBe('r99');
  expect(log.query().at(-1)!.changes).toEqual([{ field: 'f', from: 'x'.repeat(100), to: 'y' }]);
  log.add(step(100), change(100, 5000));
  expect(log.query().at(-1)!.resource).toBe('r99');
  log.clear();
  expect(log.size).toEqual({ entries: 0, bytes: 0 });
});
