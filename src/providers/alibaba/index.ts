import { Router } from 'express';
import type { ProviderModule } from '../provider.js';

export const alibaba: ProviderModule = {
  name: 'alibaba',
  services: ['eci', 'ens'],
  collections: [
    { path: 'alibaba.accessKeys', idField: 'AccessKeyId' },
    { path: 'alibaba.eci.containerGroups', idField: 'ContainerGroupId' },
    { path: 'alibaba.ens.instances', idField: 'InstanceId' },
    { path: 'alibaba.ens.events', idField: 'EventId' },
  ],
  transitions: { 'alibaba.eci.restart': 2000, 'alibaba.ens.reboot': 2000 },
  emptyState: () => ({ accessKeys: [], eci: { containerGroups: [] }, ens: { instances: [], events: [] } }),
  router: () => Router(),
};
