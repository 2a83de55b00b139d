/** Behaviours users may want either way, or values the documents leave open. */
import { defineSetting, type SettingDef } from '../../core/settings.js';

export const ELASTIC = {
  elevationTtlMs: defineSetting<number>({
    key: 'elastic.elevationTtlMs',
    type: 'integer',
    min: 1000,
    max: 365 * 24 * 60 * 60 * 1000,
    default: 15 * 60 * 1000,
    description: 'How long an elevation (POST /api/v1/users/auth/_elevate) lasts, in ms of emulator time.',
  }),
  tokenTtlMs: defineSetting<number>({
    key: 'elastic.tokenTtlMs',
    type: 'integer',
    min: 1000,
    max: 365 * 24 * 60 * 60 * 1000,
    default: 60 * 60 * 1000,
    description: 'How long a bearer token from POST /api/v1/users/auth/_login stays valid, in ms of emulator time.',
  }),
  unknownKindError: defineSetting<'resource_not_found' | 'route_not_found'>({
    key: 'elastic.unknownKindError',
    type: 'string',
    choices: ['resource_not_found', 'route_not_found'],
    default: 'resource_not_found',
    description:
      'What _restart/_shutdown answer for a {stateless_resource_kind} outside the spec enum: 404 deployments.deployment_resource_not_found (declared by the operation) or 404 root.resource_not_found (no such route).',
  }),
  restartStatus: defineSetting<'rebooting' | 'restarting'>({
    key: 'elastic.restartStatus',
    type: 'string',
    choices: ['rebooting', 'restarting'],
    default: 'rebooting',
    description:
      'info.status of an active stateless resource while its restart plan runs. Both are in the spec status enum; the ECE documents do not say which a cluster_reboot shows.',
  }),
  planHistoryLimit: defineSetting<number>({
    key: 'elastic.planHistoryLimit',
    type: 'integer',
    min: -1,
    max: 10_000,
    default: 100,
    description:
      'How many finished plan attempts each resource keeps (each its own entry in elastic.planHistory): the first min(10, limit - 90) and the newest others, so the default 100 keeps exactly what show_plan_history shows (the first 10 and the last 90). Applies to plans begun after a change; 0 counts as 1 (a stopped resource starts from the plan before its shutdown); -1 keeps everything (what force_all_plan_history then shows).',
  }),
  endpointDomain: defineSetting<string>({
    key: 'elastic.endpointDomain',
    type: 'string',
    default: '127.0.0.1.ip.es.io',
    description:
      'The domain of resource endpoints (info.metadata.endpoint = <resource id>.<domain>, service_url, cloud_id). ECE derives it from its proxy address with ip.es.io unless a cluster endpoint is configured.',
  }),
  defaultVersion: defineSetting<string>({ key: 'elastic.defaultVersion', type: 'string', default: '8.15.3', description: 'Stack version given to seeded plans that name none.' }),
  region: defineSetting<string>({ key: 'elastic.region', type: 'string', default: 'ece-region', description: 'Region given to seeded resources that name none.' }),
} as const;

/** Every setting of the provider, for the engine. */
export const ELASTIC_SETTINGS: SettingDef[] = Object.values(ELASTIC);
