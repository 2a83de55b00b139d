/**
 * The Alibaba resources the dashboard lists: ECI container groups as DescribeContainerGroups answers
 * them, ENS instances as DescribeInstances does (each product's own render code).
 */
import type { ResourceType } from '../../core/pipeline/protocol.js';
import { containerGroupView } from './eci/describe.js';
import { CONTAINER_GROUPS } from './eci/resources.js';
import { INSTANCES } from './ens/constants.js';
import { instanceView } from './ens/instances.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const ALIBABA_RESOURCES: readonly ResourceType[] = [
  {
    collection: CONTAINER_GROUPS,
    kind: 'containerGroup',
    service: 'eci',
    describe(entry, env) {
      const view = containerGroupView(entry, env.now);
      return { name: text(view.ContainerGroupName), status: String(view.Status ?? ''), region: text(view.RegionId), view };
    },
  },
  {
    collection: INSTANCES,
    kind: 'instance',
    service: 'ens',
    describe(entry) {
      const view = instanceView(entry);
      return { name: text(view.InstanceName), status: String(view.Status ?? ''), region: text(view.EnsRegionId), view };
    },
  },
];
