/** IAM's POST /v3/auth/tokens: the login flow a token client runs before calling KooPhone. */
import type { TestEmulator } from '../support/emulator.js';
import { PROJECT, START, expectHuaweiResponse, expectSchema, instance, reboot, startHuawei, statusOf } from './support.js';

const IAM_ERROR = 'huawei/iam/error.response.json';
const TOKEN_BODY = 'huawei/iam/auth-tokens.response.json';

function login(user = 'alice', password = 'correct horse', project: Record<string, string> = { name: 'cn-south-1' }, domain: Record<string, string> = { name: 'acme' }) {
  return { auth: { identity: { methods: ['password'], password: { user: { name: user, password, domain } } }, scope: { project } } };
}

describe('IAM token issue', () => {
  let t: TestEmulator;
  beforeEach(async () => {
    t = await startHuawei([instance('a44uhlf7')]);
  });
  afterEach(() => t.close());

  const issue = async (body: unknown, query = '') => {
    const res = await t.http.post(`/v3/auth/tokens${query}`).set('Content-Type', 'application/json;charset=utf8').send(JSON.stringify(body));
    expectHuaweiResponse(t, res, TOKEN_BODY);
    return res;
  };

  test('201 with the token in X-Subject-Token; the token then works on KooPhone', async () => {
    const res = await issue(login(), '?nocatalog=true');
    expect(res.status).toBe(201);
    const token = res.headers['x-subject-token'];
    expect(token).toMatch(/^MII[A-Za-z0-9_-]{100,}$/);
    expectSchema(t, TOKEN_BODY, res.body);
    expect(res.body.token.catalog).toBeUndefined();
    expect(res.body.token.project).toMatchObject({ id: PROJECT, name: 'cn-south-1', domain: { name: 'acme' } });
    expect(res.body.token.issued_at).toBe('2026-01-15T08:00:00.000000Z');
    expect(res.body.token.expires_at).toBe('2026-01-16T08:00:00.000000Z');

    const used = await reboot(t, ['a44uhlf7'], token);
    expect(used.status).toBe(200);
    expect(used.body).toEqual({ error_code: '0', error_msg: 'OK' });
    expect(await statusOf(t, ['a44uhlf7'])).toEqual([4]);
  });

  test.each(['?nocatalog=1', '?nocatalog=yes', '?nocatalog=false'])('any non-empty nocatalog (%s) leaves the catalog out', async (query) => {
    const res = await issue(login(), query);
    expect(res.status).toBe(201);
    expect(res.body.token.catalog).toBeUndefined();
  });

  test('without nocatalog the body carries a catalog; scoping by project id works too', async () => {
    const res = await issue(login('alice', 'correct horse', { id: PROJECT }), '?nocatalog=');
    expect(res.status).toBe(201);
    expectSchema(t, TOKEN_BODY, res.body);
    expect(res.body.token.catalog).toEqual([]);
  });

  test('an issued token expires after its lifetime on the emulator clock', async () => {
    const token = (await issue(login())).headers['x-subject-token'];
    await t.advance(24 * 3600 * 1000 - 1);
    expect((await reboot(t, ['a44uhlf7'], token)).status).toBe(200);
    await t.advance(1);
    const res = await reboot(t, ['a44uhlf7'], token);
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('APIGW.0307');
    const state = await t.state();
    const stored = state.huawei.tokens.find((x: any) => x.token === token);
    expect(Date.parse(stored.expiresAt)).toBe(START + 24 * 3600 * 1000);
  });

  test.each([
    ['a wrong password', login('alice', 'wrong')],
    ['an unknown user', login('mallory')],
    ['the wrong account (domain)', login('alice', 'correct horse', { name: 'cn-south-1' }, { name: 'other' })],
  ])('%s is 401 in IAM\'s envelope, and issues nothing', async (_name, body) => {
    const res = await issue(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' } });
    expectSchema(t, IAM_ERROR, res.body);
    expect(res.headers['x-subject-token']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect((await t.state()).huawei.tokens).toHaveLength(3);
  });

  test('a project the user does not belong to is 401', async () => {
    const res = await issue(login('alice', 'correct horse', { name: 'cn-north-4' }));
    expect(res.status).toBe(401);
    expectSchema(t, IAM_ERROR, res.body);
  });

  test.each([
    ['no scope', { auth: { identity: login().auth.identity } }],
    ['another method', { auth: { ...login().auth, identity: { ...login().auth.identity, methods: ['token'] } } }],
    ['a string body', 'hello'],
  ])('%s is 400 in IAM\'s envelope', async (_name, body) => {
    const res = await issue(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 400, title: 'Bad Request' });
    expectSchema(t, IAM_ERROR, res.body);
  });

  test('an injected fault on the token call is answered in IAM\'s envelope', async () => {
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'KeystoneCreateUserTokenByPassword', httpStatus: 503, message: 'IAM is down', count: 1 }).expect(201);
    const res = await issue(login());
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: { code: 503, message: 'IAM is down', title: 'Service Unavailable' } });
    expectSchema(t, IAM_ERROR, res.body);
    expect((await issue(login())).status).toBe(201);
  });

  test('malformed JSON is 400, never a 500', async () => {
    const res = await t.http.post('/v3/auth/tokens').set('Content-Type', 'application/json').send('{"auth":');
    expect(res.status).toBe(400);
    expectSchema(t, IAM_ERROR, res.body);
  });
});
