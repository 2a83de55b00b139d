/** Elastic Cloud Enterprise: deployments, their resources' plans, and the stateless-resource restart. */
import type { ProviderModule } from '../provider.js';
import { API_KEYS, DEPLOYMENTS, TOKENS, USERS } from './model.js';
import { PLAN_HISTORY } from './history.js';
import { normalizeElastic } from './normalize.js';
import { HOOK_STEP, planStepHook } from './plans.js';
import { claimsElastic, elasticProtocol } from './protocol.js';
import { ELASTIC_SETTINGS } from './settings.js';

export const elastic: ProviderModule = {
  name: 'elastic',
  services: ['ece'],
  collections: [
    { path: API_KEYS, idField: 'key' },
    { path: USERS, idField: 'username' },
    { path: TOKENS, idField: 'token' },
    { path: DEPLOYMENTS, idField: 'id' },
    { path: PLAN_HISTORY, idField: 'id' },
  ],
  transitions: { 'elastic.restart': 3000, 'elastic.start': 3000, 'elastic.shutdown': 2000 },
  settings: ELASTIC_SETTINGS,
  hooks: { [HOOK_STEP]: planStepHook },
  emptyState: () => ({ apiKeys: [], users: [], tokens: [], deployments: [], planHistory: [] }),
  normalize: normalizeElastic,
  stateSchema: 'elastic/state.schema.json',
  paths: ['api'],
  protocol: () => elasticProtocol,
  claims: claimsElastic,
};
