import type { Control } from '../types.js';
import { admissionAllowedRepos } from './admission-allowed-repos.js';
import { admissionMutationDefaults } from './admission-mutation-defaults.js';
import { admissionPodSecurity } from './admission-pod-security.js';
import { clusterMetricsServer } from './cluster-metrics-server.js';
import { configCredentialsInConfigmap } from './config-credentials-in-configmap.js';
import { dashboardExposed } from './dashboard-exposed.js';
import { loggingForwarderRetry } from './logging-forwarder-retry.js';
import { loggingForwarderSiem } from './logging-forwarder-siem.js';
import { namespaceLimitRange } from './namespace-limit-range.js';
import { namespaceRequiredLabels } from './namespace-required-labels.js';
import { namespaceResourceQuota } from './namespace-resource-quota.js';
import { networkDefaultDeny } from './network-default-deny.js';
import { networkMetadataEndpointBlocked } from './network-metadata-endpoint-blocked.js';
import { networkNodeportService } from './network-nodeport-service.js';
import { networkUniqueServiceSelector } from './network-unique-service-selector.js';
import { networkWorkloadIsolated } from './network-workload-isolated.js';
import { rbacAnonymousBinding } from './rbac-anonymous-binding.js';
import { rbacClusterAdminBinding } from './rbac-cluster-admin-binding.js';
import { rbacDefaultServiceAccount } from './rbac-default-service-account.js';
import { rbacEscalationVerbs } from './rbac-escalation-verbs.js';
import { rbacExecAttach } from './rbac-exec-attach.js';
import { rbacSecretsRead } from './rbac-secrets-read.js';
import { rbacWildcard } from './rbac-wildcard.js';

/**
 * Cluster-wide controls, in report order. They read the whole inventory (RBAC, policies, admission,
 * logging) rather than one pod.
 *
 * System namespaces (`systemNamespaces`: kube-system, kube-public, kube-node-lease by default):
 * - Security boundaries are always judged there: every RBAC control, config.credentials-in-configmap,
 *   network.default-deny and network.metadata-endpoint-blocked (results carry evidence
 *   `systemNamespace: true` so reports can show them separately). An empty system namespace
 *   (kube-public, kube-node-lease: no pods) is NOT_APPLICABLE for the two network controls.
 * - Namespace hygiene is skipped there by default (NOT_APPLICABLE, still visible):
 *   namespace.resource-quota, namespace.limit-range, namespace.required-labels,
 *   admission.pod-security (EKS runs privileged node agents in kube-system), network.workload-isolated,
 *   and the namespace coverage of admission.allowed-repos. `systemNamespaceControls: evaluate`
 *   judges them like any namespace.
 * - Built-in RBAC that Kubernetes, kubeadm and EKS ship (rbac-builtin.ts) is not reported as a
 *   user finding; `rbac.judgeBuiltIn: true` judges it too.
 * A manifest folder is treated as the whole cluster: what is not in it does not exist.
 */
export const clusterControls: readonly Control[] = [
  rbacClusterAdminBinding,
  rbacExecAttach,
  rbacSecretsRead,
  rbacWildcard,
  rbacEscalationVerbs,
  rbacAnonymousBinding,
  rbacDefaultServiceAccount,
  configCredentialsInConfigmap,
  networkDefaultDeny,
  networkWorkloadIsolated,
  networkMetadataEndpointBlocked,
  networkNodeportService,
  networkUniqueServiceSelector,
  admissionPodSecurity,
  admissionAllowedRepos,
  admissionMutationDefaults,
  loggingForwarderSiem,
  loggingForwarderRetry,
  dashboardExposed,
  namespaceResourceQuota,
  namespaceLimitRange,
  namespaceRequiredLabels,
  clusterMetricsServer,
];
