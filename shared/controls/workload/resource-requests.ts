import { defineControl } from '../define.js';
import { resourceVerdict } from './resources.js';
import { judgeWorkloads } from './walk.js';

export const resourceRequests = defineControl(
  {
    id: 'workload.resource-requests',
    title: 'Containers must set cpu and memory requests',
    severity: 'low',
    category: 'Resource policies',
    scope: 'workload',
    frameworks: { nsa: 'Network separation: resource policies', kubescape: ['C-0268', 'C-0269'] },
    match: [{ ref: 'KS C-0268 + C-0269', match: 'same', note: '(together)' }],
    rationale: 'Requests let the scheduler place pods so that nodes are not overcommitted and quotas can be enforced.',
    remediation: 'Set resources.requests.cpu and resources.requests.memory on every container and init container.',
  },
  judgeWorkloads({ container: (c, _w, ctx) => resourceVerdict(ctx, c, 'requests'), passMessage: 'cpu and memory requests set' }),
);
