import type { Framework } from './types.js';

/** NSA/CISA Kubernetes Hardening Guidance v1.2, in the order of its sections. */
export const nsaCisa: Framework = {
  id: 'nsa-cisa',
  title: 'NSA/CISA Kubernetes Hardening Guidance',
  version: '1.2',
  controls: [
    // Pod security
    'workload.privileged',
    'workload.privilege-escalation',
    'workload.run-as-non-root',
    'workload.run-as-user-root',
    'workload.read-only-root-filesystem',
    'workload.host-pid',
    'workload.host-ipc',
    'workload.host-network',
    'workload.host-port',
    'workload.host-path',
    'workload.capabilities-dangerous',
    'workload.capabilities-baseline',
    'workload.capabilities-drop-all',
    'workload.seccomp',
    'workload.seccomp-unconfined',
    'workload.apparmor',
    'workload.selinux',
    'workload.proc-mount',
    'workload.proc-mount-restricted',
    'workload.sysctls',
    'workload.volume-types',
    'workload.host-probes',
    'workload.windows-host-process',
    'workload.automount-service-account-token',
    'workload.image-digest',
    'workload.allowed-registries',
    'workload.pull-policy',
    // Network separation and hardening
    'workload.resource-limits',
    'workload.resource-requests',
    'workload.credentials-in-env',
    // Upgrading and application security practices
    'workload.image-tag',
    // EKS and ECR (AWS side)
    'eks.endpoint-public-access', // Control plane hardening
    'eks.secrets-encryption', // Network separation: secrets / etcd
    'eks.audit-logging', // Audit logging: Kubernetes native audit logging
    'eks.supported-version', // Upgrading and application security practices
    'eks.cluster-admin-access', // Authentication and authorization
    'eks.nodegroup-imdsv2', // Protecting sensitive cloud infrastructure
    'eks.nodegroup-remote-access', // Network separation: worker node segmentation
    'eks.addon-current', // Upgrading and application security practices
    'ecr.tag-immutability', // Pod security: building secure container images
    'ecr.scan-on-push', // Pod security: building secure container images
    'ecr.running-image-vulnerabilities', // Upgrading and application security practices
    // Cluster objects (shared/controls/cluster)
    'admission.pod-security', // Pod security enforcement
    'admission.mutation-defaults', // Pod security enforcement
    'admission.allowed-repos', // Pod security: building secure container images
    'network.default-deny', // Network separation: network policies
    'network.workload-isolated', // Network separation: network policies
    'network.nodeport-service', // Network separation
    'dashboard.exposed', // Network separation
    'namespace.resource-quota', // Network separation: resource policies
    'namespace.limit-range', // Network separation: resource policies
    'config.credentials-in-configmap', // Network separation: secrets
    'network.metadata-endpoint-blocked', // Protecting sensitive cloud infrastructure
    'rbac.cluster-admin-binding', // Authentication and authorization
    'rbac.exec-attach', // Authentication and authorization
    'rbac.secrets-read', // Authentication and authorization
    'rbac.wildcard', // Authentication and authorization
    'rbac.escalation-verbs', // Authentication and authorization
    'rbac.anonymous-binding', // Authentication and authorization
    'rbac.default-service-account', // Authentication and authorization
    'logging.forwarder-siem', // Audit logging and threat detection: SIEM
    'logging.forwarder-retry', // Audit logging and threat detection: fault tolerance
    'cluster.metrics-server', // Audit logging and threat detection
  ],
};
