import { asNumber } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const runAsUserRoot = defineControl(
  {
    id: 'workload.run-as-user-root',
    title: 'Containers must not set runAsUser: 0',
    severity: 'high',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security: non-root containers',
      kubescape: ['C-0013'],
      pss: { level: 'restricted', check: 'Running as Non-root user', id: 'runAsUser' },
    },
    rationale: 'uid 0 inside the container is uid 0 on the host unless user namespaces are used.',
    remediation: 'Remove runAsUser: 0 from the pod and container securityContext; use a uid above 0 (commonly ≥ 10000).',
  },
  judgeWorkloads({
    pod: (w) =>
      asNumber(w.podSecurityContext['runAsUser']) === 0
        ? { message: 'pod sets securityContext.runAsUser=0', evidence: { field: 'spec.securityContext.runAsUser', value: 0 } }
        : undefined,
    container: (c) =>
      asNumber(c.securityContext['runAsUser']) === 0
        ? {
            message: `${c.type} '${c.name}' sets runAsUser=0`,
            evidence: { field: containerField(c, 'securityContext.runAsUser'), value: 0 },
          }
        : undefined,
    passMessage: 'does not run as uid 0',
  }),
);
