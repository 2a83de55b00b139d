/**
 * The ECE resources the dashboard lists: deployments as GET /api/v1/deployments/{id} answers them
 * with no query flags. ECE has no status word for a deployment, only one per resource (info.status):
 * the dashboard shows that word when all its resources share it, else each as "kind ref_id: status".
 */
import type { ResourceType } from '../../core/pipeline/protocol.js';
import type { Entry } from '../../core/state.js';
import { viewOptions } from './handlers.js';
import { historyOf } from './history.js';
import { DEPLOYMENTS, RESOURCE_KINDS } from './model.js';
import { expandDeployment } from './normalize.js';
import { ELASTIC } from './settings.js';
import { deploymentView } from './view.js';

export const ELASTIC_RESOURCES: readonly ResourceType[] = [
  {
    collection: DEPLOYMENTS,
    kind: 'deployment',
    service: 'ece',
    describe(entry, env) {
      const d = expandDeployment(entry);
      const view = deploymentView(d, viewOptions({}), {
        deployment: d,
        history: (kind, resource) => historyOf(env.view, { deploymentId: d.id, kind, resource }),
        domain: env.settings.get(ELASTIC.endpointDomain),
      });
      const parts: Array<{ label: string; status: string; region?: string }> = [];
      for (const kind of RESOURCE_KINDS) {
        for (const r of (view.resources?.[kind] ?? []) as Entry[]) parts.push({ label: `${kind} ${r.ref_id}`, status: String(r.info?.status ?? ''), region: typeof r.region === 'string' ? r.region : undefined });
      }
      const words = new Set(parts.map((p) => p.status));
      const status = words.size <= 1 ? (parts[0]?.status ?? '') : parts.map((p) => `${p.label}: ${p.status}`).join(', ');
      return { name: typeof view.name === 'string' ? view.name : undefined, status, region: parts.find((p) => p.region)?.region, view };
    },
  },
];
