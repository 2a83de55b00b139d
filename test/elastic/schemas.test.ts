/**
 * Our schemas say what the ECE spec says: the facts a client depends on (status enums, required
 * fields, error codes per status, the error header) are checked here, and each response schema is
 * shown to refuse what the spec would refuse, so the contract checks in the other tests can fail.
 */
import { Schemas } from '../../src/core/schemas.js';
import { STATELESS_KINDS } from '../../src/providers/elastic/model.js';

const schemas = new Schemas();
const defs = (schemas.ajv.getSchema('elastic/definitions.json')!.schema as any).definitions as Record<string, any>;
const check = (id: string, value: unknown) => schemas.check(`elastic/responses/${id}.json`, value);

const INFOS = ['KibanaClusterInfo', 'ApmInfo', 'AppSearchInfo', 'EnterpriseSearchInfo', 'IntegrationsServerInfo', 'ElasticsearchClusterInfo'];
const PLAN_CONTROLS = ['KibanaPlanControlConfiguration', 'ApmPlanControlConfiguration', 'AppSearchPlanControlConfiguration', 'EnterpriseSearchPlanControlConfiguration', 'IntegrationsServerPlanControlConfiguration'];

test('status enum of every resource info, in the spec order', () => {
  for (const name of INFOS) {
    expect(defs[name].properties.status.enum).toEqual(['initializing', 'stopping', 'stopped', 'rebooting', 'restarting', 'reconfiguring', 'started']);
  }
});

test('Kibana names itself cluster_id/cluster_name, the other stateless kinds id/name', () => {
  expect(defs.KibanaClusterInfo.required).toEqual(expect.arrayContaining(['cluster_id', 'cluster_name', 'metadata', 'plan_info', 'status', 'topology', 'healthy']));
  for (const name of ['ApmInfo', 'AppSearchInfo', 'EnterpriseSearchInfo', 'IntegrationsServerInfo']) {
    expect(defs[name].required).toEqual(expect.arrayContaining(['id', 'name', 'plan_info', 'status', 'topology', 'healthy']));
    expect(defs[name].required).not.toContain('metadata');
  }
});

test('plan steps, the forced reboot, plan info and the error envelope', () => {
  expect(defs.ClusterPlanStepInfo.properties.status.enum).toEqual(['success', 'warning', 'error', 'pending']);
  expect(defs.ClusterPlanStepInfo.properties.stage.enum).toEqual(['starting', 'completed', 'in_progress']);
  for (const name of PLAN_CONTROLS) expect(defs[name].properties.cluster_reboot.enum).toEqual(['forced']);
  expect(defs.KibanaClusterPlanInfo.required).toEqual(['healthy', 'plan_attempt_log', 'warnings']);
  expect(defs.KibanaClusterPlansInfo.required).toEqual(expect.arrayContaining(['healthy', 'history']));
  expect(defs.DeploymentResources.required.sort()).toEqual(['elasticsearch', ...STATELESS_KINDS].sort());
  expect(defs.BasicFailedReply.required).toEqual(['errors']);
  expect(defs.BasicFailedReplyElement.required).toEqual(['code', 'message']);
});

test('objects are as open as the spec has them: no definition forbids unknown fields', () => {
  const closed = Object.entries(defs).filter(([, d]) => d.additionalProperties === false).map(([n]) => n);
  expect(closed).toEqual([]);
  // The maps the spec types keep their value types.
  expect(defs.ClusterPlanStepLogMessageInfo.properties.details.additionalProperties).toEqual({ type: 'string' });
});

describe('the restart contract refuses what the spec refuses', () => {
  const err = (status: number, code: string, header: string | null = code) => ({
    status,
    headers: header === null ? {} : { 'x-cloud-error-codes': header },
    body: { errors: [{ code, message: 'm' }] },
  });

  test.each([
    [202, {}],
    [202, { warnings: [{ code: 'w', message: 'x' }] }],
  ])('accepts %s %j', (status, body) => {
    expect(check('restart-deployment-stateless-resource', { status, headers: {}, body })).toEqual([]);
  });

  test.each([
    ['a warning without its code', { status: 202, headers: {}, body: { warnings: [{ message: 'x' }] } }],
    ['a 404 with a code the spec does not list for it', err(404, 'deployments.resource_does_not_have_a_pending_plan')],
    ['a 404 without the error header', err(404, 'deployments.deployment_not_found', null)],
    ['a 422 with another code', err(422, 'deployments.resource_plan_state_error')],
    ['a 449 with the 403 code', err(449, 'root.unauthorized.rbac')],
    ['a 500 with the generic code', err(500, 'root.unexpected_error')],
    ['an error without a message', { status: 404, headers: { 'x-cloud-error-codes': 'deployments.deployment_not_found' }, body: { errors: [{ code: 'deployments.deployment_not_found' }] } }],
    ['an error body without errors', { status: 422, headers: { 'x-cloud-error-codes': 'deployments.deployment_resource_plan_change_error' }, body: {} }],
  ])('refuses %s', (_name, envelope) => {
    expect(check('restart-deployment-stateless-resource', envelope)).not.toEqual([]);
  });

  test('get-deployment: a 200 must carry the x-cloud-resource-* headers', () => {
    const body = { id: 'a'.repeat(32), name: 'n', healthy: true, resources: Object.fromEntries(['elasticsearch', ...STATELESS_KINDS].map((k) => [k, []])) };
    expect(check('get-deployment', { status: 200, headers: {}, body })).not.toEqual([]);
    const headers = { 'x-cloud-resource-version': '3', 'x-cloud-resource-created': '2026-01-15T08:00:00.000Z', 'x-cloud-resource-last-modified': '2026-01-15T08:00:00.000Z' };
    expect(check('get-deployment', { status: 200, headers, body })).toEqual([]);
  });

  test('cancel pending plan: 400 only with the no-pending-plan code (or a malformed flag)', () => {
    expect(check('cancel-deployment-resource-pending-plan', err(400, 'deployments.resource_does_not_have_a_pending_plan'))).toEqual([]);
    expect(check('cancel-deployment-resource-pending-plan', err(400, 'deployments.deployment_resource_plan_change_error'))).not.toEqual([]);
  });
});
