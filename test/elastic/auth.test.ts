/** Every way to authenticate, and every way to fail: 401, 403 for viewers, 449 until elevated. */
import type { TestEmulator } from '../support/emulator.js';
import {
  ADMIN,
  CANCEL,
  DEP,
  DEP2,
  DEPLOYMENT_VIEWER,
  LIST,
  MANAGER,
  RESTART,
  SHUTDOWN,
  SUDO,
  VIEWER,
  basic,
  call,
  errorCode,
  restartPath,
  startElastic,
} from './support.js';

let t: TestEmulator;
beforeEach(async () => {
  t = await startElastic();
});
afterEach(async () => {
  await t.close();
});

const LOGIN = 'login';
const ELEVATE = 'elevate-permissions';
const login = (body: unknown) => call(t, LOGIN, 'post', '/api/v1/users/auth/_login', {}, body);

describe('401 root.unauthorized', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['an unknown API key', { Authorization: 'ApiKey nope' }],
    ['a Basic user that does not exist', basic('ghost', 'x')],
    ['a Basic user with the wrong password', basic('admin', 'wrong')],
    ['Basic without a colon', { Authorization: `Basic ${Buffer.from('admin').toString('base64')}` }],
    ['an unknown scheme', { Authorization: 'Token abc' }],
    ['a scheme without a value', { Authorization: 'ApiKey' }],
    ['an unknown bearer token', { Authorization: 'Bearer not-a-token' }],
  ];
  test.each(cases)('%s', async (_name, headers) => {
    const res = await call(t, LIST, 'get', '/api/v1/deployments', headers);
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('root.unauthorized');
    const restart = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), headers);
    expect(restart.status).toBe(401);
  });

  test('an expired bearer token', async () => {
    const { body } = await login({ username: 'admin', password: 's3cret' });
    const bearer = { Authorization: `Bearer ${body.token}` };
    expect((await call(t, LIST, 'get', '/api/v1/deployments', bearer)).status).toBe(200);
    await t.advance(60 * 60 * 1000);
    const res = await call(t, LIST, 'get', '/api/v1/deployments', bearer);
    expect(res.status).toBe(401);
    expect(res.body.errors[0]).toEqual({ code: 'root.unauthorized', message: 'The authentication token is invalid or expired' });
    // Issuing a new token drops the expired one.
    await login({ username: 'admin', password: 's3cret' });
    const tokens = (await t.state()).elastic.tokens;
    expect(tokens).toHaveLength(1);
    expect(tokens[0].token).not.toBe(body.token);
  });
});

describe('credentials that work', () => {
  test('ApiKey, Basic and Bearer from _login all list deployments', async () => {
    expect((await call(t, LIST, 'get', '/api/v1/deployments', ADMIN)).status).toBe(200);
    expect((await call(t, LIST, 'get', '/api/v1/deployments', basic('admin', 's3cret'))).status).toBe(200);
    const { status, body } = await login({ username: 'admin', password: 's3cret' });
    expect(status).toBe(200);
    expect(body.token.split('.')).toHaveLength(3);
    // TokenResponse carries the token's expiry: one token lifetime (1 h) on the emulator clock.
    expect(body.session_expiration_time).toBe('2026-01-15T09:00:00.000Z');
    expect((await call(t, LIST, 'get', '/api/v1/deployments', { Authorization: `Bearer ${body.token}` })).status).toBe(200);
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), { Authorization: `Bearer ${body.token}` })).status).toBe(202);
  });

  test('_login accepts the UI\'s login_state and still answers with the token', async () => {
    const res = await login({ username: 'admin', password: 's3cret', login_state: { path: '/deployments' } });
    expect(res.status).toBe(200);
    expect(typeof res.body.token).toBe('string');
  });

  test('the scheme name is case-insensitive', async () => {
    expect((await call(t, LIST, 'get', '/api/v1/deployments', { Authorization: 'apikey admin-key' })).status).toBe(200);
  });

  test('_login with a wrong password is 401 root.unauthenticated', async () => {
    const res = await login({ username: 'admin', password: 'nope' });
    expect(res.status).toBe(401);
    expect(errorCode(res)).toBe('root.unauthenticated');
    expect((await login({ username: 'nobody', password: 'x' })).status).toBe(401);
  });

  test.each([
    ['not JSON', '{"username":'],
    ['not an object', '[1,2]'],
    ['no password', { username: 'admin' }],
    ['a non-string username', { username: 1, password: 'x' }],
  ])('_login with a body that is %s is 400 root.invalid_json_request', async (_n, body) => {
    const res = await login(body);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('root.invalid_json_request');
  });
});

describe('403 root.unauthorized.rbac for viewers calling commands', () => {
  const commands: Array<[string, 'post' | 'delete', string]> = [
    [RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana')],
    [SHUTDOWN, 'post', `/api/v1/deployments/${DEP}/kibana/main-kibana/_shutdown`],
    [CANCEL, 'delete', `/api/v1/deployments/${DEP2}/kibana/kibana-a/plan/pending`],
  ];
  test.each([
    ['platform_viewer (ApiKey)', VIEWER],
    ['deployment_viewer (ApiKey)', DEPLOYMENT_VIEWER],
    ['platform_viewer (Basic)', basic('reader', 'r3ad')],
  ])('%s', async (_n, headers) => {
    const before = await t.state();
    for (const [op, method, path] of commands) {
      const res = await call(t, op, method, path, headers);
      expect(res.status).toBe(403);
      expect(res.body.errors[0]).toEqual({
        code: 'root.unauthorized.rbac',
        message: 'The supplied authentication is not authorized to access this resource. Reason: [Missing required permissions].',
      });
    }
    expect(await t.state()).toEqual(before);
    // Reads are fine.
    expect((await call(t, LIST, 'get', '/api/v1/deployments', headers)).status).toBe(200);
  });

  test('a deployment_manager may run commands', async () => {
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), MANAGER)).status).toBe(202);
  });
});

describe('449 elevated permissions (sudo)', () => {
  test('a command answers 449 until _elevate, and again once the elevation lapses', async () => {
    const denied = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), SUDO);
    expect(denied.status).toBe(449);
    expect((denied as any).res.statusMessage).toBe('Retry With');
    expect(errorCode(denied)).toBe('root.unauthorized.rbac.elevated_permissions_required');
    // Elevation is checked before the resource is looked up.
    expect((await call(t, RESTART, 'post', restartPath('ffffffffffffffffffffffffffffffff', 'kibana', 'x'), SUDO)).status).toBe(449);
    expect((await call(t, CANCEL, 'delete', `/api/v1/deployments/${DEP2}/kibana/kibana-a/plan/pending`, SUDO)).status).toBe(449);
    expect((await call(t, SHUTDOWN, 'post', `/api/v1/deployments/${DEP}/kibana/main-kibana/_shutdown`, SUDO)).status).toBe(449);
    // Reads need no elevation.
    expect((await call(t, LIST, 'get', '/api/v1/deployments', SUDO)).status).toBe(200);

    const elevated = await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', SUDO, { token: '123456' });
    expect(elevated.status).toBe(200);
    expect(typeof elevated.body.token).toBe('string');
    expect(Date.parse(elevated.body.session_expiration_time)).toBeGreaterThanOrEqual(Date.parse('2026-01-15T08:15:00.000Z'));
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), SUDO)).status).toBe(202);
    // The token _elevate returns is elevated too.
    const bearer = { Authorization: `Bearer ${elevated.body.token}` };
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'apm', 'main-apm'), bearer)).status).toBe(202);

    await t.advance(15 * 60 * 1000 - 1);
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', '?cancel_pending=true'), SUDO)).status).toBe(202);
    await t.advance(1);
    const lapsed = await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', '?cancel_pending=true'), SUDO);
    expect(lapsed.status).toBe(449);
  });

  test('a user needing elevation logs in, gets 449, elevates with the bearer token and proceeds', async () => {
    const { body } = await login({ username: 'root', password: 'sudo-me' });
    const bearer = { Authorization: `Bearer ${body.token}` };
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), bearer)).status).toBe(449);
    expect((await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', bearer, { token: '654321' })).status).toBe(200);
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), bearer)).status).toBe(202);
  });

  test('the elevation lifetime is a setting', async () => {
    await t.http.patch('/_emulator/settings').send({ 'elastic.elevationTtlMs': 1000 }).expect(200);
    await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', SUDO, { token: '123456' });
    await t.advance(1000);
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), SUDO)).status).toBe(449);
  });

  test('_elevate itself needs valid credentials, a JSON object body and an MFA token', async () => {
    expect((await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', {}, { token: '1' })).status).toBe(401);
    const bad = await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', SUDO, '"x"');
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('root.invalid_json_request');
    const before = await t.state();
    for (const body of [undefined, {}, { token: '' }, { token: '  ' }]) {
      const missed = await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', SUDO, body);
      expect(missed.status).toBe(400);
      expect(missed.body.errors[0]).toEqual({ code: 'authc.invalid_token', message: 'Missed or invalid MFA token' });
    }
    expect(await t.state()).toEqual(before);
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), SUDO)).status).toBe(449);
  });
});

describe('token refresh and dropping elevation', () => {
  test('_refresh gives a new token for the same user, valid for a full lifetime', async () => {
    const { body } = await login({ username: 'admin', password: 's3cret' });
    await t.advance(30 * 60 * 1000);
    const refreshed = await call(t, 'refresh-token', 'post', '/api/v1/users/auth/_refresh', { Authorization: `Bearer ${body.token}` });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token).not.toBe(body.token);
    await t.advance(45 * 60 * 1000);
    expect((await call(t, LIST, 'get', '/api/v1/deployments', { Authorization: `Bearer ${body.token}` })).status).toBe(401);
    expect((await call(t, LIST, 'get', '/api/v1/deployments', { Authorization: `Bearer ${refreshed.body.token}` })).status).toBe(200);
    expect((await call(t, 'refresh-token', 'post', '/api/v1/users/auth/_refresh', { Authorization: `Bearer ${body.token}` })).status).toBe(401);
  });

  test('DELETE _elevate ends the elevation before it lapses', async () => {
    await call(t, ELEVATE, 'post', '/api/v1/users/auth/_elevate', SUDO, { token: '123456' });
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana'), SUDO)).status).toBe(202);
    const dropped = await call(t, 'disable-elevated-permissions', 'delete', '/api/v1/users/auth/_elevate', SUDO);
    expect(dropped.status).toBe(200);
    expect(typeof dropped.body.token).toBe('string');
    expect((await call(t, RESTART, 'post', restartPath(DEP, 'kibana', 'main-kibana', '?cancel_pending=true'), SUDO)).status).toBe(449);
  });
});
