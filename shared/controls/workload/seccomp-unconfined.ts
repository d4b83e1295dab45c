import { defineControl } from '../define.js';
import { profileType } from './security-context.js';
import { containerField, judgeWorkloads } from './walk.js';

export const seccompUnconfined = defineControl(
  {
    id: 'workload.seccomp-unconfined',
    title: 'Pods must not set the Unconfined seccomp profile',
    severity: 'high',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      kubescape: ['C-0055'],
      pss: { level: 'baseline', check: 'Seccomp', id: 'seccompProfile_baseline' },
    },
    rationale: 'An explicit Unconfined profile switches off the syscall filter the runtime would otherwise apply.',
    remediation: 'Remove seccompProfile.type: Unconfined; use RuntimeDefault or a Localhost profile.',
  },
  judgeWorkloads({
    pod: (w) =>
      profileType(w.podSecurityContext, 'seccompProfile') === 'Unconfined'
        ? { message: 'pod sets seccompProfile.type=Unconfined', evidence: { field: 'spec.securityContext.seccompProfile.type' } }
        : undefined,
    container: (c) =>
      profileType(c.securityContext, 'seccompProfile') === 'Unconfined'
        ? {
            message: `${c.type} '${c.name}' sets seccompProfile.type=Unconfined`,
            evidence: { field: containerField(c, 'securityContext.seccompProfile.type') },
          }
        : undefined,
    passMessage: 'seccomp is not Unconfined',
  }),
);
