/**
 * The one catalogue of ECE errors: one factory per code. Handlers throw these; the router renders
 * them as a BasicFailedReply `{ errors: [{ code, message, fields? }] }` with the status and the
 * `x-cloud-error-codes` header the ECE spec declares for the code.
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

export const errors = {
  // Gateway: routing, parameters, bodies.
  routeNotFound: () => new EceError(404, 'root.resource_not_found', 'The requested resource could not be found'),
  malformedQueryParam: (name: string, value: string, type: 'Boolean' | 'Integer') =>
    new EceError(400, 'root.malformed_query_param', `The value for ${name} was malformed. '${value.toLowerCase()}' is not a valid ${type} value`, [name]),
  invalidJsonRequest: (detail: string) => new EceError(400, 'root.invalid_json_request', `The request body is not valid: ${detail}`),
  bodyTooLarge: (limit: number) => new EceError(413, 'root.request_entity_too_large', `The request body is larger than the limit of ${limit} bytes`),

  // Authentication and authorization.
  unauthorized: () => new EceError(401, 'root.unauthorized', 'Credentials were invalid'),
  tokenInvalid: () => new EceError(401, 'root.unauthorized', 'The authentication token is invalid or expired'),
  unauthenticated: () => new EceError(401, 'root.unauthenticated', 'The supplied authentication is invalid'),
  rbac: () =>
    new EceError(403, 'root.unauthorized.rbac', 'The supplied authentication is not authorized to access this resource. Reason: [Missing required permissions].'),
  elevationRequired: () =>
    new EceError(449, 'root.unauthorized.rbac.elevated_permissions_required', 'Elevated permissions are required. Elevate permissions through /users/auth/_elevate and retry.'),

  // Deployments.
  deploymentNotFound: (id: string) => new EceError(404, 'deployments.deployment_not_found', `Deployment [${id}] cannot be found`),
  resourceNotFound: (kind: string, refId: string) =>
    new EceError(404, 'deployments.deployment_resource_not_found', `${kindLabel(kind)} resource [${refId}] cannot be found`),
  unknownKind: (kind: string, refId: string) =>
    new EceError(404, 'deployments.deployment_resource_not_found', `Resource [${refId}] of kind [${kind}] cannot be found: [${kind}] is not a stateless resource kind`),
  attemptNotFound: (kind: string, refId: string, attemptId: string) =>
    new EceError(404, 'deployments.deployment_resource_not_found', `Plan attempt [${attemptId}] of ${kindLabel(kind)} resource [${refId}] cannot be found`),
  mainAmbiguous: (kind: string, count: number) =>
    new EceError(404, 'deployments.deployment_resource_not_found', `Cannot resolve ref_id [_main]: the deployment has ${count} ${kindLabel(kind)} resources`),
  planPending: (kind: string, refId: string) =>
    new EceError(
      422,
      'deployments.deployment_resource_plan_change_error',
      `${kindLabel(kind)} resource [${refId}] has a plan still pending, cancel that or wait for it to complete (or retry with cancel_pending=true)`,
    ),
  noSuccessfulPlan: (kind: string, refId: string) =>
    new EceError(422, 'deployments.deployment_resource_plan_change_error', `${kindLabel(kind)} resource [${refId}] has no successful plan to start from`),
  noLongerExists: (kind: string, refId: string) =>
    new EceError(500, 'deployments.deployment_resource_no_longer_exists', `${kindLabel(kind)} resource [${refId}] no longer exists`),
  noPendingPlan: (kind: string, refId: string) =>
    new EceError(400, 'deployments.resource_does_not_have_a_pending_plan', `${kindLabel(kind)} resource [${refId}] does not have a pending plan`),

  // The emulator's own failure, and injected faults (/_emulator/faults) that name no code.
  internal: () => new EceError(500, 'root.unexpected_error', 'We have failed you.'),
  injected: (status: number, code: string | undefined, message: string | undefined) =>
    new EceError(status, code ?? 'root.unexpected_error', message ?? 'We have failed you.'),
};
