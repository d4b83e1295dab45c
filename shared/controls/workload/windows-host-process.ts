import { getPath, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const windowsHostProcess = defineControl(
  {
    id: 'workload.windows-host-process',
    title: 'Windows pods must not run as HostProcess',
    severity: 'critical',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security', kubescape: ['C-0202'], pss: { level: 'baseline', check: 'HostProcess', id: 'windowsHostProcess' } },
    rationale: 'A HostProcess container runs directly on the Windows node with host privileges: the Windows equivalent of privileged.',
    remediation: 'Remove securityContext.windowsOptions.hostProcess (pod and containers).',
  },
  judgeWorkloads({
    pod: (w) =>
      isTrue(getPath(w.podSecurityContext, 'windowsOptions', 'hostProcess'))
        ? { message: 'pod sets windowsOptions.hostProcess=true', evidence: { field: 'spec.securityContext.windowsOptions.hostProcess' } }
        : undefined,
    container: (c) =>
      isTrue(getPath(c.securityContext, 'windowsOptions', 'hostProcess'))
        ? {
            message: `${c.type} '${c.name}' sets windowsOptions.hostProcess=true`,
            evidence: { field: containerField(c, 'securityContext.windowsOptions.hostProcess') },
          }
        : undefined,
    passMessage: 'not a HostProcess container',
  }),
);
