import type { Framework } from './types.js';

/** Pod Security Standards, baseline level (Kubernetes 1.37): one control per check, host namespaces split in three. */
export const pssBaseline: Framework = {
  id: 'pss-baseline',
  title: 'Pod Security Standards — Baseline',
  version: 'v1.37',
  controls: [
    'workload.windows-host-process',
    'workload.host-pid',
    'workload.host-ipc',
    'workload.host-network',
    'workload.privileged',
    'workload.capabilities-baseline',
    'workload.host-path',
    'workload.host-port',
    'workload.host-probes',
    'workload.apparmor',
    'workload.selinux',
    'workload.proc-mount',
    'workload.seccomp-unconfined',
    'workload.sysctls',
  ],
};
