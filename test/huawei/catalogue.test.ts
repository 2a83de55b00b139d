/**
 * Every factory of the Huawei error catalogue (KooPhone, the API gateway, IAM) is reached through
 * HTTP in one run, so a new code without a path to it fails here; every answer passes its envelope's
 * schema, and the state document stays valid.
 */
import { GatewayErrors, type HuaweiError, IamErrors, KooPhoneErrors } from '../../src/providers/huawei/errors.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { expectMatchesSchema } from '../support/schema-check.js';
import { AK, OTHER_PROJECT, TOKEN, huaweiWorld, instance, sign } from '../support/worlds/huawei.js';
import { expectHuaweiResponse } from './support.js';

const ARG = '\u0001';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each factory as `envelope code` and a pattern of its message (its arguments match anything). */
function catalogue(): Array<{ name: string; key: string; message: RegExp }> {
  const out: Array<{ name: string; key: string; message: RegExp }> = [];
  for (const [group, factories] of Object.entries({ KooPhoneErrors, GatewayErrors, IamErrors })) {
    for (const [name, factory] of Object.entries(factories as Record<string, (...args: unknown[]) => HuaweiError>)) {
      const e = factory(ARG, ARG);
      out.push({ name: `${group}.${name}`, key: `${e.envelope} ${e.code}`, // A not-emulated operation's answer adds a note saying so (the journal issue).
      message: new RegExp(`^${escape(e.message).split(ARG).join('.*')}( \\(cloud-api-emulator does not emulate .*\\))?$`, 's') });
    }
  }
  return out;
}

/** What a response says, as `envelope code` and message (the gateway's code without its prefix). */
function observed(res: { status: number; body: any }): { key: string; message: string } | undefined {
  const b = res.body;
  if (b?.error !== undefined) return { key: `iam ${b.error.code}`, message: b.error.message };
  if (typeof b?.request_id === 'string') return { key: `gateway ${String(b.error_code).replace(/^APIGW?\./, '')}`, message: b.error_msg };
  if (typeof b?.error_code === 'string' && b.error_code !== '0') return { key: `koophone ${b.error_code}`, message: b.error_msg };
  return undefined;
}

test('every catalogue code is reachable', async () => {
  const t: TestEmulator = await startTestEmulator();
  const reached = new Set<string>();
  const entries = catalogue();
  const hit = async (res: { status: number; body: any }, success = 'huawei/koophone/reboot.response.json') => {
    expectHuaweiResponse(t, res, success);
    const o = observed(res);
    if (o) for (const e of entries) if (e.key === o.key && e.message.test(o.message)) reached.add(e.name);
    return res;
  };
  const host = () => new URL(t.url).host;
  const post = (path: string, headers: Record<string, string>, body: string) => {
    const r = t.http.post(path);
    for (const [k, v] of Object.entries(headers)) r.set(k, v);
    return r.send(body);
  };
  const json = { 'Content-Type': 'application/json' };
  const auth = { ...json, 'X-Auth-Token': TOKEN, 'x-request-id': 'r' };
  const ids = (...list: string[]) => JSON.stringify({ instance_ids: list });
  const list = (query: string, token = TOKEN) => t.http.get(`/v1/instances/batch-query?x-request-id=r&page_no=1&page_size=10&${query}`).set('X-Auth-Token', token);
  const signed = (extra: Record<string, string>, opts: { ak?: string; sk?: string } = {}) =>
    sign({ method: 'POST', path: '/v1/instances/reboot', headers: { ...json, Host: host(), 'X-Sdk-Date': '20260115T080000Z', 'x-request-id': 'r', ...extra }, body: ids('run1'), ...opts });
  const login = (user: Record<string, unknown>, project: Record<string, unknown> = { name: 'cn-south-1' }) =>
    JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'alice', password: 'correct horse', domain: { name: 'acme' }, ...user } } }, scope: { project } } });
  try {
    await t.seed(
      huaweiWorld(
        [instance('run1'), instance('stop1', { running_status: 1 }), instance('frz1', { frozen_status: 1 }), instance('rst1', { restore_status: 1 }), instance('bak1', { backup_status: 1 })],
        { projects: [{ project_id: OTHER_PROJECT, subscribed: false }] },
      ),
    );
    // The gateway.
    await hit(await t.http.get('/v1/nothing-here'));
    await hit(await post('/v1/instances/reboot', auth, JSON.stringify({ instance_ids: Array.from({ length: 40000 }, (_, i) => `id-${i}-${'x'.repeat(24)}`) })));
    await hit(await post('/v1/instances/reboot', json, ids('run1')));
    await hit(await post('/v1/instances/reboot', { ...auth, 'X-Auth-Token': 'unknown' }, ids('run1')));
    await hit(await post('/v1/instances/reboot', signed({}, { ak: 'NOSUCHAK' }), ids('run1')));
    await hit(await post('/v1/instances/reboot', signed({}, { sk: 'wrong', ak: AK }), ids('run1')));
    await hit(await post('/v1/instances/reboot', signed({ 'X-Sdk-Date': '20250101T000000Z' }), ids('run1')));
    await hit(await post('/v1/instances/reboot', signed({ 'X-Project-Id': OTHER_PROJECT }), ids('run1')));
    // KooPhone.
    await hit(await post('/v1/instances/reboot', { ...json, 'X-Auth-Token': TOKEN }, ids('run1')));
    await hit(await post('/v1/instances/reboot', auth, '{"instance_ids":[]}'));
    await hit(await post('/v1/instances/reboot', auth, ids('ghost')));
    await hit(await post('/v1/instances/reboot', auth, ids('stop1')));
    await hit(await post('/v1/instances/reboot', auth, ids('frz1')));
    await hit(await post('/v1/instances/reboot', auth, ids('rst1')));
    await hit(await post('/v1/instances/reboot', auth, ids('bak1')));
    await hit(await post('/v1/instances/reboot', { ...auth, 'X-Auth-Token': 'test-token-project-b' }, ids('run1')));
    await hit(await list('query_start_time=yesterday'), 'huawei/koophone/batch-query.response.json');
    await hit(await list('query_start_time=2026-01-15%2008%3A00%3A00&query_end_time=2026-01-14%2008%3A00%3A00'), 'huawei/koophone/batch-query.response.json');
    // IAM.
    const iam = (body: string, method: 'post' | 'get' = 'post') => t.http[method]('/v3/auth/tokens').set(json).send(body);
    await hit(await iam(login({ password: 'wrong' })), 'huawei/iam/auth-tokens.response.json');
    await hit(await iam(login({}, { name: 'cn-north-4' })), 'huawei/iam/auth-tokens.response.json');
    await hit(await iam('{"auth":{}}'), 'huawei/iam/auth-tokens.response.json');
    await hit(await t.http.delete('/v3/auth/tokens'), 'huawei/iam/auth-tokens.response.json');
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'KeystoneCreateUserTokenByPassword', count: 1 }).expect(201);
    await hit(await iam(login({})), 'huawei/iam/auth-tokens.response.json');
    // The expired token and the fault rule's KooPhone default, last: they move the clock and consume a rule.
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance', count: 1 }).expect(201);
    await hit(await post('/v1/instances/reboot', auth, ids('run1')));
    // The gateway's throttling answer: a rate limit of one call per 500 ms of emulator time, called twice.
    await t.http.post('/_emulator/faults').send({ provider: 'huawei', operation: 'BatchRebootInstance', rateLimit: { requests: 1, windowMs: 500 } }).expect(201);
    await hit(await post('/v1/instances/reboot', auth, ids('run1')));
    await hit(await post('/v1/instances/reboot', auth, ids('run1')));
    await t.http.delete('/_emulator/faults').expect(200);
    await t.advance(31 * 60 * 1000);
    await hit(await post('/v1/instances/reboot', { ...auth, 'X-Auth-Token': 'test-token-expiring' }, ids('run1')));

    expect([...reached].sort()).toEqual(entries.map((e) => e.name).sort());
    expectMatchesSchema('state.schema.json', await t.state());
  } finally {
    await t.close();
  }
});
