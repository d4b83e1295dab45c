import { isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

const verdicts = new KeptVerdicts({
  container: (c) => ({
    message: `${c.type} '${c.name}' has a writable root filesystem`,
    evidence: { field: containerField(c, 'securityContext.readOnlyRootFilesystem') },
  }),
});

export const readOnlyRootFilesystem = defineControl(
  {
    id: 'workload.read-only-root-filesystem',
    title: 'Containers should use a read-only root filesystem',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: immutable file systems', kubescape: ['C-0017'] },
    match: [{ ref: 'KS C-0017', match: 'same' }],
    rationale:
      'An immutable root filesystem stops an attacker from dropping tools or modifying binaries; NSA/CISA recommend it wherever possible.',
    remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the application must write.',
  },
  judgeWorkloads({
    notApplicable: (w) => (w.windows ? 'Windows pod: readOnlyRootFilesystem is not supported' : undefined),
    container: (c, _w, ctx) => (isTrue(c.securityContext['readOnlyRootFilesystem']) ? undefined : verdicts.container(ctx, c, 'writable')),
    passMessage: 'root filesystem is read-only',
  }),
);
