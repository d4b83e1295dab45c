import { isFalse } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const privilegeEscalation = defineControl(
  {
    id: 'workload.privilege-escalation',
    title: 'Containers must set allowPrivilegeEscalation: false',
    severity: 'high',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      kubescape: ['C-0016'],
      cis: ['4.2.5'],
      pss: { level: 'restricted', check: 'Privilege Escalation', id: 'allowPrivilegeEscalation' },
    },
    rationale:
      'Unless explicitly false, a process can gain more privileges than its parent (setuid binaries, file capabilities). PSS restricted requires the explicit false.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, init and ephemeral container.',
  },
  judgeWorkloads({
    // PSS: Linux-only check; pods with spec.os.name=windows are exempt.
    notApplicable: (w) => (w.windows ? 'Windows pod: privilege escalation is a Linux setting' : undefined),
    container: (c) =>
      isFalse(c.securityContext['allowPrivilegeEscalation'])
        ? undefined
        : {
            message:
              c.securityContext['allowPrivilegeEscalation'] === undefined
                ? `${c.type} '${c.name}' does not set allowPrivilegeEscalation=false`
                : `${c.type} '${c.name}' sets allowPrivilegeEscalation=${String(c.securityContext['allowPrivilegeEscalation'])}`,
            evidence: { field: containerField(c, 'securityContext.allowPrivilegeEscalation') },
          },
    passMessage: 'allowPrivilegeEscalation is false',
  }),
);
