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
    'eks.audit-logging', // 2.1.1
    'eks.cluster-admin-access', // 4.1.7
    'ecr.scan-on-push', // 5.1.1
    'ecr.running-image-vulnerabilities', // 5.1.1
    'ecr.public-policy', // 5.1.2
    'eks.secrets-encryption', // 5.3.1
    'eks.endpoint-public-access', // 5.4.1, 5.4.2
    'eks.nodegroup-remote-access', // 5.4.3
    'rbac.cluster-admin-binding', // 4.1.1
    'rbac.secrets-read', // 4.1.2
    'rbac.wildcard', // 4.1.3
    'rbac.default-service-account', // 4.1.5
    'rbac.escalation-verbs', // 4.1.8
    'network.default-deny', // 4.3.2
    'admission.allowed-repos', // 5.1.4
  ],
};
