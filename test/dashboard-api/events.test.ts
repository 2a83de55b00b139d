/**
 * GET /_emulator/events: the live stream the dashboard reads (server-sent events), through HTTP. A
 * raw http.get reads the chunks; frames are waited for, never slept for.
 */
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { EmulatorClient, type EmulatorEvent } from '../../src/client.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { huaweiWorld, instance, TOKEN } from '../support/worlds/huawei.js';
import { openStream, type Frame, type Stream } from './sse.js';

let t: TestEmulator;
const open: Stream[] = [];
const stream = async (url = t.url, headers: Record<string, string> = {}) => {
  const s = await openStream(url, headers);
  open.push(s);
  return s;
};

beforeAll(async () => {
  t = await startTestEmulator();
});
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await t.reset({});
  await t.seed(huaweiWorld([instance('phone-1'), instance('phone-2')]));
});
afterAll(() => t.close());

const reboot = (ids: string[]) => t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'r').send({ instance_ids: ids });
const named = (event: string) => (f: Frame) => f.event === event;

test('a text/event-stream: retry first, then events with increasing ids', async () => {
  await t.seed(huaweiWorld([instance('phone-1'), instance('phone-2')]));
  const s = await stream();
  expect(s.status).toBe(200);
  expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(s.headers['cache-control']).toBe('no-cache, no-transform');
  expect(await s.next(() => true)).toEqual({ retry: '2000' });
  await t.http.post('/_emulator/faults').send({ id: 'f1', provider: 'huawei', httpStatus: 500 }).expect(201);
  await t.http.patch('/_emulator/settings').send({ 'huawei.iam.tokenLifetimeSeconds': 7200 }).expect(200);
  await s.next(named('settings'));
  const ids = s.frames.filter((f) => f.id !== undefined).map((f) => Number(f.id));
  expect(ids.length).toBeGreaterThanOrEqual(2);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
});

test('request: each journal entry as GET /_emulator/requests lists it, unmatched ones too', async () => {
  const s = await stream();
  await reboot(['phone-1']).expect(200);
  const req = JSON.parse((await s.next(named('request'))).data!);
  const [journal] = (await t.http.get('/_emulator/requests').expect(200)).body.requests;
  expect(req).toEqual(journal);
  expect(req).toMatchObject({ provider: 'huawei', operation: 'BatchRebootInstance', resources: ['phone-1'], changes: [{ field: 'running_status', from: 2, to: 4 }] });
  await t.http.get('/v1/instances/not-a-route').set('X-Auth-Token', TOKEN).set('x-request-id', 'u');
  const unmatched = JSON.parse((await s.next((f) => f.event === 'request' && JSON.parse(f.data!).unmatched === true)).data!);
  expect(unmatched).toMatchObject({ provider: 'huawei', unmatched: true });
});

test('state after a committed change, and after the clock completes a transition; clock as GET /_emulator/clock', async () => {
  const s = await stream();
  await reboot(['phone-1']).expect(200);
  expect(JSON.parse((await s.next(named('state'))).data!)).toEqual({ provider: 'huawei', ids: ['phone-1'] });
  const mark = s.frames.length;
  await t.advance(2000);
  const clock = JSON.parse((await s.next(named('clock'), mark)).data!);
  expect(clock).toEqual((await t.http.get('/_emulator/clock').expect(200)).body);
  expect(JSON.parse((await s.next(named('state'), mark)).data!)).toEqual({ provider: 'huawei', ids: ['phone-1'] });
  // Credentials are not resources: issuing a token (a change to huawei.tokens) is no state event.
  const before = s.frames.filter(named('state')).length;
  await t.http.post('/_emulator/clock').send({ settle: true }).expect(200);
  await t.http.patch('/_emulator/settings').send({}).expect(200);
  await t.http.post('/_emulator/faults').send({ id: 'marker', count: 0 }).expect(201);
  await s.next(named('faults'), mark);
  expect(s.frames.filter(named('state')).length).toBe(before);
});

test('faults (added, fired, removed), settings, transitions and reset, each when it changes', async () => {
  const s = await stream();
  await t.http.post('/_emulator/faults').send({ id: 'boom', provider: 'huawei', operation: 'BatchRebootInstance', httpStatus: 500, count: 1 }).expect(201);
  expect(JSON.parse((await s.next(named('faults'))).data!)).toEqual({});
  let mark = s.frames.length;
  await reboot(['phone-1']).expect(500);
  await s.next(named('faults'), mark); // fired: its count changed
  mark = s.frames.length;
  await t.http.delete('/_emulator/faults/boom').expect(200);
  await s.next(named('faults'), mark);
  await t.http.put('/_emulator/transitions').send({ 'huawei.koophone.reboot': 5000 }).expect(200);
  expect(JSON.parse((await s.next(named('transitions'))).data!)).toEqual({});
  await t.http.patch('/_emulator/settings').send({ 'huawei.iam.tokenLifetimeSeconds': 7200 }).expect(200);
  await s.next(named('settings'));
  mark = s.frames.length;
  await t.http.post('/_emulator/reset').send({}).expect(200);
  expect(JSON.parse((await s.next(named('reset'), mark)).data!)).toEqual({});
  // The replaced document: every listed resource of a provider may have changed.
  expect(JSON.parse((await s.next((f) => f.event === 'state' && JSON.parse(f.data!).provider === 'huawei', mark)).data!)).toEqual({ provider: 'huawei', ids: [], all: true });
});

test('a commit of more than 1000 resources is one state event saying all, not a list of every id', async () => {
  const s = await stream();
  await t.seed(huaweiWorld(Array.from({ length: 1500 }, (_, i) => instance(`bulk-${i}`))));
  const state = JSON.parse((await s.next(named('state'))).data!);
  expect(state).toEqual({ provider: 'huawei', ids: [], all: true });
});

test('nothing is serialized while no one listens; a listener gets each event serialized once', async () => {
  const events = t.ctx.events;
  const before = events.stats.serialized;
  await reboot(['phone-1']).expect(200);
  await t.advance(2000);
  await t.http.post('/_emulator/faults').send({ id: 'quiet', count: 0 }).expect(201);
  await t.http.patch('/_emulator/settings').send({ 'huawei.iam.tokenLifetimeSeconds': 7200 }).expect(200);
  await t.http.post('/_emulator/reset').send({}).expect(200);
  await t.seed(huaweiWorld([instance('phone-1')]));
  await new Promise((r) => setImmediate(r));
  expect(events.stats.serialized).toBe(before);
  const a = await stream();
  const b = await stream();
  await a.next(() => true);
  await b.next(() => true);
  await reboot(['phone-1']).expect(200);
  await a.next(named('request'));
  await b.next(named('request'));
  await a.next(named('state'));
  await b.next(named('state'));
  // One request event and one state event, each serialized once for both readers.
  expect(events.stats.serialized - before).toBe(2);
});

test('the same access as the control plane: Host and Origin checked, the token demanded (and no token in the query)', async () => {
  expect((await stream(t.url, { host: 'evil.example' })).status).toBe(403);
  expect((await stream(t.url, { origin: 'http://evil.example' })).status).toBe(403);
  const token = 'a-control-token-of-16+';
  const guarded = await startTestEmulator({ controlToken: token });
  try {
    const refused = await stream(guarded.url);
    expect(refused.status).toBe(401);
    await refused.ended;
    expect(JSON.parse(refused.body)).toEqual({ errors: [{ message: expect.stringContaining('Authorization: Bearer') }] });
    expect((await guarded.http.get(`/_emulator/events?token=${token}`)).status).toBe(401);
    const ok = await stream(guarded.url, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    ok.close();
  } finally {
    await guarded.close();
  }
});

test('at most --event-streams at once (default 16): one more is 429 in the control plane\'s error shape, and a closed one frees its place', async () => {
  const streams = [];
  for (let i = 0; i < 16; i++) streams.push(await stream());
  expect(streams.every((s) => s.status === 200)).toBe(true);
  const extra = await stream();
  expect(extra.status).toBe(429);
  await extra.ended;
  expect(JSON.parse(extra.body)).toEqual({ errors: [{ message: 'at most 16 event streams are open at once (--event-streams); close one, or try again later' }] });
  streams[0]!.close();
  await streams[0]!.ended;
  // The server sees the close on its own turn: wait for the place to be freed, by its count.
  while (t.ctx.events.size > 15) await new Promise((r) => setImmediate(r));
  expect((await stream()).status).toBe(200);
});

test('the limit and the keep-alive are options with ranges', async () => {
  const small = await startTestEmulator({ eventStreams: 1, eventKeepAliveMs: 10 });
  try {
    const s = await stream(small.url);
    expect((await stream(small.url)).status).toBe(429);
    expect(await s.next((f) => f.comment === 'keep-alive')).toEqual({ comment: 'keep-alive' });
    s.close();
  } finally {
    await small.close();
  }
  await expect(startTestEmulator({ eventStreams: 0 })).rejects.toThrow('invalid event stream limit 0: use a whole number of streams from 1 to 256');
  await expect(startTestEmulator({ eventStreams: 257 })).rejects.toThrow('from 1 to 256');
  await expect(startTestEmulator({ eventKeepAliveMs: 9 })).rejects.toThrow('invalid event keep-alive 9: use a whole number of ms from 10 to 3600000');
});

test('a reader that stops reading is disconnected once 1 MiB is unsent, not buffered without bound', async () => {
  const s = await stream();
  await s.next(() => true);
  s.response.pause(); // reads nothing more: the kernel's buffers fill, then the server's
  const events = t.ctx.events;
  const pad = 'x'.repeat(400_000);
  let sent = 0;
  // Each refused request is journaled with its ~400 KB body: one ~400 KB event each.
  while (events.stats.slowReaders === 0 && sent < 200) {
    await t.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'big').send({ instance_ids: ['phone-1'], pad });
    sent++;
  }
  expect(events.stats.slowReaders).toBe(1);
  expect(events.size).toBe(0);
  s.response.resume();
  expect(await s.ended).toBe('aborted');
  // What the reader was sent before it was dropped is bounded by the buffers, not by what happened.
  expect(sent).toBeLessThan(200);
});

test('EmulatorClient.events reads the stream with the token, until aborted', async () => {
  const token = 'a-control-token-of-16+';
  const guarded = await startTestEmulator({ controlToken: token });
  try {
    const client = new EmulatorClient(guarded.url, { token });
    await client.seed(huaweiWorld([instance('phone-1')]));
    const got: EmulatorEvent[] = [];
    const abort = new AbortController();
    let resolveRequest!: () => void;
    const sawRequest = new Promise<void>((r) => (resolveRequest = r));
    const reading = client.events((e) => {
      got.push(e);
      if (e.event === 'request') resolveRequest();
    }, { signal: abort.signal });
    // Subscribed once the server counts the stream.
    while (guarded.ctx.events.size === 0) await new Promise((r) => setImmediate(r));
    await guarded.http.post('/v1/instances/reboot').set('X-Auth-Token', TOKEN).set('x-request-id', 'c').send({ instance_ids: ['phone-1'] }).expect(200);
    await sawRequest;
    abort.abort();
    await expect(reading).resolves.toBeUndefined();
    const request = got.find((e) => e.event === 'request')!;
    expect(request.data).toMatchObject({ operation: 'BatchRebootInstance', status: 200 });
    expect(Number(request.id)).toBeGreaterThan(0);
    await expect(new EmulatorClient(guarded.url).events(() => {})).rejects.toMatchObject({ status: 401 });
  } finally {
    await guarded.close();
  }
});

test('stopping the emulator ends open streams cleanly: close() does not wait for them', async () => {
  const e = await startTestEmulator();
  const a = await openStream(e.url);
  const b = await openStream(e.url);
  await a.next(() => true);
  await e.close();
  expect(await a.ended).toBe('end');
  expect(await b.ended).toBe('end');
});
