/**
 * Cross-site requests and DNS rebinding: the control plane answers only the emulator's own names
 * (Host), refuses pages of other origins (Origin), parses only bodies declared as JSON, and with
 * --control-token demands a bearer token. Provider routes answer any Host (SDKs send cloud names).
 */
import request from 'supertest';
import { parseCli } from '../../src/config.js';
import { startCli } from '../support/child.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { widgetsProvider } from '../support/widgets-provider.js';

const fixtures = { widgets: { items: [{ id: 'w1' }] } };
const TOKEN = 'a-control-token-of-32-characters';

describe('defaults (loopback names only, no token)', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startTestEmulator({ providers: [widgetsProvider], fixtures });
  });
  afterEach(() => t.close());

  test('a text/plain (or form, or absent) body to a control write → 415, nothing changes', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      const res = await t.http.post('/_emulator/reset').set('Content-Type', type).send('{"empty":true}');
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
      expect(res.body.errors[0].message).toMatch(/application\/json/);
    }
    const noType = await t.http.post('/_emulator/seed').serialize((x) => x).send('{"widgets":{"items":[{"id":"evil"}]}}' as never).unset('Content-Type');
    expect(noType.status).toBe(415);
    expect((await t.state()).widgets.items.map((w: any) => w.id)).toEqual(['w1']);
    // JSON with a charset, and a write without a body, are fine.
    await t.http.post('/_emulator/reset').set('Content-Type', 'application/json; charset=utf-8').send('{"empty":true}').expect(200);
    await t.http.post('/_emulator/reset').expect(200);
  });

  test('a foreign Origin is refused (403) on every control route, reads included', async () => {
    for (const origin of ['https://attacker.example', 'null', 'http://127.0.0.1.attacker.example:4580', 'http://localhost.attacker.example']) {
      const write = await t.http.post('/_emulator/reset').set('Origin', origin).send({ empty: true });
      expect({ origin, status: write.status }).toEqual({ origin, status: 403 });
      expect(write.body.errors[0].message).toMatch(/Origin/);
      expect((await t.http.get('/_emulator/state').set('Origin', origin)).status).toBe(403);
    }
    expect((await t.state()).widgets.items).toHaveLength(1);
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:4580', 'http://[::1]:9']) {
      expect((await t.http.get('/_emulator/clock').set('Origin', origin)).status).toBe(200);
    }
  });

  test('a Host that is not the emulator is refused (403) on the control plane, not on provider routes', async () => {
    for (const host of ['attacker.example', 'attacker.example:4580', '127.0.0.1.nip.io', 'localhost.attacker.example']) {
      const res = await t.http.post('/_emulator/reset').set('Host', host).send({ empty: true });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
      expect(res.body.errors[0].message).toMatch(/--allowed-hosts/);
      // Providers keep answering any Host: SDKs send the cloud's host names.
      expect((await t.http.get('/widgets/w1').set('Host', host)).status).toBe(200);
    }
    for (const host of ['localhost', 'localhost:4580', 'LOCALHOST:1', '127.0.0.1', '127.0.0.1:8080', '[::1]', '[::1]:4580']) {
      expect({ host, status: (await t.http.get('/_emulator/clock').set('Host', host)).status }).toEqual({ host, status: 200 });
    }
  });
});

describe('--allowed-hosts', () => {
  test('names given are allowed (with any port), others still refused; * allows any', async () => {
    const t = await startTestEmulator({ providers: [widgetsProvider], fixtures, allowedHosts: ['emulator', 'sandbox.internal'] });
    try {
      await t.http.get('/_emulator/clock').set('Host', 'emulator:4580').expect(200);
      await t.http.get('/_emulator/clock').set('Host', 'Sandbox.Internal').expect(200);
      await t.http.get('/_emulator/clock').set('Origin', 'http://emulator:8080').expect(200);
      await t.http.get('/_emulator/clock').set('Host', 'other').expect(403);
    } finally {
      await t.close();
    }
    const any = await startTestEmulator({ providers: [widgetsProvider], fixtures, allowedHosts: ['*'] });
    try {
      await any.http.get('/_emulator/clock').set('Host', 'anything.example').expect(200);
      // '*' is about Host only: a page may still only be of the name the request was sent to.
      await any.http.get('/_emulator/clock').set('Host', 'anything.example').set('Origin', 'https://anything.example').expect(200);
      await any.http.get('/_emulator/clock').set('Host', 'anything.example').set('Origin', 'https://other.example').expect(403);
    } finally {
      await any.close();
    }
  });

  test('the bound address is allowed', async () => {
    const t = await startTestEmulator({ providers: [widgetsProvider], fixtures, host: '127.0.0.2' });
    try {
      await t.http.get('/_emulator/clock').set('Host', `127.0.0.2:${t.port}`).expect(200);
    } finally {
      await t.close();
    }
  });

  test('flags and env vars', () => {
    expect(parseCli(['--allowed-hosts', 'a.example,b.example'], {})).toEqual({ kind: 'run', options: { allowedHosts: ['a.example', 'b.example'] } });
    expect(parseCli([], { EMULATOR_ALLOWED_HOSTS: '*' })).toEqual({ kind: 'run', options: { allowedHosts: ['*'] } });
    expect(parseCli([], { EMULATOR_CONTROL_TOKEN: TOKEN })).toEqual({ kind: 'run', options: { controlToken: TOKEN } });
    expect(parseCli(['--control-body-limit', '1048576'], {})).toEqual({ kind: 'run', options: { controlBodyLimit: 1048576 } });
  });
});

describe('--control-token', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ providers: [widgetsProvider], fixtures, controlToken: TOKEN });
  });
  afterAll(() => t.close());

  test('the control plane demands Authorization: Bearer <token>; health stays open', async () => {
    for (const auth of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN.slice(0, -1)}`]) {
      const req = request(t.url).post('/_emulator/reset').send({ empty: true });
      const res = await (auth ? req.set('Authorization', auth) : req);
      expect({ auth, status: res.status }).toEqual({ auth, status: 401 });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await (auth ? request(t.url).get('/_emulator/state').set('Authorization', auth) : request(t.url).get('/_emulator/state'))).status).toBe(401);
    }
    expect((await t.http.get('/_emulator/state').set('Authorization', `Bearer ${TOKEN}`).expect(200)).body.widgets.items).toHaveLength(1);
    await t.http.get('/_emulator/health').expect(200);
    // Provider routes are not the control plane's: their own credentials apply.
    await t.http.get('/widgets/w1').expect(200);
  });

  test('a token too short to protect anything is refused at start', async () => {
    await expect(startTestEmulator({ controlToken: 'short' })).rejects.toThrow(/control token/);
  });

  test('from the CLI, with the env var', async () => {
    const s = await startCli(['--in-memory', '--port', '0', '--fixtures', 'none', '--log-level', 'silent'], { EMULATOR_CONTROL_TOKEN: TOKEN });
    try {
      expect((await request(s.url).get('/_emulator/clock')).status).toBe(401);
      expect((await request(s.url).get('/_emulator/clock').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(200);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });
});
