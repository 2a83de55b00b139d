/**
 * Alibaba Cloud: one RPC endpoint (`/`, GET or POST) serving ECI 2018-08-08 and ENS 2017-11-10,
 * told apart by the API version each call names.
 */
import type { ProviderModule } from '../provider.js';
import { eciHooks, eciOperations, ECI_COLLECTIONS, ECI_TRANSITIONS, normalizeEci } from './eci/index.js';
import { ensHooks, ensOperations, normalizeEns } from './ens/index.js';
import { normalizeAccessKeys } from './accounts.js';
import { REPLAY_GUARD } from './nonces.js';
import { alibabaProtocol, claimsAlibaba } from './protocol.js';
import { ALIBABA_SETTINGS } from './settings.js';

const OPERATIONS = [...eciOperations, ...ensOperations];

export const alibaba: ProviderModule = {
  name: 'alibaba',
  services: ['eci', 'ens'],
  collections: [
    { path: 'alibaba.accessKeys', idField: 'AccessKeyId' },
    ...ECI_COLLECTIONS,
    { path: 'alibaba.ens.instances', idField: 'InstanceId' },
    { path: 'alibaba.ens.events', idField: 'EventId' },
    { path: REPLAY_GUARD, idField: 'id' },
  ],
  transitions: { ...ECI_TRANSITIONS, 'alibaba.ens.reboot': 2000 },
  settings: ALIBABA_SETTINGS,
  hooks: { ...eciHooks, ...ensHooks },
  emptyState: () => ({
    accessKeys: [],
    eci: { containerGroups: [], imageCaches: [], dataCaches: [], virtualNodes: [] },
    ens: { instances: [], events: [] },
    replayGuard: [],
  }),
  normalize(part, ctx) {
    normalizeAccessKeys(part, ctx);
    normalizeEci(part, ctx);
    normalizeEns(part, ctx);
  },
  stateSchema: 'alibaba/state.schema.json',
  paths: [''],
  protocol: (ctx) => alibabaProtocol(ctx, OPERATIONS),
  claims: claimsAlibaba,
};
