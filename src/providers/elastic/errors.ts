/**
 * The one catalogue of ECE errors: one factory per code, each carrying its code and status. Handlers
 * throw these; the router renders them as a BasicFailedReply `{ errors: [{ code, message, fields? }] }`
 * with that status and the `x-cloud-error-codes` header naming the code.
 */
export class EceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'EceError';
  }

  body(): { errors: Array<{ code: string; message: string; fields?: string[] }> } {
    return { errors: [{ code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) }] };
  }
}

const KIND_LABEL: Record<string, string> = {
  elasticsearch: 'Elasticsearch',
  kibana: 'Kibana',
  apm: 'APM',
  appsearch: 'App Search',
  enterprise_search: 'Enterprise Search',
  integrations_server: 'Integrations Server',
};
export const kindLabel = (kind: string): string => KIND_LABEL[kind] ?? kind;

type Factory<A extends unknown[]> = ((...args: A) => EceError) & { readonly code: string; readonly status: number };

function define<A extends unknown[]>(status: number, code: string, describe: (...args: A) => string | { message: string; fields?: string[] }): Factory<A> {
  const make = (...args: A) => {
    const d = describe(...args);
    return typeof d === 'string' ? new EceError(status, code, d) : new EceError(status, code, d.message, d.fields);
  };
  return Object.assign(make, { code, status });
}

/** Why a resource could not be found (all answer deployments.deployment_resource_not_found). */
export type ResourceMiss =
  | { kind: string; refId: string }
  | { kind: string; refId: string; notStateless: true }
  | { kind: string; refId: string; attemptId: string }
  | { kind: string; refId: '_main'; count: number };

export const errors = {
  // Gateway: routing, parameters, bodies.
  routeNotFound: define(404, 'root.resource_not_found', () => 'The requested resource could not be found'),
  malformedQueryParam: define(400, 'root.malformed_query_param', (name: string, value: string, why: 'Boolean' | 'Integer' | { range: [number, number] } | { expected: string }) => ({
    message:
      typeof why === 'string'
        ? `The value for ${name} was malformed. '${value.toLowerCase()}' is not a valid ${why} value`
        : 'range' in why
          ? `The value for ${name} was malformed. '${value}' is not within [${why.range[0]}, ${why.range[1]}]`
          : `The value for ${name} was malformed. ${why.expected}`,
    fields: [name],
  })),
  invalidJsonRequest: define(400, 'root.invalid_json_request', (detail: string) => `The request body is not valid: ${detail}`),
  bodyTooLarge: define(413, 'root.request_entity_too_large', (limit: number) => `The request body is larger than the limit of ${limit} bytes`),

  // Authentication and authorization.
  unauthorized: define(401, 'root.unauthorized', (why: 'credentials' | 'token' = 'credentials') =>
    why === 'token' ? 'The authentication token is invalid or expired' : 'Credentials were invalid',
  ),
  unauthenticated: define(401, 'root.unauthenticated', () => 'The supplied authentication is invalid'),
  invalidMfaToken: define(400, 'authc.invalid_token', () => 'Missed or invalid MFA token'),
  rbac: define(403, 'root.unauthorized.rbac', () => 'The supplied authentication is not authorized to access this resource. Reason: [Missing required permissions].'),
  elevationRequired: define(
    449,
    'root.unauthorized.rbac.elevated_permissions_required',
    () => 'Elevated permissions are required. Elevate permissions through /users/auth/_elevate and retry.',
  ),

  // Deployments.
  deploymentNotFound: define(404, 'deployments.deployment_not_found', (id: string) => `Deployment [${id}] cannot be found`),
  resourceNotFound: define(404, 'deployments.deployment_resource_not_found', (miss: ResourceMiss) => {
    if ('notStateless' in miss) return `Resource [${miss.refId}] of kind [${miss.kind}] cannot be found: [${miss.kind}] is not a stateless resource kind`;
    if ('attemptId' in miss) return `Plan attempt [${miss.attemptId}] of ${kindLabel(miss.kind)} resource [${miss.refId}] cannot be found`;
    if ('count' in miss) return `Cannot resolve ref_id [_main]: the deployment has ${miss.count} ${kindLabel(miss.kind)} resources`;
    return `${kindLabel(miss.kind)} resource [${miss.refId}] cannot be found`;
  }),
  planChangeError: define(422, 'deployments.deployment_resource_plan_change_error', (kind: string, refId: string, why: 'pending' | 'no_successful_plan') =>
    why === 'pending'
      ? `${kindLabel(kind)} resource [${refId}] has a plan still pending, cancel that or wait for it to complete (or retry with cancel_pending=true)`
      : `${kindLabel(kind)} resource [${refId}] has no successful plan to start from`,
  ),
  noLongerExists: define(500, 'deployments.deployment_resource_no_longer_exists', (kind: string, refId: string) => `${kindLabel(kind)} resource [${refId}] no longer exists`),
  instancesMissing: define(404, 'deployments.instances_missing_on_update_error', (kind: string, refId: string, missing: string[]) => ({
    message: `Instances [${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}] of ${kindLabel(kind)} resource [${refId}] cannot be found`,
  })),
  instanceUpdateProhibited: define(403, 'deployments.instance_update_prohibited_error', (command: string, kind: string, refId: string) => {
    const what = { stop: 'stop instances', start: 'start instances', maintenanceStart: 'start maintenance mode', maintenanceStop: 'stop maintenance mode' }[command] ?? command;
    return `The ${what} command was prohibited for ${kindLabel(kind)} resource [${refId}]: a plan is in progress`;
  }),
  noPendingPlan: define(400, 'deployments.resource_does_not_have_a_pending_plan', (kind: string, refId: string) => `${kindLabel(kind)} resource [${refId}] does not have a pending plan`),

  // Throttling (the `throttle` and `rateLimit` fault kinds). Inferred: the ECE API reference documents
  // no throttling answer of its own, so this is a 429 in ECE's envelope, under ECE's `root.` codes.
  tooManyRequests: define(429, 'root.too_many_requests', () => 'Too many requests; retry later'),

  // The emulator's own failure (a bug), and the default of injected faults.
  unexpected: define(500, 'root.unexpected_error', (message?: string) => message ?? 'We have failed you.'),
};

/** An injected fault (/_emulator/faults): the rule's own status, code and message, or `root.unexpected_error`. */
export function faultError(status: number | undefined, code: string | undefined, message: string | undefined): EceError {
  if (code === undefined) return new EceError(status ?? errors.unexpected.status, errors.unexpected.code, message ?? 'We have failed you.');
  return new EceError(status ?? 500, code, message ?? 'We have failed you.');
}
