/**
 * The ECE routes under /api/v1: path patterns, the operationId each serves, whether it is a command
 * (needs a managing role and, for credentials that require it, elevated permissions), and the typed
 * query parameters the spec declares for it.
 */
import * as h from './handlers.js';
import * as session from './session-handlers.js';
import type { Call, Reply } from './handlers.js';
import { STATELESS_KINDS } from './model.js';

/**
 * A query parameter's type as the spec declares it: boolean, integer (with the range the emulator
 * accepts: every number a user sets has one), or a string of a given form.
 */
export type ParamType = 'boolean' | { integer: [number, number] } | { string: RegExp; expected: string };

/** ECE's integers are 32-bit (int32 in its spec): the widest range a count or a time in seconds can take. */
const INT32: ParamType = { integer: [-2147483648, 2147483647] };
/** Seconds to wait (shard_init_wait_time): none to the int32 maximum. */
const SECONDS: ParamType = { integer: [0, 2147483647] };
/**
 * restart-deployment-es-resource's group_attribute: `__all__`, `__zone__`, `__name__`, or a
 * comma-separated list of instance attribute names (letters, digits, `_`, `-`, `.`), 256 characters at most.
 */
const GROUP_ATTRIBUTE: ParamType = {
  string: /^(?=.{1,256}$)[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/,
  expected: "Use '__all__', '__zone__', '__name__' or a comma-separated list of instance attributes (at most 256 characters)",
};

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Segments after /api/v1; `:name` captures one segment. */
  pattern: string[];
  operation: string;
  /** Commands change a deployment: viewers get 403, unelevated "elevation required" credentials 449. */
  command?: boolean;
  /** No credentials needed (the login itself). */
  anonymous?: boolean;
  /** Reads a JSON body, checked against this schema (under schemas/) before the handler runs. */
  bodySchema?: string;
  /** The body may be left out. */
  bodyOptional?: boolean;
  query: Record<string, ParamType>;
  handler: (call: Call) => Reply;
}

const RESOURCE_INFO_QUERY: Record<string, ParamType> = {
  show_metadata: 'boolean',
  show_plans: 'boolean',
  show_plan_logs: 'boolean',
  show_plan_history: 'boolean',
  show_plan_defaults: 'boolean',
  show_settings: 'boolean',
  clear_transient: 'boolean',
};

const INFO_OPERATION: Record<(typeof STATELESS_KINDS)[number], string> = {
  kibana: 'get-deployment-kib-resource-info',
  apm: 'get-deployment-apm-resource-info',
  appsearch: 'get-deployment-appsearch-resource-info',
  enterprise_search: 'get-deployment-enterprise-search-resource-info',
  integrations_server: 'get-deployment-integrations-server-resource-info',
};

const split = (p: string) => p.split('/').filter(Boolean);

/** The instances commands, all instances or those named: the literal paths come first (`maintenance-mode` is no instance id). */
const INSTANCE_COMMANDS: Array<[string, string, h.InstancesCommand, boolean]> = [
  ['instances/_stop', 'stop-deployment-resource-instances-all', 'stop', false],
  ['instances/_start', 'start-deployment-resource-instances-all', 'start', false],
  ['instances/maintenance-mode/_start', 'start-deployment-resource-instances-all-maintenance-mode', 'maintenanceStart', false],
  ['instances/maintenance-mode/_stop', 'stop-deployment-resource-instances-all-maintenance-mode', 'maintenanceStop', false],
  ['instances/:instance_ids/_stop', 'stop-deployment-resource-instances', 'stop', true],
  ['instances/:instance_ids/_start', 'start-deployment-resource-instances', 'start', true],
  ['instances/:instance_ids/maintenance-mode/_start', 'start-deployment-resource-maintenance-mode', 'maintenanceStart', true],
  ['instances/:instance_ids/maintenance-mode/_stop', 'stop-deployment-resource-maintenance-mode', 'maintenanceStop', true],
];

export const ROUTES: Route[] = [
  { method: 'POST', pattern: split('users/auth/_login'), operation: 'login', anonymous: true, bodySchema: 'elastic/requests/login.json', query: {}, handler: session.login },
  { method: 'POST', pattern: split('users/auth/_elevate'), operation: 'elevate-permissions', bodySchema: 'elastic/requests/elevate-permissions.json', bodyOptional: true, query: {}, handler: session.elevate },
  { method: 'DELETE', pattern: split('users/auth/_elevate'), operation: 'disable-elevated-permissions', query: {}, handler: session.disableElevation },
  { method: 'POST', pattern: split('users/auth/_refresh'), operation: 'refresh-token', query: {}, handler: session.refreshToken },
  { method: 'GET', pattern: split('users/auth'), operation: 'get-authentication-info', query: {}, handler: session.authenticationInfo },
  { method: 'GET', pattern: split('deployments'), operation: 'list-deployments', query: {}, handler: h.listDeployments },
  {
    method: 'GET',
    pattern: split('deployments/:deployment_id'),
    operation: 'get-deployment',
    query: {
      show_security: 'boolean',
      show_metadata: 'boolean',
      show_plans: 'boolean',
      show_plan_logs: 'boolean',
      show_plan_history: 'boolean',
      show_plan_defaults: 'boolean',
      convert_legacy_plans: 'boolean',
      show_system_alerts: INT32,
      show_settings: 'boolean',
      show_instance_configurations: 'boolean',
      enrich_with_template: 'boolean',
      force_all_plan_history: 'boolean',
      clear_transient: 'boolean',
    },
    handler: h.getDeployment,
  },
  {
    method: 'GET',
    pattern: split('deployments/:deployment_id/elasticsearch/:ref_id'),
    operation: 'get-deployment-es-resource-info',
    query: { ...RESOURCE_INFO_QUERY, show_security: 'boolean', convert_legacy_plans: 'boolean', show_system_alerts: INT32, enrich_with_template: 'boolean' },
    handler: h.getResourceInfo('elasticsearch'),
  },
  ...STATELESS_KINDS.map(
    (kind): Route => ({
      method: 'GET',
      pattern: split(`deployments/:deployment_id/${kind}/:ref_id`),
      operation: INFO_OPERATION[kind],
      query: kind === 'kibana' ? { ...RESOURCE_INFO_QUERY, convert_legacy_plans: 'boolean' } : RESOURCE_INFO_QUERY,
      handler: h.getResourceInfo(kind),
    }),
  ),
  // Before the stateless restart: its {stateless_resource_kind} would take "elasticsearch" too.
  {
    method: 'POST',
    pattern: split('deployments/:deployment_id/elasticsearch/:ref_id/_restart'),
    operation: 'restart-deployment-es-resource',
    command: true,
    query: { restore_snapshot: 'boolean', skip_snapshot: 'boolean', cancel_pending: 'boolean', group_attribute: GROUP_ATTRIBUTE, shard_init_wait_time: SECONDS },
    handler: h.restartElasticsearch,
  },
  {
    method: 'POST',
    pattern: split('deployments/:deployment_id/:stateless_resource_kind/:ref_id/_restart'),
    operation: 'restart-deployment-stateless-resource',
    command: true,
    query: { cancel_pending: 'boolean' },
    handler: h.restart,
  },
  {
    method: 'POST',
    pattern: split('deployments/:deployment_id/:stateless_resource_kind/:ref_id/_shutdown'),
    operation: 'shutdown-deployment-stateless-resource',
    command: true,
    query: { hide: 'boolean', skip_snapshot: 'boolean' },
    handler: h.shutdown,
  },
  {
    method: 'GET',
    pattern: split('deployments/:deployment_id/:resource_kind/:ref_id/activity/:attempt_id'),
    operation: 'get-deployment-resource-plan-activity',
    query: {},
    handler: h.planActivity,
  },
  {
    method: 'DELETE',
    pattern: split('deployments/:deployment_id/:resource_kind/:ref_id/plan/pending'),
    operation: 'cancel-deployment-resource-pending-plan',
    command: true,
    query: { force_delete: 'boolean', ignore_missing: 'boolean' },
    handler: h.cancelPendingPlan,
  },
  ...INSTANCE_COMMANDS.map(
    ([path, operation, command, named]): Route => ({
      method: 'POST',
      pattern: split(`deployments/:deployment_id/:resource_kind/:ref_id/${path}`),
      operation,
      command: true,
      query: named ? { ignore_missing: 'boolean' } : {},
      handler: h.instancesCommand(command),
    }),
  ),
];

/** Path parameters whose values the spec restricts to an enum: another value is no route at all. */
const PARAM_ENUMS: Record<string, readonly string[]> = {
  resource_kind: ['elasticsearch', ...STATELESS_KINDS],
};

export function matchRoute(method: string, segments: string[]): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method || route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const p = route.pattern[i]!;
      const s = segments[i]!;
      if (p.startsWith(':')) {
        const name = p.slice(1);
        if (PARAM_ENUMS[name] && !PARAM_ENUMS[name]!.includes(s)) ok = false;
        else params[name] = s;
      } else if (p !== s) ok = false;
    }
    if (ok) return { route, params };
  }
  return undefined;
}
