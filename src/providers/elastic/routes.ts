/**
 * The ECE routes under /api/v1: path patterns, the operationId each serves, whether it is a command
 * (needs a managing role and, for credentials that require it, elevated permissions), and the typed
 * query parameters the spec declares for it.
 */
import * as h from './handlers.js';
import * as session from './session-handlers.js';
import type { Call, Reply } from './handlers.js';
import { STATELESS_KINDS } from './model.js';

export type ParamType = 'boolean' | 'integer';

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

export const ROUTES: Route[] = [
  { method: 'POST', pattern: split('users/auth/_login'), operation: 'login', anonymous: true, bodySchema: 'elastic/requests/login.json', query: {}, handler: session.login },
  { method: 'POST', pattern: split('users/auth/_elevate'), operation: 'elevate-permissions', bodySchema: 'elastic/requests/elevate-permissions.json', bodyOptional: true, query: {}, handler: session.elevate },
  { method: 'DELETE', pattern: split('users/auth/_elevate'), operation: 'disable-elevated-permissions', query: {}, handler: session.disableElevation },
  { method: 'POST', pattern: split('users/auth/_refresh'), operation: 'refresh-token', query: {}, handler: session.refreshToken },
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
      show_system_alerts: 'integer',
      show_settings: 'boolean',
      show_instance_configurations: 'boolean',
      enrich_with_template: 'boolean',
      force_all_plan_history: 'boolean',
      clear_transient: 'boolean',
    },
    handler: h.getDeployment,
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
