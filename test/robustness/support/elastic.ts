/**
 * Malformed ECE calls on every route the elastic router serves, each otherwise valid (an API key of
 * the right role, or the login's own body), so what is wrong is the bad part.
 */
import type { TestEmulator } from '../../support/emulator.js';
import { schemas } from '../../support/schema-check.js';
import { BAD_ESCAPES, BAD_JSON, BAD_UTF8, bigJson, type Case, DEPTHS, deepArray, deepObject, encodingCases, type EnvelopeCheck, lastNeeds, markAuth, LONG, OVERSIZE, type Rand, pick, UNICODE, WRONG_METHODS } from './fuzz.js';

export { ROBUST_DEP as DEP, robustSeed as elasticSeed } from '../../support/worlds/elastic.js';
import { ROBUST_DEP as DEP } from '../../support/worlds/elastic.js';
const ADMIN = 'ApiKey robust-admin';

interface Route {
  op: string;
  method: string;
  path: string;
  /** Changes state when it succeeds (so noise that is ignored is only ever sent with a bad part). */
  write: boolean;
  /** Needs a managing role (viewer → 403) and, for a credential that requires it, elevation (449). */
  command?: boolean;
  anonymous?: boolean;
  booleans?: string[];
  integers?: string[];
  /** The path with one segment replaced, for ids that name nothing (404). */
  unknownPaths?: string[];
  body?: 'login' | 'elevate';
  /** The base body (login needs one). */
  baseBody?: unknown;
}

function routes(attemptId: string): Route[] {
  const d = `/api/v1/deployments/${DEP}`;
  const info = (kind: string, op: string): Route => ({
    op,
    method: 'GET',
    path: `${d}/${kind}/main-${kind}`,
    write: false,
    // The five kinds share one query parser: every flag on Kibana, three on the others.
    booleans: ['show_metadata', 'show_plans', 'show_plan_logs', 'show_plan_history', 'show_plan_defaults', 'show_settings', 'clear_transient'].slice(0, kind === 'kibana' ? 7 : 3),
    unknownPaths: [`/api/v1/deployments/ffffffffffffffffffffffffffffffff/${kind}/main-${kind}`, `${d}/${kind}/nope`, ...(kind === 'kibana' ? [`${d}/kibana/_main`] : [])],
  });
  return [
    { op: 'login', method: 'POST', path: '/api/v1/users/auth/_login', write: true, anonymous: true, body: 'login', baseBody: { username: 'robust', password: 'pw' } },
    { op: 'elevate-permissions', method: 'POST', path: '/api/v1/users/auth/_elevate', write: true, body: 'elevate', baseBody: { token: '123456' } },
    { op: 'disable-elevated-permissions', method: 'DELETE', path: '/api/v1/users/auth/_elevate', write: true },
    { op: 'refresh-token', method: 'POST', path: '/api/v1/users/auth/_refresh', write: true },
    { op: 'list-deployments', method: 'GET', path: '/api/v1/deployments', write: false },
    {
      op: 'get-deployment',
      method: 'GET',
      path: d,
      write: false,
      booleans: ['show_security', 'show_metadata', 'show_plans', 'show_plan_logs', 'show_plan_history', 'show_plan_defaults', 'convert_legacy_plans', 'show_settings', 'show_instance_configurations', 'enrich_with_template', 'force_all_plan_history', 'clear_transient'],
      integers: ['show_system_alerts'],
      unknownPaths: ['/api/v1/deployments/ffffffffffffffffffffffffffffffff', '/api/v1/deployments/not-hex'],
    },
    info('kibana', 'get-deployment-kib-resource-info'),
    info('apm', 'get-deployment-apm-resource-info'),
    info('appsearch', 'get-deployment-appsearch-resource-info'),
    info('enterprise_search', 'get-deployment-enterprise-search-resource-info'),
    info('integrations_server', 'get-deployment-integrations-server-resource-info'),
    {
      op: 'restart-deployment-stateless-resource',
      method: 'POST',
      path: `${d}/kibana/main-kibana/_restart`,
      write: true,
      command: true,
      booleans: ['cancel_pending'],
      unknownPaths: [`/api/v1/deployments/ffffffffffffffffffffffffffffffff/kibana/main-kibana/_restart`, `${d}/kibana/nope/_restart`, `${d}/kibanas/main-kibana/_restart`, `${d}/apm/main-apm/_restart`],
    },
    {
      op: 'shutdown-deployment-stateless-resource',
      method: 'POST',
      path: `${d}/kibana/second-kibana/_shutdown`,
      write: true,
      command: true,
      booleans: ['hide', 'skip_snapshot'],
      unknownPaths: [`/api/v1/deployments/ffffffffffffffffffffffffffffffff/kibana/main-kibana/_shutdown`, `${d}/kibana/nope/_shutdown`, `${d}/Kibana/main-kibana/_shutdown`],
    },
    {
      op: 'get-deployment-resource-plan-activity',
      method: 'GET',
      path: `${d}/kibana/main-kibana/activity/${attemptId}`,
      write: false,
      unknownPaths: [`${d}/kibana/main-kibana/activity/nope`, `${d}/kibana/nope/activity/${attemptId}`, `${d}/kibanas/main-kibana/activity/${attemptId}`, `/api/v1/deployments/ffffffffffffffffffffffffffffffff/kibana/main-kibana/activity/${attemptId}`],
    },
    {
      op: 'cancel-deployment-resource-pending-plan',
      method: 'DELETE',
      path: `${d}/apm/main-apm/plan/pending`,
      write: true,
      command: true,
      booleans: ['force_delete', 'ignore_missing'],
      unknownPaths: [`${d}/kibana/main-kibana/plan/pending`, `${d}/apm/nope/plan/pending`, `/api/v1/deployments/ffffffffffffffffffffffffffffffff/apm/main-apm/plan/pending`, `${d}/apms/main-apm/plan/pending`],
    },
  ];
}

const BOOL_BAD = ['yes', '1', '', 'TRUE1', 'nope', '%E2%9C%93', 'tru%65%00', LONG];
const INT_BAD = ['a', '1.5', '1e3', '99999999999999999999', '', '0x1', '%FF'];

let servedAttemptId: string | undefined;

/** A seeded deployment is stored compact until its first change: its attempt id is what a GET shows. */
export async function elasticPrepare(t: TestEmulator): Promise<void> {
  const res = await t.http.get(`/api/v1/deployments/${DEP}/kibana/main-kibana`).set('authorization', ADMIN);
  servedAttemptId = res.body.info.plan_info.current.plan_attempt_id;
}

export function attemptIdOf(state: any): string {
  const dep = state.elastic.deployments.find((x: any) => x.id === DEP);
  return dep.resources.kibana[0].info.plan_info?.current?.plan_attempt_id ?? servedAttemptId!;
}

export function elasticCases(_host: string, rand: Rand, state: any): Case[] {
  const cases: Case[] = [];
  for (const r of routes(attemptIdOf(state))) {
    const baseBody = r.baseBody === undefined ? undefined : Buffer.from(JSON.stringify(r.baseBody));
    /** `auth` null sends no Authorization; undefined the route's usual one. */
    const headers = (auth?: string | string[] | null, body: Buffer<ArrayBufferLike> | undefined = baseBody): Record<string, string | string[]> => ({
      ...((auth === undefined ? (r.anonymous ? null : ADMIN) : auth) === null ? {} : { authorization: (auth ?? ADMIN) as string | string[] }),
      ...(body ? { 'content-type': 'application/json' } : {}),
    });
    const add = (name: string, req: Partial<Case['req']>, expect: Case['expect'] = 'reject') => {
      const body = 'body' in req ? req.body : baseBody;
      cases.push({ op: r.op, name, req: { method: req.method ?? r.method, path: req.path ?? r.path, headers: req.headers ?? headers(undefined, body), body }, expect });
    };
    const withQuery = (q: string) => `${r.path}?${q}`;

    // Typed query parameters.
    // Every bad value on the route's first flag; a PRNG-drawn few on each of the others (the same parser reads them all).
    (r.booleans ?? []).forEach((name, i) => {
      const values = i === 0 ? BOOL_BAD : [pick(rand, BOOL_BAD)];
      const escapes = i === 0 ? BAD_ESCAPES : [pick(rand, BAD_ESCAPES)];
      for (const v of values) add(`${name}=${v.slice(0, 20)}`, { path: withQuery(`${name}=${v}`) });
      add(`${name} twice`, { path: withQuery(`${name}=true&${name}=false`) });
      add(`${name} twice, both true`, { path: withQuery(`${name}=true&${name}=true`) });
      add(`${name} in unicode`, { path: withQuery(`${name}=${encodeURIComponent(pick(rand, UNICODE))}`) });
      if (i === 0) add(`${name} with raw latin1 bytes`, { path: withQuery(`${name}=tr\xfce`) }, 'unparsable');
      for (const esc of escapes) add(`${name} with the escape ${esc}`, { path: withQuery(`${name}=true${esc}`) });
    });
    for (const name of r.integers ?? []) {
      for (const v of INT_BAD) add(`${name}=${v}`, { path: withQuery(`${name}=${v}`) });
      add(`${name} twice`, { path: withQuery(`${name}=1&${name}=2`) });
    }
    // Random mixes (PRNG-drawn): a bad flag or credential under noise.
    for (let n = 0; n < 6; n++) {
      const flag = r.booleans?.length ? `${pick(rand, r.booleans)}=${pick(rand, BOOL_BAD)}` : '';
      const noise = `${encodeURIComponent(pick(rand, UNICODE))}=${pick(rand, BAD_ESCAPES)}`;
      const auth = r.anonymous || (flag && rand() < 0.5) ? undefined : pick(rand, ['ApiKey nope', 'Bearer robust-expired', 'Basic %%%', null]);
      if (!flag && auth === undefined && !r.body) continue;
      const body = r.body && !flag && auth === undefined ? Buffer.from(pick(rand, BAD_JSON)) : baseBody;
      add(`mix ${n}`, { path: withQuery([flag, noise].filter(Boolean).join('&')), headers: headers(auth, body), body });
      if (auth !== undefined) markAuth(cases, cases.length - 1);
    }
    // Extra query params are ignored by ECE: on reads they may pass; never do they rescue a bad call.
    const extras = `unknown=1&a[b]=c&%zz=%zz&${encodeURIComponent(pick(rand, UNICODE))}=1`;
    if (!r.write) add('extra query params only', { path: withQuery(extras) }, 'tolerate');
    if (!r.anonymous) {
      add('extra query params and no credential', { path: withQuery(extras), headers: headers('ApiKey nope') });
      markAuth(cases, cases.length - 1);
    }

    // Ids that name nothing, in every shape.
    for (const path of r.unknownPaths ?? []) add(`path ${path.slice(-40)}`, { path });
    if (r.path.includes(DEP)) {
      add('a deployment id in unicode', { path: r.path.replace(DEP, encodeURIComponent(pick(rand, UNICODE))) });
      add('a deployment id of 40 kB', { path: r.path.replace(DEP, LONG.repeat(7)) });
      add('a deployment id of raw latin1 bytes', { path: r.path.replace(DEP, '\xe9\xff') }, 'unparsable');
      for (const esc of r.op === 'get-deployment' ? BAD_ESCAPES : [pick(rand, BAD_ESCAPES), pick(rand, BAD_ESCAPES)]) add(`a deployment id with the escape ${esc}`, { path: r.path.replace(DEP, `${DEP}${esc}`) });
      add('a deployment id as a list', { path: r.path.replace(DEP, `${DEP},${DEP}`) });
      // GET /deployments/ is the list (ECE's router, like ours, ignores the trailing slash).
      if (r.op !== 'get-deployment') add('an empty deployment id', { path: r.path.replace(DEP, '') });
      add('a dot-dot segment', { path: r.path.replace(DEP, `${DEP}/..`) });
    }
    add('no /api/v1 prefix', { path: r.path.replace('/api/v1', '/api/v2') });
    if (r.op !== 'list-deployments') add('a trailing segment', { path: `${r.path}/more` }); // /deployments/more is get-deployment

    // Wrong methods (every method this path does not serve).
    const served = new Set([r.method, ...(r.op.includes('elevate') ? ['POST', 'DELETE'] : [])]);
    for (const method of [...WRONG_METHODS, 'GET', 'POST', 'DELETE'].filter((m) => !served.has(m))) add(`method ${method}`, { method });

    // Bodies over the limit; broken bodies where a body is read (noise on reads).
    for (const size of OVERSIZE) {
      add(`a body of ${size} bytes`, { body: bigJson(size), headers: headers(undefined, Buffer.from('{}')) });
      lastNeeds(cases, 413);
    }
    if (r.body) {
      for (const bad of BAD_JSON) add(`invalid JSON ${JSON.stringify(bad)}`, { body: Buffer.from(bad) });
      for (const bytes of BAD_UTF8) add(`invalid UTF-8 ${bytes.toString('hex')}`, { body: Buffer.concat([Buffer.from('{"username":"'), bytes, Buffer.from('","password":"pw","token":"')]) });
      for (const depth of DEPTHS) {
        add(`a body nested ${depth} deep`, { body: Buffer.from(deepArray(depth)) });
        add(`a field nested ${depth} deep`, { body: Buffer.from(`{"username":${deepObject(depth)},"password":"pw","token":${deepArray(depth)}}`) });
      }
      for (const v of [null, 7, ...(r.body === 'login' ? ['x'] : []), [], ['pw'], {}, true]) {
        const key = r.body === 'login' ? 'password' : 'token';
        add(`${key}=${JSON.stringify(v)}`, { body: Buffer.from(JSON.stringify({ ...(r.baseBody as object), [key]: v })) });
        if (typeof v === 'string') markAuth(cases, cases.length - 1); // a password of the right type, only wrong
      }
      add('a body that is a list', { body: Buffer.from(JSON.stringify([r.baseBody ?? {}])) });
      add('a body that is a string', { body: Buffer.from('"x"') });
      add('a UTF-16 body', { body: Buffer.from(JSON.stringify(r.baseBody ?? { token: 'x' }), 'utf16le') });
    } else if (!r.write) {
      for (const bad of BAD_JSON.slice(0, 3)) add(`a GET with the body ${JSON.stringify(bad)}`, { body: Buffer.from(bad), headers: headers(undefined, Buffer.from('x')) }, 'tolerate');
    }
    if (r.body === 'login') {
      add('missing username', { body: Buffer.from(JSON.stringify({ password: 'pw' })) });
      add('missing password', { body: Buffer.from(JSON.stringify({ username: 'robust' })) });
      const loginAuthFrom = cases.length;
      add('a wrong password', { body: Buffer.from(JSON.stringify({ username: 'robust', password: 'wrong' })) });
      add('an unknown user in unicode', { body: Buffer.from(JSON.stringify({ username: pick(rand, UNICODE), password: 'pw' })) });
      add('password twice, good then wrong', { body: Buffer.from('{"username":"robust","password":"pw","password":"wrong"}') });
      add('a password of 200 kB', { body: Buffer.from(JSON.stringify({ username: 'robust', password: 'p'.repeat(200 * 1024) })) });
      markAuth(cases, loginAuthFrom);
      add('an operator in place of a name', { body: Buffer.from('{"username":{"$gt":""},"password":{"$ne":null}}') });
    }

    // Credentials.
    const authFrom = cases.length;
    if (!r.anonymous) {
      const auths: Array<[string, string | string[] | null]> = [
        ['no Authorization', null],
        ['an unknown API key', 'ApiKey nope'],
        ['ApiKey with no key', 'ApiKey'],
        ['ApiKey and spaces', 'ApiKey    '],
        ['Basic that is not base64', 'Basic %%%'],
        ['Basic with a wrong password', `Basic ${Buffer.from('robust:wrong').toString('base64')}`],
        ['Basic with no colon', `Basic ${Buffer.from('robust').toString('base64')}`],
        ['a Bearer token nobody issued', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x'],
        ['Bearer with no token', 'Bearer '],
        ['another scheme', 'Digest username="robust"'],
        ['latin1 bytes', 'ApiKey robust-admin\xe9'],
        ['a key of 6 kB', `ApiKey ${LONG}`],
        ['two headers, the first unknown', ['ApiKey nope', ADMIN]],
        ['the key in lower case', 'ApiKey ROBUST-ADMIN'],
        ['an expired Bearer token', 'Bearer robust-expired'],
        ["a Bearer token of a key that is gone", 'Bearer robust-orphan'],
        ["a Bearer token of a user who is gone", 'Bearer robust-orphan-user'],
        ['a Bearer token sent as an API key', 'ApiKey robust-expired'],
      ];
      for (const [name, auth] of auths) add(`auth: ${name}`, { headers: headers(auth) });
      if (r.command) {
        add('a viewer key', { headers: headers('ApiKey robust-viewer') });
        add('a key that must elevate first', { headers: headers('ApiKey robust-sudo') });
      }
    }
    markAuth(cases, authFrom);
  }
  for (const control of elasticControls(state)) cases.push(...encodingCases(control.op, control.req));
  return cases;
}

/** `{ errors: [{ code, message, fields? }] }` with x-cloud-error-codes naming the code; successes against the operation's schema. */
export function elasticEnvelope(t: TestEmulator): EnvelopeCheck {
  return (res, c) => {
    // The headers the spec declares for ECE answers (the schemas check which an answer must carry).
    const headers: Record<string, string> = {};
    for (const name of Object.keys(res.headers)) if (name.startsWith('x-cloud-')) headers[name] = String(res.headers[name]);
    if (res.status >= 400) {
      const errors = res.json.errors;
      if (!Array.isArray(errors) || errors.length === 0) return 'no errors list';
      for (const e of errors) if (typeof e.code !== 'string' || typeof e.message !== 'string') return 'an error without code or message';
      if (headers['x-cloud-error-codes'] !== errors.map((e: { code: string }) => e.code).join(',')) return 'x-cloud-error-codes does not name the codes';
    }
    const id = res.json.errors?.[0]?.code === 'root.resource_not_found' ? 'common-errors' : c.op;
    const problems = schemas().check(`elastic/responses/${id}.json`, { status: res.status, headers, body: res.json });
    return problems.length > 0 ? problems.map((p) => p.message).join('; ') : undefined;
  };
}

export function elasticControls(state: any): Array<{ op: string; req: Case['req'] }> {
  return routes(attemptIdOf(state)).map((r) => {
    const body = r.baseBody === undefined ? undefined : Buffer.from(JSON.stringify(r.baseBody));
    return { op: r.op, req: { method: r.method, path: r.path, headers: { ...(r.anonymous ? {} : { authorization: ADMIN }), ...(body ? { 'content-type': 'application/json' } : {}) }, body } };
  });
}
