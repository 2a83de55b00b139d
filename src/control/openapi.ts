/**
 * The control plane as an OpenAPI 3.1 document, built from CONTROL_ROUTES and the JSON Schemas in
 * schemas/control/ (the same schemas the router checks bodies against), so it cannot drift from them.
 */
import type { Schemas } from '../core/schemas.js';
import { CONTROL_ROUTES, ERROR_SCHEMA } from './routes.js';

/** A schema's $id as a components key: control/clock.response.json -> clock.response */
const componentName = (id: string) => id.replace(/^control\//, '').replace(/\.json$/, '');

export function openApiDocument(schemas: Schemas, version: string): Record<string, unknown> {
  const components: Record<string, unknown> = {};
  const ref = (id: string) => {
    if (!components[componentName(id)]) {
      const { $schema: _s, $id: _i, ...schema } = schemas.ajv.getSchema(id)!.schema as Record<string, unknown>;
      components[componentName(id)] = schema;
    }
    return { $ref: `#/components/schemas/${componentName(id)}` };
  };
  const errorResponse = { description: 'an error: { "errors": [{ "message", ... }] }', content: { 'application/json': { schema: ref(ERROR_SCHEMA) } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of CONTROL_ROUTES) {
    const path = `/_emulator${route.path}`;
    const params = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = (route.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: q.schema }));
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').split(/[/.]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('') || 'Index'}`,
      summary: route.summary,
      responses: { [String(route.status ?? 200)]: { description: route.summary, content: { [route.contentType ?? 'application/json']: { schema: ref(route.response) } } }, '4XX': errorResponse, '5XX': errorResponse },
    };
    if (params.length + query.length > 0) operation.parameters = [...params, ...query];
    if (route.request) operation.requestBody = { required: route.method !== 'POST' || route.path !== '/reset', content: { 'application/json': { schema: ref(route.request) } } };
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'cloud-api-emulator control plane', version, description: 'Set up and observe the emulated clouds: state, clock, transitions, settings, faults, the request journal.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { controlToken: { type: 'http', scheme: 'bearer', description: 'only when the emulator runs with --control-token' } },
    },
  };
}
