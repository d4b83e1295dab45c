import { isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const privileged = defineControl(
  {
    id: 'workload.privileged',
    title: 'Containers must not run privileged',
    severity: 'critical',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      kubescape: ['C-0057'],
      cis: ['4.2.1'],
      pss: { level: 'baseline', check: 'Privileged Containers', id: 'privileged' },
    },
    rationale:
      'A privileged container has every capability and all host devices: it is root on the node. NSA/CISA and PSS baseline forbid it.',
    remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capability needed.',
  },
  judgeWorkloads({
    container: (c) =>
      isTrue(c.securityContext['privileged'])
        ? {
            message: `${c.type} '${c.name}' runs privileged`,
            evidence: { field: containerField(c, 'securityContext.privileged'), value: true },
          }
        : undefined,
    passMessage: 'not privileged',
  }),
);
