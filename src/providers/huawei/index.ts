/** Huawei Cloud: KooPhone (cloud phone) behind the API gateway, plus IAM's token call. */
import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { ProviderModule } from '../provider.js';
import { COLLECTION } from './collections.js';
import { DEFAULT_REGION, defaultInstance } from './koophone/instances.js';
import { iamRouter, kooPhoneRouter } from './router.js';
import { HUAWEI_SETTINGS, REBOOT_TRANSITION } from './settings.js';

/**
 * The operations its routers serve (router.ts tags each request with one of these names; a test
 * checks the journal against this list): KooPhone's three and IAM's token call.
 */
export const HUAWEI_OPERATIONS = ['BatchRebootInstance', 'BatchQueryStatus', 'ListInstances', 'KeystoneCreateUserTokenByPassword'] as const;

const hex32 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export const huawei: ProviderModule = {
  name: 'huawei',
  services: ['koophone'],
  operations: HUAWEI_OPERATIONS,
  collections: [
    { path: COLLECTION.tokens, idField: 'token' },
    { path: COLLECTION.accessKeys, idField: 'ak' },
    { path: COLLECTION.users, idField: 'name' },
    { path: COLLECTION.instances, idField: 'instance_id' },
  ],
  transitions: { [REBOOT_TRANSITION]: 2000 },
  settings: HUAWEI_SETTINGS,
  emptyState: () => ({ tokens: [], accessKeys: [], users: [], koophone: { instances: [] } }),
  normalize(part) {
    for (const user of part.users ?? []) {
      user.projectName ??= DEFAULT_REGION;
      user.id ??= hex32(`user:${user.domain}/${user.name}`);
      user.domainId ??= hex32(`domain:${user.domain}`);
    }
    for (const instance of part.koophone?.instances ?? []) defaultInstance(instance);
  },
  stateSchema: 'huawei/state.schema.json',
  paths: ['v1', 'v3'],
  router(ctx) {
    const r = Router();
    r.use(iamRouter(ctx));
    r.use(kooPhoneRouter(ctx));
    return r;
  },
};
