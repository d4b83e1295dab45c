import type { Framework } from './types.js';

/** CIS Amazon EKS Benchmark v1.8.0 (recommendation numbers as Kubescape maps them). */
export const cisEks: Framework = {
  id: 'cis-eks',
  title: 'CIS Amazon EKS Benchmark',
  version: '1.8.0',
  controls: [
    'workload.automount-service-account-token', // 4.1.6
    'workload.privileged', // 4.2.1
    'workload.host-pid', // 4.2.2
    'workload.host-ipc', // 4.2.3
    'workload.host-network', // 4.2.4
    'workload.privilege-escalation', // 4.2.5
    'workload.credentials-in-env', // 4.4.1
    'workload.allowed-registries', // 5.1.4
  ],
};
