import { Router } from 'express';
import type { ProviderModule } from '../provider.js';

export const elastic: ProviderModule = {
  name: 'elastic',
  services: ['ece'],
  collections: [
    { path: 'elastic.apiKeys', idField: 'key' },
    { path: 'elastic.users', idField: 'username' },
    { path: 'elastic.deployments', idField: 'id' },
  ],
  transitions: { 'elastic.restart': 3000, 'elastic.start': 3000, 'elastic.shutdown': 2000 },
  emptyState: () => ({ apiKeys: [], users: [], deployments: [] }),
  router: () => Router(),
};
