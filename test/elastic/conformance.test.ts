/**
 * Conformance (issue 15): every operation the ECE protocol serves answers a default-seeded sandbox
 * with a success body that matches the official spec's definition of that success, found from the
 * operation's response schema (itself carried over from the spec), not written here: no required
 * field missing, no wrong type. `call` also checks it against the closed copy of the definitions
 * (every definition that lists its properties closed), so no field the spec does not define.
 */
import path from 'node:path';
import { elasticProtocol } from '../../src/providers/elastic/protocol.js';
import { expectMatchesSchema, schemas } from '../support/schema-check.js';
import { startTestEmulator, type TestEmulator } from '../support/emulator.js';
import { call } from './support.js';

const ADMIN = { Authorization: 'ApiKey ece-sandbox-admin-key' };
const SEARCH = '5b7c8d9e0f1a2b3c4d5e6f708192a3b4';
const OBS = '0c1d2e3f405162738495a6b7c8d9e0f1';
const APPS = 'abcabcabcabcabcabcabcabcabcabcab';
const d = (id: string, rest = '') => `/api/v1/deployments/${id}${rest}`;

/** The definition a success status of an operation answers with, as its response schema (from the spec) names it. */
function successDefinition(operation: string, status: number): string {
  const schema = schemas().ajv.getSchema(`elastic/responses/${operation}.json`)!.schema as any;
  const rule = schema.allOf.find((r: any) => r.if?.properties?.status?.const === status);
  const ref: string = rule.then.properties.body.$ref;
  return `elastic/definitions.json#/definitions/${ref.split('/').pop()}`;
}

interface Case {
  operation: string;
  method: 'get' | 'post' | 'delete';
  path: string;
  body?: unknown;
  status: number;
}

/** One or more successful calls per operation; the order matters only where a command prepares the next. */
const CASES: Case[] = [
  { operation: 'login', method: 'post', path: '/api/v1/users/auth/_login', body: { username: 'admin', password: 'admin-password' }, status: 200 },
  { operation: 'get-authentication-info', method: 'get', path: '/api/v1/users/auth', status: 200 },
  { operation: 'refresh-token', method: 'post', path: '/api/v1/users/auth/_refresh', status: 200 },
  { operation: 'elevate-permissions', method: 'post', path: '/api/v1/users/auth/_elevate', body: { token: '123456' }, status: 200 },
  { operation: 'get-authentication-info', method: 'get', path: '/api/v1/users/auth', status: 200 },
  { operation: 'disable-elevated-permissions', method: 'delete', path: '/api/v1/users/auth/_elevate', status: 200 },
  { operation: 'list-deployments', method: 'get', path: '/api/v1/deployments', status: 200 },
  { operation: 'get-deployment', method: 'get', path: d(SEARCH), status: 200 },
  {
    operation: 'get-deployment',
    method: 'get',
    path: d(OBS, '?show_plan_logs=true&show_plan_history=true&show_metadata=true&show_settings=true&show_system_alerts=5&force_all_plan_history=true'),
    status: 200,
  },
  { operation: 'get-deployment-es-resource-info', method: 'get', path: d(SEARCH, '/elasticsearch/main-elasticsearch?show_metadata=true&show_settings=true&show_system_alerts=3&show_plan_logs=true'), status: 200 },
  { operation: 'get-deployment-kib-resource-info', method: 'get', path: d(SEARCH, '/kibana/main-kibana?show_settings=true&show_metadata=true'), status: 200 },
  { operation: 'get-deployment-apm-resource-info', method: 'get', path: d(OBS, '/apm/main-apm?show_settings=true'), status: 200 },
  { operation: 'get-deployment-appsearch-resource-info', method: 'get', path: d(APPS, '/appsearch/main-appsearch?show_settings=true'), status: 200 },
  { operation: 'get-deployment-enterprise-search-resource-info', method: 'get', path: d(OBS, '/enterprise_search/main-enterprise_search?show_settings=true'), status: 200 },
  { operation: 'get-deployment-integrations-server-resource-info', method: 'get', path: d(SEARCH, '/integrations_server/main-integrations_server?show_settings=true'), status: 200 },
  { operation: 'restart-deployment-stateless-resource', method: 'post', path: d(SEARCH, '/kibana/main-kibana/_restart'), status: 202 },
  { operation: 'restart-deployment-es-resource', method: 'post', path: d(SEARCH, '/elasticsearch/_main/_restart?skip_snapshot=false&group_attribute=__name__&shard_init_wait_time=60'), status: 202 },
  { operation: 'cancel-deployment-resource-pending-plan', method: 'delete', path: d(SEARCH, '/elasticsearch/main-elasticsearch/plan/pending'), status: 200 },
  { operation: 'get-deployment-resource-plan-activity', method: 'get', path: d(SEARCH, '/kibana/main-kibana/activity/attempt-0000000000'), status: 200 },
  { operation: 'shutdown-deployment-stateless-resource', method: 'post', path: d(OBS, '/enterprise_search/main-enterprise_search/_shutdown'), status: 200 },
  { operation: 'start-deployment-resource-instances-all-maintenance-mode', method: 'post', path: d(OBS, '/elasticsearch/main-elasticsearch/instances/maintenance-mode/_start'), status: 202 },
  { operation: 'stop-deployment-resource-instances-all-maintenance-mode', method: 'post', path: d(OBS, '/elasticsearch/main-elasticsearch/instances/maintenance-mode/_stop'), status: 202 },
  { operation: 'start-deployment-resource-maintenance-mode', method: 'post', path: d(OBS, '/kibana/main-kibana/instances/instance-0000000000/maintenance-mode/_start'), status: 202 },
  { operation: 'stop-deployment-resource-maintenance-mode', method: 'post', path: d(OBS, '/kibana/main-kibana/instances/instance-0000000000/maintenance-mode/_stop'), status: 202 },
  { operation: 'stop-deployment-resource-instances-all', method: 'post', path: d(OBS, '/elasticsearch/main-elasticsearch/instances/_stop'), status: 202 },
  { operation: 'start-deployment-resource-instances-all', method: 'post', path: d(OBS, '/elasticsearch/main-elasticsearch/instances/_start'), status: 202 },
  { operation: 'stop-deployment-resource-instances', method: 'post', path: d(OBS, '/kibana/main-kibana/instances/instance-0000000000/_stop'), status: 202 },
  { operation: 'start-deployment-resource-instances', method: 'post', path: d(OBS, '/kibana/main-kibana/instances/instance-0000000000/_start'), status: 202 },
  // After the commands: plans in every state, history, logs, a snapshot count, maintenance flags.
  { operation: 'get-deployment', method: 'get', path: d(SEARCH, '?show_plan_logs=true&show_plan_history=true&show_metadata=true&show_settings=true&show_system_alerts=1'), status: 200 },
];

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ fixtures: path.resolve('fixtures/default.json') });
  await t.seed({ elastic: { deployments: [{ id: APPS, resources: { appsearch: [{ ref_id: 'main-appsearch' }] } }] } });
  // The Elasticsearch restart stays pending (so it can be cancelled); the others settle at once.
  await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0, 'elastic.shutdown': 0 }).expect(200);
});
afterAll(async () => {
  await t.close();
});

test('every operation the protocol serves has a conformance case', () => {
  const served = new Set(elasticProtocol.operations.map((o) => o.name));
  expect([...new Set(CASES.map((c) => c.operation))].sort()).toEqual([...served].sort());
});

test.each(CASES.map((c, i) => [i, c.operation, c] as const))('%i %s: the success body is the spec definition', async (_i, operation, c) => {
  // The Elasticsearch restart is held pending (null) only for its own case, so the cancel finds it.
  if (operation === 'restart-deployment-es-resource') await t.http.put('/_emulator/transitions').send({ 'elastic.restart': null }).expect(200);
  const res = await call(t, operation, c.method, c.path, ADMIN, c.body);
  if (operation === 'restart-deployment-es-resource') await t.http.put('/_emulator/transitions').send({ 'elastic.restart': 0 }).expect(200);
  expect(res.status).toBe(c.status);
  expectMatchesSchema(successDefinition(operation, c.status), res.body);
});
