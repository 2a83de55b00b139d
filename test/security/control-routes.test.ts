/**
 * Every control-plane route, twice: a body nested far deeper than the documented limit (64 levels)
 * gets a 400 naming the limit, and a value outside its documented range (or, for a route that takes
 * no value, a body over --control-body-limit) gets a 4xx; never a 500, and the emulator carries on.
 */
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { deepArray, deepObject, prototypeKeys, sendJson } from './support.js';

type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';
const LIMIT = 64 * 1024;
const OVERSIZE = JSON.stringify({ pad: 'p'.repeat(LIMIT) });
/** A pending step due long after the clock's last printable instant. */
const DUE_TOO_LATE = { huawei: { koophone: { instances: [{ instance_id: 'range001', project_id: '0123456789abcdef0123456789abcdef', _emulator: { steps: [{ dueAt: 1e300, set: { running_status: 2 } }] } }] } } };

interface RouteCase {
  method: Method;
  path: string;
  /** An out-of-range value for what the route takes, or the oversize body for a route that takes none. */
  outOfRange: { query?: string; body: string; status: number; mentions: string };
}

const ROUTES: RouteCase[] = [
  { method: 'get', path: '/_emulator/health', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'get', path: '/_emulator/state', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'put', path: '/_emulator/state', outOfRange: { body: JSON.stringify(DUE_TOO_LATE), status: 400, mentions: 'dueAt' } },
  { method: 'post', path: '/_emulator/seed', outOfRange: { body: JSON.stringify(DUE_TOO_LATE), status: 400, mentions: 'dueAt' } },
  { method: 'post', path: '/_emulator/reset', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'get', path: '/_emulator/clock', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'post', path: '/_emulator/clock', outOfRange: { body: '{"set":1e300}', status: 400, mentions: '9999-12-31T23:59:59.999Z' } },
  { method: 'get', path: '/_emulator/transitions', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'put', path: '/_emulator/transitions', outOfRange: { body: '{"elastic.restart":9007199254740991}', status: 400, mentions: '31536000000' } },
  { method: 'get', path: '/_emulator/settings', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'patch', path: '/_emulator/settings', outOfRange: { body: '{"elastic.tokenTtlMs":9007199254740991}', status: 400, mentions: 'elastic.tokenTtlMs' } },
  { method: 'get', path: '/_emulator/faults', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'post', path: '/_emulator/faults', outOfRange: { body: '{"provider":"huawei","latencyMs":2147483648}', status: 400, mentions: 'latencyMs' } },
  { method: 'delete', path: '/_emulator/faults', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'delete', path: '/_emulator/faults/some-id', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
  { method: 'get', path: '/_emulator/requests', outOfRange: { query: 'limit=1000000000', body: '', status: 400, mentions: 'limit' } },
  { method: 'delete', path: '/_emulator/requests', outOfRange: { body: OVERSIZE, status: 413, mentions: String(LIMIT) } },
];

describe('every control-plane route', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ controlBodyLimit: LIMIT });
  });
  afterAll(async () => {
    await t.close();
    expect(prototypeKeys()).toEqual({ object: [], array: [] });
  });

  test.each(ROUTES)('$method $path: 10,000-deep array and 2,000-deep object → 400 naming the limit', async ({ method, path }) => {
    const before = await t.state();
    for (const body of [deepArray(10_000), deepObject(2_000), `{"ok":${deepArray(65)}}`]) {
      const res = await sendJson(t, method, path, body);
      expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 400, type: expect.stringMatching(/json/) });
      expect(res.body.errors[0].message).toMatch(/deeper than 64 levels/);
    }
    expect(await t.state()).toEqual(before);
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
  });

  test.each(ROUTES)('$method $path: out of range → 4xx naming the bound', async ({ method, path, outOfRange }) => {
    const before = await t.state();
    const url = outOfRange.query ? `${path}?${outOfRange.query}` : path;
    const res = outOfRange.body ? await sendJson(t, method, url, outOfRange.body) : await t.http[method](url);
    expect({ status: res.status, message: res.body.errors?.[0]?.message }).toEqual({ status: outOfRange.status, message: expect.stringContaining(outOfRange.mentions) });
    expect(await t.state()).toEqual(before);
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
  });

  test('64 levels is enough for any real document: the deepest fixture nests 8, and a 64-deep body is accepted', async () => {
    const res = await sendJson(t, 'post', '/_emulator/faults', `{"code":"Deep","message":"x","provider":"elastic","count":0,"id":"deep"}`);
    expect(res.status).toBe(201);
    await t.http.delete('/_emulator/faults').expect(200);
    // The ceiling itself: 64 levels parse (refused by the route for its shape, not for the depth).
    const at = await sendJson(t, 'post', '/_emulator/clock', `{"set":${deepArray(63)}}`);
    expect(at.status).toBe(400);
    expect(at.body.errors[0].message).not.toMatch(/deeper/);
  });
});

test('a path parameter that is not valid percent-encoding is a 400 naming it, not a 500 (it used to reach the catch-all)', async () => {
  const t = await startTestEmulator();
  try {
    for (const [method, path] of [
      ['delete', '/_emulator/faults/%E0%A4%A'],
      ['get', '/_emulator/resources/huawei/%E0%A4%A'],
      ['get', '/_emulator/resources/%ZZ/x'],
    ] as const) {
      const res = await t.http[method](path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.errors[0].message).toMatch(/percent-encod/);
    }
    expect((await t.http.get('/_emulator/health')).status).toBe(200);
  } finally {
    await t.close();
  }
});
