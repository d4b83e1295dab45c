import { defineControl } from '../define.js';
import { resourceVerdict } from './resources.js';
import { judgeWorkloads } from './walk.js';

export const resourceLimits = defineControl(
  {
    id: 'workload.resource-limits',
    title: 'Containers must set cpu and memory limits',
    severity: 'medium',
    category: 'Resource policies',
    scope: 'workload',
    frameworks: { nsa: 'Network separation: resource policies', kubescape: ['C-0270', 'C-0271', 'C-0009'] },
    match: [
      { ref: 'KS C-0270 + C-0271', match: 'same', note: '(together)' },
      { ref: 'KS C-0009', match: 'same' },
    ],
    rationale: 'Without limits one compromised or runaway container can starve the node (denial of service of every other pod).',
    remediation:
      'Set resources.limits.cpu and resources.limits.memory on every container and init container (or a namespace LimitRange default).',
  },
  judgeWorkloads({ container: (c, _w, ctx) => resourceVerdict(ctx, c, 'limits'), passMessage: 'cpu and memory limits set' }),
);
