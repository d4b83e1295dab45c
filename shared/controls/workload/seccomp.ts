import { defineControl } from '../define.js';
import { profileType } from './security-context.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

const ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

const verdicts = new KeptVerdicts<'set' | 'unset'>({
  container: (c, cause, own) =>
    cause === 'set'
      ? {
          message: `${c.type} '${c.name}' sets seccompProfile.type=${own || '(empty)'}`,
          evidence: { field: containerField(c, 'securityContext.seccompProfile.type'), value: own },
        }
      : {
          message: `${c.type} '${c.name}' has no seccomp profile (neither the container nor the pod sets RuntimeDefault or Localhost)`,
          evidence: { field: containerField(c, 'securityContext.seccompProfile') },
        },
});

export const seccomp = defineControl(
  {
    id: 'workload.seccomp',
    title: 'Pods must use the RuntimeDefault or a Localhost seccomp profile',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security / Audit logging: seccomp',
      kubescape: ['C-0055', 'C-0210'],
      pss: { level: 'restricted', check: 'Seccomp', id: 'seccompProfile_restricted' },
    },
    match: [
      { ref: 'KS C-0055', match: 'stricter', note: 'C-0055 passes any seccompProfile, Unconfined included' },
      { ref: 'KS C-0210', match: 'weaker', note: 'C-0210 accepts only RuntimeDefault, hardline also Localhost' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale: 'Without a seccomp profile every syscall is open to the container; RuntimeDefault blocks the ones used in escapes.',
    remediation: 'Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost) and do not override it per container.',
  },
  judgeWorkloads({
    notApplicable: (w) => (w.windows ? 'Windows pod: seccomp is Linux-only' : undefined),
    pod: (w) => {
      const type = profileType(w.podSecurityContext, 'seccompProfile');
      return type !== undefined && !ALLOWED.has(type)
        ? {
            message: `pod sets seccompProfile.type=${type || '(empty)'}`,
            evidence: { field: 'spec.securityContext.seccompProfile.type', value: type },
          }
        : undefined;
    },
    container: (c, w, ctx) => {
      const own = profileType(c.securityContext, 'seccompProfile');
      if (own !== undefined) {
        return ALLOWED.has(own) ? undefined : verdicts.container(ctx, c, 'set', own);
      }
      const pod = profileType(w.podSecurityContext, 'seccompProfile');
      if (pod !== undefined && ALLOWED.has(pod)) return undefined;
      return verdicts.container(ctx, c, 'unset');
    },
    passMessage: 'seccomp profile is RuntimeDefault or Localhost',
  }),
);
