/** The Huawei resources the dashboard lists: KooPhone instances as ListInstances answers them (status: running_status, a number). */
import type { ResourceType } from '../../core/pipeline/protocol.js';
import { COLLECTION } from './collections.js';
import { listView } from './koophone/handlers.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const HUAWEI_RESOURCES: readonly ResourceType[] = [
  {
    collection: COLLECTION.instances,
    kind: 'phone-instance',
    service: 'koophone',
    describe(entry) {
      const view = listView(entry);
      const status = view.running_status;
      return { name: text(view.instance_name), status: typeof status === 'number' || typeof status === 'string' ? status : '', region: text(view.region), view };
    },
  },
];
