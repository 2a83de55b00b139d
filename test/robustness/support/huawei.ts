/**
 * Malformed Huawei calls: KooPhone behind the API gateway (reboot, batch-query-status, batch-query)
 * and IAM's POST /v3/auth/tokens. Each is otherwise valid (a seeded X-Auth-Token, an x-request-id,
 * or a signature over the exact bytes sent), so what is wrong is the bad part.
 */
import type { TestEmulator } from '../../support/emulator.js';
import { AK, EXPIRED_TOKEN as EXPIRED, OTHER_PROJECT, OTHER_TOKEN, PROJECT, SK, TOKEN, huaweiWorld, sign as worldSign } from '../../support/worlds/huawei.js';
import { BAD_ESCAPES, BAD_JSON, BAD_UTF8, bigJson, type Case, DEPTHS, deepArray, deepObject, encodingCases, type EnvelopeCheck, lastNeeds, markAuth, HUGE, LONG, OVERSIZE, type Rand, pick, UNICODE, WRONG_METHODS } from './fuzz.js';

export const PHONE = 'hwrobust01';
const FOREIGN = 'hwforeign1';

export function huaweiSeed(): Record<string, unknown> {
  return huaweiWorld([{ instance_id: PHONE, project_id: PROJECT }, { instance_id: FOREIGN, project_id: OTHER_PROJECT }], { expiredToken: true });
}

type Headers = Record<string, string | string[]>;
const JSON_HEADERS = (): Headers => ({ 'content-type': 'application/json', 'x-auth-token': TOKEN, 'x-request-id': 'robust-1' });

const REBOOT = '/v1/instances/reboot';
const STATUS = '/v1/instances/batch-query-status';
const LIST = '/v1/instances/batch-query';
const IAM = '/v3/auth/tokens';

const validToken = () => ({
  auth: {
    identity: { methods: ['password'], password: { user: { name: 'alice', password: 'correct horse', domain: { name: 'acme' } } } },
    scope: { project: { name: 'cn-south-1' } },
  },
});

/** Sets a dotted path in a copy of `doc` (undefined removes it). */
function withPath(doc: any, path: string, value: unknown): any {
  const copy = structuredClone(doc);
  const parts = path.split('.');
  let node = copy;
  for (const part of parts.slice(0, -1)) node = node[part];
  const last = parts.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** SDK-HMAC-SHA256 over the request as sent (the world's signer). */
function sign(method: string, path: string, query: string, headers: Record<string, string>, body: Buffer, sk = SK): Record<string, string> {
  return worldSign({ method, path, query, headers, body, ak: AK, sk });
}

export function huaweiCases(_host: string, rand: Rand): Case[] {
  const cases: Case[] = [];
  const add = (op: string, name: string, req: Case['req'], expect: Case['expect'] = 'reject') => cases.push({ op, name, req, expect });

  // The two POST bodies that take instance_ids.
  for (const [op, path] of [
    ['BatchRebootInstance', REBOOT],
    ['BatchQueryStatus', STATUS],
  ] as const) {
    const post = (name: string, body: string | Buffer, headers: Headers = JSON_HEADERS(), method = 'POST', expect: Case['expect'] = 'reject') =>
      add(op, name, { method, path, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) }, expect);
    const good = JSON.stringify({ instance_ids: [PHONE] });
    post('no body', '');
    post('an empty object', '{}');
    for (const v of [null, true, 0, -1.5, 'x', PHONE, {}, { 0: PHONE }, [], [1], [null], [true], [[PHONE]], [{ id: PHONE }], [''], [PHONE, PHONE], ['ghost'], [FOREIGN], ['z'.repeat(33)], Array.from({ length: 101 }, (_, i) => `p${i}`)]) {
      post(`instance_ids=${JSON.stringify(v).slice(0, 40)}`, JSON.stringify({ instance_ids: v }));
    }
    for (const v of [null, 7, '"x"', `[${good}]`, `"${PHONE}"`]) post(`a body of ${String(v).slice(0, 30)}`, String(v));
    post('instance_ids of 200 kB', JSON.stringify({ instance_ids: [HUGE] }));
    for (let i = 0; i < 4; i++) post('instance_ids in unicode', JSON.stringify({ instance_ids: [pick(rand, UNICODE) + pick(rand, UNICODE)] }));
    post('instance_ids with a lone surrogate escape', `{"instance_ids":["\\ud800"]}`);
    post('instance_ids with a NUL escape', `{"instance_ids":["${PHONE}\\u0000"]}`);
    for (const bad of BAD_JSON) post(`invalid JSON ${JSON.stringify(bad)}`, bad);
    for (const bytes of BAD_UTF8) post(`invalid UTF-8 ${bytes.toString('hex')}`, Buffer.concat([Buffer.from('{"instance_ids":["'), bytes, Buffer.from('"]}')]));
    post('a UTF-16 body', Buffer.from(good, 'utf16le'));
    for (const depth of DEPTHS) {
      post(`instance_ids nested ${depth} deep`, `{"instance_ids":${deepArray(depth)}}`);
      post(`a bad body with an extra field nested ${depth} deep`, `{"instance_ids":"x","extra":${deepObject(depth)}}`);
    }
    post('instance_ids twice, good then bad', `{"instance_ids":["${PHONE}"],"instance_ids":"${PHONE}"}`);
    post('instance_ids twice, both bad', `{"instance_ids":[],"instance_ids":[7]}`);
    post('instance_ids under another case', JSON.stringify({ Instance_Ids: [PHONE] }));
    post('extra fields and a bad value', JSON.stringify({ instance_ids: 'x', project_id: PROJECT, __proto__: { instance_ids: [PHONE] }, constructor: { prototype: {} } }));
    post('a __proto__ key holding the ids', `{"__proto__":{"instance_ids":["${PHONE}"]}}`);
    for (const size of OVERSIZE) {
      post(`a body of ${size} bytes`, bigJson(size));
      lastNeeds(cases, 413);
    }
    for (const method of WRONG_METHODS) post(`method ${method}`, good, JSON_HEADERS(), method);
    post('method GET', '', JSON_HEADERS(), 'GET');
    // Auth: no credential, unknown, expired, another project's, broken ones; x-request-id missing.
    const authFrom = cases.length;
    const auth = (name: string, change: (h: Headers) => void, body = good) => {
      const h = JSON_HEADERS();
      change(h);
      post(name, body, h);
    };
    auth('no X-Auth-Token', (h) => delete h['x-auth-token']);
    auth('an empty X-Auth-Token', (h) => void (h['x-auth-token'] = ''));
    auth('an unknown X-Auth-Token', (h) => void (h['x-auth-token'] = 'MIIunknown'));
    auth('an expired X-Auth-Token', (h) => void (h['x-auth-token'] = EXPIRED));
    auth("another project's token", (h) => void (h['x-auth-token'] = OTHER_TOKEN));
    auth('a token of latin1 bytes', (h) => void (h['x-auth-token'] = '\xff\xfe\xe9'));
    auth('a token of 6 kB', (h) => void (h['x-auth-token'] = LONG));
    auth('two X-Auth-Token headers, the first unknown', (h) => void (h['x-auth-token'] = ['MIIunknown', TOKEN]));
    const bad = JSON.stringify({ instance_ids: 'x' });
    auth('x-request-id of latin1 bytes, and a bad body', (h) => void (h['x-request-id'] = '\xff\xe9'), bad);
    auth('x-request-id of 40 kB, and a bad body', (h) => void (h['x-request-id'] = LONG.repeat(7)), bad);
    auth('x-request-id twice, and a bad body', (h) => void (h['x-request-id'] = ['a', 'b']), bad);
    // The query's x-request-id (only ListInstances documents it) is echoed when no header has one.
    for (const id of ['%FF', '%E2%9C%93', '%ED%A0%80']) {
      const { 'x-request-id': _id, ...noId } = JSON_HEADERS();
      add(op, `x-request-id=${id} in the query only, and a bad body`, { method: 'POST', path: `${path}?x-request-id=${id}`, headers: noId, body: Buffer.from(bad) }, 'error');
    }
        auth('a charset nobody speaks, and a bad body', (h) => void (h['content-type'] = 'application/json; charset=x-klingon'), bad);
        auth('Authorization Basic', (h) => {
      delete h['x-auth-token'];
      h.authorization = 'Basic Zm9vOmJhcg==';
    });
    auth('SDK-HMAC-SHA256 that does not parse', (h) => {
      delete h['x-auth-token'];
      h.authorization = 'SDK-HMAC-SHA256 nonsense';
      h['x-sdk-date'] = '20260115T080000Z';
    });
    const signedHeaders = (sk?: string, date = '20260115T080000Z', body = good) => {
      const { 'x-auth-token': _t, ...rest } = JSON_HEADERS() as Record<string, string>;
      return sign('POST', path, '', { ...rest, 'x-sdk-date': date, host: 'localhost' }, Buffer.from(body), sk);
    };
    post('AK/SK signed with the wrong secret', good, signedHeaders('wrong'));
    post('AK/SK signed, the body changed after', JSON.stringify({ instance_ids: [FOREIGN] }), signedHeaders());
    post('AK/SK with a bad X-Sdk-Date', good, signedHeaders(SK, 'yesterday'));
    post('AK/SK signed an hour early', good, signedHeaders(SK, '20260115T070000Z'));
    post('AK/SK with another X-Project-Id', good, { ...signedHeaders(), 'X-Project-Id': OTHER_PROJECT });
    markAuth(cases, authFrom);
    // Random mixes (PRNG-drawn): a bad value under noise in the headers and around the body.
    const badIds: unknown[] = [null, 7, 'x', [], [7], [''], [[PHONE]], ['ghost'], [FOREIGN], { 0: PHONE }];
    for (let n = 0; n < 10; n++) {
      const h = JSON_HEADERS();
      if (rand() < 0.5) h['x-request-id'] = pick(rand, ['\xe9', LONG, 'a,b', ' padded ']);
      if (rand() < 0.3) h['content-type'] = pick(rand, ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16']);
      const badToken = rand() < 0.3;
      if (badToken) h['x-auth-token'] = pick(rand, [EXPIRED, 'nope']); // (not the other project's: it owns FOREIGN)
      const body = { instance_ids: pick(rand, badIds), [pick(rand, UNICODE)]: pick(rand, [deepObject(50), LONG, null]) };
      post(`mix ${n}`, JSON.stringify(body), h);
      if (badToken) markAuth(cases, cases.length - 1);
    }
        // Missing x-request-id: KOOPHONE.API.0002, documented with HTTP 200 (a setting picks 400).
    const h = JSON_HEADERS();
    delete h['x-request-id'];
    add(op, 'no x-request-id', { method: 'POST', path, headers: h, body: Buffer.from(good) }, 'error');
  }

  // ListInstances: everything in the query.
  const list = (name: string, query: string, headers: Headers = { 'x-auth-token': TOKEN }, method = 'GET', expect: Case['expect'] = 'reject', body?: Buffer) =>
    add('ListInstances', name, { method, path: `${LIST}?${query}`, headers, body }, expect);
  const q = (over: Record<string, string | undefined>) =>
    Object.entries({ 'x-request-id': 'robust-2', page_no: '1', page_size: '10', ...over })
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
  list('no page_no', q({ page_no: undefined }));
  list('no page_size', q({ page_size: undefined }));
  for (const v of ['0', '-1', '1.5', '1e3', 'a', '', '%20', '9999999999', '%EF%BC%91', '0x1']) list(`page_no=${v}`, q({ page_no: v }));
  for (const v of ['0', '1001', '-5', 'ten', '', '10.0']) list(`page_size=${v}`, q({ page_size: v }));
  list('page_no twice', `${q({})}&page_no=2`);
  list('page_size twice, both bad', `${q({ page_size: '0' })}&page_size=x`);
  list('page_no as a bracket array', q({ page_no: undefined }) + '&page_no[]=1');
  list('instance_id of 33 characters', q({ instance_id: 'i'.repeat(33) }));
  list('instance_id of 40 kB', q({ instance_id: LONG.repeat(7) }));
  list('instance_id twice', q({ instance_id: PHONE }) + `&instance_id=${PHONE}`);
  list('pool_scene_tag unknown', q({ pool_scene_tag: 'CLOUD_TV' }));
  for (const v of ['2026-13-01 00:00:00', '2026-01-15', 'now', '2026-01-15T08:00:00Z', '2026-02-30 00:00:00']) list(`query_start_time=${v}`, q({ query_start_time: encodeURIComponent(v) }));
  list('end before start', q({ query_start_time: encodeURIComponent('2026-01-15 08:00:00'), query_end_time: encodeURIComponent('2026-01-14 08:00:00') }));
  for (const esc of BAD_ESCAPES) list(`page_no with the escape ${esc}`, q({ page_no: `1${esc}` }));
  for (const esc of BAD_ESCAPES) list(`instance_name with the escape ${esc}`, q({ instance_name: `n${esc}` }), undefined, 'GET', 'tolerate');
  // x-request-id from the query may decode to text no header can carry: the answer must still come.
  for (const esc of BAD_ESCAPES) list(`x-request-id with the escape ${esc}`, q({ 'x-request-id': `r${esc}` }), undefined, 'GET', 'tolerate');
  list('x-request-id in unicode', q({ 'x-request-id': encodeURIComponent(pick(rand, UNICODE)) }), undefined, 'GET', 'tolerate');
  list('x-request-id of 40 kB', q({ 'x-request-id': LONG.repeat(7) }), undefined, 'GET', 'tolerate');
    list('instance_name of raw latin1 bytes', q({ instance_name: '\xff\xe9' }), undefined, 'GET', 'unparsable');
  list('instance_name in unicode', q({ instance_name: encodeURIComponent(pick(rand, UNICODE)) }), undefined, 'GET', 'tolerate');
  list('extra params only', `${q({})}&foo=bar&a[b]=c&%zz=1&${encodeURIComponent('名')}=1`, undefined, 'GET', 'tolerate');
  list('page_no of a raw latin1 byte', `${q({ page_no: '\xff' })}`, undefined, 'GET', 'unparsable');
  for (const size of OVERSIZE) {
    list(`a body of ${size} bytes`, q({}), { 'x-auth-token': TOKEN, 'content-type': 'application/json' }, 'GET', 'reject', bigJson(size));
    lastNeeds(cases, 413);
  }
  for (const method of [...WRONG_METHODS, 'POST']) list(`method ${method}`, q({}), { 'x-auth-token': TOKEN }, method);
  const listAuthFrom = cases.length;
  list('no X-Auth-Token', q({}), {});
  list('an unknown X-Auth-Token', q({}), { 'x-auth-token': 'nope' });
  list('an expired X-Auth-Token', q({}), { 'x-auth-token': EXPIRED });
  list('a token of latin1 bytes', q({}), { 'x-auth-token': '\xe9' });
  list('Authorization of another scheme', q({}), { authorization: 'Bearer x' });
  list('AK/SK signed with the wrong secret', q({}), sign('GET', LIST, q({}), { 'x-sdk-date': '20260115T080000Z', host: 'localhost' }, Buffer.alloc(0), 'wrong'));
  list('AK/SK signed, the query changed after', q({ page_size: '11' }), sign('GET', LIST, q({}), { 'x-sdk-date': '20260115T080000Z', host: 'localhost' }, Buffer.alloc(0)));
  markAuth(cases, listAuthFrom);
  // Correctly signed with AK/SK, so the bad part reaches the schema: broken escapes, unicode, a list.
  const signedList = (name: string, query: string) => list(name, query, sign('GET', LIST, query, { 'x-sdk-date': '20260115T080000Z', host: 'localhost' }, Buffer.alloc(0)));
  for (const esc of BAD_ESCAPES) signedList(`AK/SK signed, page_size with the escape ${esc}`, q({ page_size: `10${esc}` }));
  signedList('AK/SK signed, page_no in unicode', q({ page_no: encodeURIComponent('١') }));
  signedList('AK/SK signed, page_no twice', `${q({})}&page_no=1`);
  signedList('AK/SK signed, pool_scene_tag in lower case', q({ pool_scene_tag: 'cloud_phone' }));
    list('no x-request-id anywhere', q({ 'x-request-id': undefined }), { 'x-auth-token': TOKEN }, 'GET', 'error');

  // IAM: the token call's body.
  const iam = (name: string, body: string | Buffer, method = 'POST', headers: Headers = { 'content-type': 'application/json' }) =>
    add('KeystoneCreateUserTokenByPassword', name, { method, path: IAM, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
  const paths = [
    'auth',
    'auth.identity',
    'auth.scope',
    'auth.identity.methods',
    'auth.identity.password',
    'auth.identity.password.user',
    'auth.identity.password.user.name',
    'auth.identity.password.user.password',
    'auth.identity.password.user.domain',
    'auth.scope.project',
  ];
  for (const path of paths) {
    iam(`missing ${path}`, JSON.stringify(withPath(validToken(), path, undefined)));
    for (const v of [null, 7, 'x', [], [validToken()], true]) {
      if (path === 'auth.identity.methods' && Array.isArray(v)) continue;
      iam(`${path}=${JSON.stringify(v).slice(0, 30)}`, JSON.stringify(withPath(validToken(), path, v)));
      // A string where a string goes is only a wrong name or password.
      if (typeof v === 'string' && /user\.(name|password)$/.test(path)) markAuth(cases, cases.length - 1);
    }
  }
  iam('methods without password', JSON.stringify(withPath(validToken(), 'auth.identity.methods', ['token'])));
  iam('methods of numbers', JSON.stringify(withPath(validToken(), 'auth.identity.methods', ['password', 1])));
  iam('an empty domain', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.domain', {})));
  iam('an empty project', JSON.stringify(withPath(validToken(), 'auth.scope.project', {})));
  iam('an empty user name', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.name', '')));
  const iamAuthFrom = cases.length;
  iam('a wrong password', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.password', 'wrong')));
  iam('a password of 200 kB', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.password', HUGE)));
  iam('an unknown user', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.name', pick(rand, UNICODE))));
  iam('a user name of 200 kB', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.name', HUGE)));
  iam('another domain', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.domain', { name: 'other' })));
  iam('a domain id that is not the user’s', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.domain', { name: 'acme', id: 'nope' })));
  iam('a project the user is not in', JSON.stringify(withPath(validToken(), 'auth.scope.project', { name: 'cn-north-4' })));
  iam('a project id in unicode', JSON.stringify(withPath(validToken(), 'auth.scope.project', { id: pick(rand, UNICODE) })));
  iam('password twice, good then wrong', JSON.stringify(validToken()).replace('"password":"correct horse"', '"password":"correct horse","password":"wrong"'));
  markAuth(cases, iamAuthFrom);
  iam('a password key holding a list', JSON.stringify(withPath(validToken(), 'auth.identity.password.user.password', ['correct horse'])));
  iam('no body', '');
  for (const bad of BAD_JSON) iam(`invalid JSON ${JSON.stringify(bad)}`, bad);
  for (const bytes of BAD_UTF8) iam(`invalid UTF-8 ${bytes.toString('hex')}`, Buffer.concat([Buffer.from(JSON.stringify(validToken()).slice(0, -1) + ',"x":"'), bytes, Buffer.from('"}')]));
  for (const depth of DEPTHS) {
    iam(`the scope nested ${depth} deep`, JSON.stringify(validToken()).replace(/"scope":\{.*\}\}\}$/, `"scope":${deepObject(depth)}}}`));
    iam(`a wrong password and a field nested ${depth} deep`, JSON.stringify(withPath(validToken(), 'auth.identity.password.user.password', 'wrong')).slice(0, -1) + `,"deep":${deepArray(depth)}}`);
    markAuth(cases, cases.length - 1);
  }
  for (const size of OVERSIZE) {
    iam(`a body of ${size} bytes`, bigJson(size));
    lastNeeds(cases, 413);
  }
  for (const method of [...WRONG_METHODS, 'GET']) iam(`method ${method}`, JSON.stringify(validToken()), method);
  for (const control of huaweiControls()) cases.push(...encodingCases(control.op, control.req));
  return cases;
}

const HEX32 = /^[0-9a-f]{32}$/;

/** KooPhone `{error_code, error_msg}`, the gateway's `{error_msg, error_code, request_id}`, IAM's `{error:{code,message,title}}`. */
export function huaweiEnvelope(t: TestEmulator): EnvelopeCheck {
  const schema = (id: string, body: unknown) => t.ctx.schemas.check(id, body).map((e) => e.message)[0];
  return (res, c) => {
    if (!res.headers['x-request-id']) return 'no X-Request-Id';
    const b = res.json;
    if (typeof b.error_code === 'string' && /^APIGW?\./.test(b.error_code)) {
      if (!HEX32.test(b.request_id)) return 'gateway request_id is not 32 hex';
      if (res.status < 400) return 'a gateway error with a 2xx';
      return schema('huawei/gateway/error.response.json', b);
    }
    if (c.op === 'KeystoneCreateUserTokenByPassword') {
      if (res.status < 400) return schema('huawei/iam/auth-tokens.response.json', b);
      if (b.error?.code !== res.status) return 'IAM error.code is not the status';
      return schema('huawei/iam/error.response.json', b);
    }
    if (typeof b.error_code === 'string' && b.error_code.startsWith('KOOPHONE.API.')) {
      if (res.status < 400 && b.error_code !== 'KOOPHONE.API.0002') return 'a KooPhone error with a 2xx';
      return schema('huawei/koophone/error.response.json', b);
    }
    if (c.expect === 'error') return 'not an error envelope';
    const success = { BatchRebootInstance: 'reboot', BatchQueryStatus: 'batch-query-status', ListInstances: 'batch-query' }[c.op];
    return res.status < 300 ? schema(`huawei/koophone/${success}.response.json`, b) : 'not a Huawei envelope';
  };
}

export function huaweiControls(): Array<{ op: string; req: Case['req'] }> {
  const body = (v: unknown) => Buffer.from(JSON.stringify(v));
  return [
    { op: 'BatchQueryStatus', req: { method: 'POST', path: STATUS, headers: JSON_HEADERS(), body: body({ instance_ids: [PHONE] }) } },
    { op: 'ListInstances', req: { method: 'GET', path: `${LIST}?x-request-id=r&page_no=1&page_size=10`, headers: { 'x-auth-token': TOKEN } } },
    { op: 'BatchRebootInstance', req: { method: 'POST', path: REBOOT, headers: JSON_HEADERS(), body: body({ instance_ids: [PHONE] }) } },
    { op: 'KeystoneCreateUserTokenByPassword', req: { method: 'POST', path: IAM, headers: { 'content-type': 'application/json' }, body: body(validToken()) } },
  ];
}
