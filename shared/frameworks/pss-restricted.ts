import { pssBaseline } from './pss-baseline.js';
import type { Framework } from './types.js';

/** Pod Security Standards, restricted level: every baseline check plus the restricted ones. */
export const pssRestricted: Framework = {
  id: 'pss-restricted',
  title: 'Pod Security Standards — Restricted',
  version: 'v1.37',
  controls: [
    ...pssBaseline.controls,
    'workload.volume-types',
    'workload.privilege-escalation',
    'workload.run-as-non-root',
    'workload.run-as-user-root',
    'workload.seccomp',
    'workload.capabilities-drop-all',
    'workload.proc-mount-restricted',
  ],
};
