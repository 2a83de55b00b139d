/**
 * The ECE test world, one for every ECE test (test/elastic, test/robustness, ...): seeds with every
 * kind of credential and a few deployments, the credentials' Authorization headers (ECE signs
 * nothing: ApiKey, Basic and Bearer), an emulator started with them, and the contract check every
 * response goes through (status + body + x-cloud-error-codes against our schemas in
 * schemas/elastic/responses/, as the spec has them and closed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Response } from 'supertest';
import { SCHEMAS_DIR } from '../../../src/core/schemas.js';
import { startTestEmulator, type TestEmulator } from '../emulator.js';
import { schemas } from '../schema-check.js';

export const DEP = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const DEP2 = 'b2c3d4e5f60718293a4b5c6d7e8f90a1';
export const MISSING = 'ffffffffffffffffffffffffffffffff';

export const ADMIN = { Authorization: 'ApiKey admin-key' };
export const VIEWER = { Authorization: 'ApiKey viewer-key' };
export const DEPLOYMENT_VIEWER = { Authorization: 'ApiKey depviewer-key' };
export const MANAGER = { Authorization: 'ApiKey manager-key' };
export const SUDO = { Authorization: 'ApiKey sudo-key' };
export const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

export function seed(): Record<string, unknown> {
  return {
    elastic: {
      apiKeys: [
        { key: 'admin-key', role: 'platform_admin' },
        { key: 'viewer-key', role: 'platform_viewer' },
        { key: 'depviewer-key', role: 'deployment_viewer' },
        { key: 'manager-key', role: 'deployment_manager' },
        { key: 'sudo-key', role: 'platform_admin', elevation: 'required' },
      ],
      users: [
        { username: 'admin', password: 's3cret', role: 'platform_admin' },
        { username: 'reader', password: 'r3ad', role: 'platform_viewer' },
        { username: 'root', password: 'sudo-me', role: 'platform_admin', elevation: 'required' },
      ],
      deployments: [
        {
          id: DEP,
          name: 'search-prod',
          resources: {
            kibana: [{ ref_id: 'main-kibana', info: { status: 'started' } }],
            apm: [{ ref_id: 'main-apm', info: { status: 'started' } }],
            integrations_server: [{ ref_id: 'main-integrations_server', info: { status: 'stopped' } }],
            enterprise_search: [{ ref_id: 'main-enterprise_search', info: { status: 'started' }, _emulator: { failNextPlan: true } }],
            appsearch: [{ ref_id: 'main-appsearch', info: { status: 'started' }, _emulator: { gone: true } }],
          },
        },
        {
          id: DEP2,
          name: 'logs',
          resources: {
            kibana: [
              { ref_id: 'kibana-a', info: { status: 'reconfiguring', plan_info: { pending: { plan: { kibana: { version: '8.15.3' } } } } } },
              { ref_id: 'kibana-b', info: { status: 'started' } },
            ],
          },
        },
      ],
    },
  };
}

export async function startElastic(): Promise<TestEmulator> {
  const t = await startTestEmulator();
  await t.seed(seed());
  return t;
}

const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** Headers the contract looks at: the error codes, and those get-deployment declares on its 200. */
const CONTRACT_HEADERS = ['x-cloud-error-codes', 'x-cloud-resource-version', 'x-cloud-resource-created', 'x-cloud-resource-last-modified'];

/**
 * Our schemas as the spec has them are open (Swagger objects allow unknown fields). To catch the
 * emulator inventing or misspelling a field, every response is also checked against a copy in
 * which each definition with declared properties is closed.
 */
let closed: Ajv | undefined;
function closedValidator(id: string): ValidateFunction {
  if (!closed) {
    closed = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
    addFormats(closed);
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []));
    for (const file of walk(path.join(SCHEMAS_DIR, 'elastic'))) {
      const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (schema.$id === 'elastic/definitions.json') {
        for (const def of Object.values<any>(schema.definitions)) if (def.properties && def.additionalProperties === undefined) def.additionalProperties = false;
      }
      closed.addSchema(schema);
    }
  }
  const v = closed.getSchema(id);
  if (!v) throw new Error(`no schema ${id}`);
  return v;
}

/**
 * Validates one response against its operation's schema (as the spec has it, then closed); for errors, the header must name exactly
 * the codes of the body; for successes, there is no error header. Nothing under `_emulator` leaks.
 */
export function contract(_t: TestEmulator, operation: string, res: Response): void {
  const headers: Record<string, string> = {};
  for (const h of CONTRACT_HEADERS) if (res.headers[h] !== undefined) headers[h] = String(res.headers[h]);
  const envelope = { status: res.status, headers, body: res.body };
  const id = `elastic/responses/${operation}.json`;
  const problems = schemas().check(id, envelope);
  if (problems.length > 0) {
    throw new Error(`${operation} ${res.status} does not match its schema:\n${problems.map((p) => p.message).join('\n')}\n${JSON.stringify(res.body).slice(0, 2000)}`);
  }
  const strict = closedValidator(id);
  if (!strict(envelope)) {
    const fields = (strict.errors ?? []).filter((e) => e.keyword === 'additionalProperties').map((e) => `${e.instancePath}: ${(e.params as any).additionalProperty}`);
    throw new Error(`${operation} ${res.status} carries fields the spec does not define:\n${[...new Set(fields)].join('\n') || JSON.stringify(strict.errors).slice(0, 1000)}`);
  }
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  if (res.status >= 400) {
    expect(headers['x-cloud-error-codes']).toBe(res.body.errors.map((e: { code: string }) => e.code).join(','));
  } else {
    expect(headers['x-cloud-error-codes']).toBeUndefined();
  }
  expect(JSON.stringify(res.body)).not.toContain('_emulator');
}

export function errorCode(res: Response): string {
  return res.body?.errors?.[0]?.code;
}

type Method = 'get' | 'post' | 'delete';

/** One ECE call, checked against the operation's contract before the test looks at it. */
export async function call(
  t: TestEmulator,
  operation: string,
  method: Method,
  path: string,
  headers: Record<string, string> = ADMIN,
  body?: unknown,
): Promise<Response> {
  let req = t.http[method](path).set(headers);
  if (body !== undefined) req = typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body as object);
  const res = await req;
  contract(t, operation, res);
  return res;
}

export const RESTART = 'restart-deployment-stateless-resource';
export const SHUTDOWN = 'shutdown-deployment-stateless-resource';
export const GET_DEPLOYMENT = 'get-deployment';
export const LIST = 'list-deployments';
export const KIBANA_INFO = 'get-deployment-kib-resource-info';
export const ACTIVITY = 'get-deployment-resource-plan-activity';
export const CANCEL = 'cancel-deployment-resource-pending-plan';
/** Paths that name no operation are checked against the gateway errors alone. */
export const NO_ROUTE = 'common-errors';

export const restartPath = (dep: string, kind: string, ref: string, query = '') => `/api/v1/deployments/${dep}/${kind}/${ref}/_restart${query}`;

/** The robustness suites' deployment: every kind, a second Kibana (so `_main` is ambiguous), a pending APM plan. */
export const ROBUST_DEP = 'abcdef0123456789abcdef0123456789';

/** Credentials of every role, tokens expired and orphaned, and ROBUST_DEP. */
export function robustSeed(): Record<string, unknown> {
  return {
    elastic: {
      apiKeys: [
        { key: 'robust-admin', role: 'platform_admin' },
        { key: 'robust-viewer', role: 'platform_viewer' },
        { key: 'robust-sudo', role: 'platform_admin', elevation: 'required' },
      ],
      users: [{ username: 'robust', password: 'pw', role: 'platform_admin' }],
      tokens: [
        { token: 'robust-expired', apiKey: 'robust-admin', issuedAt: Date.parse('2026-01-15T06:00:00Z'), expiresAt: Date.parse('2026-01-15T07:00:00Z') },
        { token: 'robust-orphan', apiKey: 'a-key-that-is-gone', issuedAt: Date.parse('2026-01-15T07:00:00Z'), expiresAt: Date.parse('2026-01-16T07:00:00Z') },
        { token: 'robust-orphan-user', username: 'nobody', issuedAt: Date.parse('2026-01-15T07:00:00Z'), expiresAt: Date.parse('2026-01-16T07:00:00Z') },
      ],
      deployments: [
        {
          id: ROBUST_DEP,
          name: 'robust',
          resources: {
            kibana: [
              { ref_id: 'main-kibana', info: { status: 'started' } },
              { ref_id: 'second-kibana', info: { status: 'started' } },
            ],
            appsearch: [{ ref_id: 'main-appsearch' }],
            enterprise_search: [{ ref_id: 'main-enterprise_search' }],
            integrations_server: [{ ref_id: 'main-integrations_server' }],
            apm: [{ ref_id: 'main-apm', info: { status: 'reconfiguring', plan_info: { pending: { plan: { apm: { version: '8.15.3' } } } } } }],
          },
        },
      ],
    },
  };
}
