import { Router } from 'express';
import type { ProviderModule } from '../provider.js';

export const huawei: ProviderModule = {
  name: 'huawei',
  services: ['koophone'],
  collections: [
    { path: 'huawei.tokens', idField: 'token' },
    { path: 'huawei.accessKeys', idField: 'ak' },
    { path: 'huawei.koophone.instances', idField: 'instance_id' },
  ],
  transitions: { 'huawei.koophone.reboot': 2000 },
  emptyState: () => ({ tokens: [], accessKeys: [], koophone: { instances: [] } }),
  router: () => Router(),
};
