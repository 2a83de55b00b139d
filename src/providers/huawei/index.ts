/** Huawei Cloud: KooPhone (cloud phone) behind the API gateway, plus IAM's token call. */
import { createHash } from 'node:crypto';
import type { ProviderModule } from '../provider.js';
import { COLLECTION } from './collections.js';
import { DEFAULT_REGION, defaultInstance } from './koophone/instances.js';
import { claimsHuawei, huaweiProtocol } from './protocol.js';
import { HUAWEI_SETTINGS, REBOOT_TRANSITION } from './settings.js';

const hex32 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export const huawei: ProviderModule = {
  name: 'huawei',
  services: ['koophone'],
  collections: [
    { path: COLLECTION.tokens, idField: 'token' },
    { path: COLLECTION.accessKeys, idField: 'ak' },
    { path: COLLECTION.users, idField: 'name' },
    { path: COLLECTION.instances, idField: 'instance_id' },
    { path: COLLECTION.projects, idField: 'project_id' },
  ],
  transitions: { [REBOOT_TRANSITION]: 2000 },
  settings: HUAWEI_SETTINGS,
  emptyState: () => ({ tokens: [], accessKeys: [], users: [], koophone: { instances: [], projects: [] } }),
  normalize(part) {
    for (const user of part.users ?? []) {
      user.projectName ??= DEFAULT_REGION;
      user.id ??= hex32(`user:${user.domain}/${user.name}`);
      user.domainId ??= hex32(`domain:${user.domain}`);
    }
    for (const instance of part.koophone?.instances ?? []) defaultInstance(instance);
    for (const project of part.koophone?.projects ?? []) project.subscribed ??= true;
  },
  stateSchema: 'huawei/state.schema.json',
  paths: ['v1', 'v3'],
  protocol: (ctx) => huaweiProtocol(ctx),
  claims: claimsHuawei,
};
