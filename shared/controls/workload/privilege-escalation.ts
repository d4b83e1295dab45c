import { isFalse } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

const verdicts = new KeptVerdicts<'unset' | 'set'>({
  container: (c, cause, value) => ({
    message:
      cause === 'unset'
        ? `${c.type} '${c.name}' does not set allowPrivilegeEscalation=false`
        : `${c.type} '${c.name}' sets allowPrivilegeEscalation=${value}`,
    evidence: { field: containerField(c, 'securityContext.allowPrivilegeEscalation') },
  }),
});

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
    match: [
      { ref: 'KS C-0016', match: 'same' },
      { ref: 'CIS 4.2.5', match: 'related', note: 'admission (C-0197, enforce=restricted)' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale:
      'Unless explicitly false, a process can gain more privileges than its parent (setuid binaries, file capabilities). PSS restricted requires the explicit false.',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container, init and ephemeral container.',
  },
  judgeWorkloads({
    // PSS: Linux-only check; pods with spec.os.name=windows are exempt.
    notApplicable: (w) => (w.windows ? 'Windows pod: privilege escalation is a Linux setting' : undefined),
    container: (c, _w, ctx) => {
      const value = c.securityContext['allowPrivilegeEscalation'];
      if (isFalse(value)) return undefined;
      return value === undefined ? verdicts.container(ctx, c, 'unset') : verdicts.container(ctx, c, 'set', String(value));
    },
    passMessage: 'allowPrivilegeEscalation is false',
  }),
);
