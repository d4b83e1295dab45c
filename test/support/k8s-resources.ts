/** A resource type a fake API server serves: what discovery documents and list paths are made from. */
export interface ResourceType {
  /** '' for the core group (`/api/v1`). */
  group: string;
  version: string;
  kind: string;
  /** The URL segment: `pods`, `clusternetworkpolicies`. */
  plural: string;
  namespaced: boolean;
  /** Subresources advertised in discovery (`status`, `exec`): a client must not list them. */
  subresources?: string[];
}

export function groupVersion(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

const r = (gv: string, kind: string, plural: string, namespaced: boolean, subresources?: string[]): ResourceType => {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  return { group, version, kind, plural, namespaced, ...(subresources ? { subresources } : {}) };
};

/** The built-in kinds of a current Kubernetes API server (the ones a hardening scan could meet, Secrets included). */
export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  r('v1', 'Namespace', 'namespaces', false, ['status', 'finalize']),
  r('v1', 'Node', 'nodes', false, ['status', 'proxy']),
  r('v1', 'Pod', 'pods', true, ['status', 'exec', 'attach', 'log', 'portforward', 'ephemeralcontainers']),
  r('v1', 'Service', 'services', true, ['status', 'proxy']),
  r('v1', 'ConfigMap', 'configmaps', true),
  r('v1', 'Secret', 'secrets', true),
  r('v1', 'ServiceAccount', 'serviceaccounts', true, ['token']),
  r('v1', 'ResourceQuota', 'resourcequotas', true, ['status']),
  r('v1', 'LimitRange', 'limitranges', true),
  r('v1', 'ReplicationController', 'replicationcontrollers', true, ['status', 'scale']),
  r('v1', 'Event', 'events', true),
  r('apps/v1', 'Deployment', 'deployments', true, ['status', 'scale']),
  r('apps/v1', 'ReplicaSet', 'replicasets', true, ['status', 'scale']),
  r('apps/v1', 'StatefulSet', 'statefulsets', true, ['status', 'scale']),
  r('apps/v1', 'DaemonSet', 'daemonsets', true, ['status']),
  r('batch/v1', 'Job', 'jobs', true, ['status']),
  r('batch/v1', 'CronJob', 'cronjobs', true, ['status']),
  r('networking.k8s.io/v1', 'Ingress', 'ingresses', true, ['status']),
  r('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true),
  r('networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false),
  r('rbac.authorization.k8s.io/v1', 'Role', 'roles', true),
  r('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false),
  r('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true),
  r('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  r('apiregistration.k8s.io/v1', 'APIService', 'apiservices', false, ['status']),
  r('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  r('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false),
  r('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, ['status']),
  r('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false),
  r('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, ['status']),
  r('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, ['status']),
];

/** CRDs of the policy engines and CNIs hardline reads, as their projects install them. */
export const CRD_RESOURCES = {
  antrea: [r('crd.antrea.io/v1beta1', 'ClusterNetworkPolicy', 'clusternetworkpolicies', false, ['status'])],
  antreaLegacy: [r('security.antrea.tanzu.vmware.com/v1alpha1', 'ClusterNetworkPolicy', 'clusternetworkpolicies', false)],
  calico: [
    r('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', 'globalnetworkpolicies', false),
    r('crd.projectcalico.org/v1', 'NetworkPolicy', 'networkpolicies', true),
    r('crd.projectcalico.org/v1', 'Tier', 'tiers', false),
  ],
  cilium: [
    r('cilium.io/v2', 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', true, ['status']),
    r('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', 'ciliumclusterwidenetworkpolicies', false, ['status']),
  ],
  gatekeeper: [
    r('templates.gatekeeper.sh/v1', 'ConstraintTemplate', 'constrainttemplates', false, ['status']),
    r('mutations.gatekeeper.sh/v1', 'Assign', 'assign', false, ['status']),
    r('mutations.gatekeeper.sh/v1', 'AssignMetadata', 'assignmetadata', false, ['status']),
    r('mutations.gatekeeper.sh/v1', 'ModifySet', 'modifyset', false, ['status']),
  ],
  gatewayApi: [
    r('gateway.networking.k8s.io/v1', 'Gateway', 'gateways', true, ['status']),
    r('gateway.networking.k8s.io/v1', 'GatewayClass', 'gatewayclasses', false, ['status']),
    r('gateway.networking.k8s.io/v1', 'HTTPRoute', 'httproutes', true, ['status']),
  ],
  sigstore: [r('policy.sigstore.dev/v1beta1', 'ClusterImagePolicy', 'clusterimagepolicies', false, ['status'])],
  kyverno: [
    r('kyverno.io/v1', 'ClusterPolicy', 'clusterpolicies', false, ['status']),
    r('kyverno.io/v1', 'Policy', 'policies', true, ['status']),
  ],
} as const satisfies Record<string, readonly ResourceType[]>;

/** A Gatekeeper constraint kind (one CRD per ConstraintTemplate; its plural is the lower-cased kind). */
export function gatekeeperConstraint(kind: string): ResourceType {
  return r('constraints.gatekeeper.sh/v1beta1', kind, kind.toLowerCase(), false, ['status']);
}

/** English plural as CRD generators produce it (`policy` → `policies`, `ingress` → `ingresses`). */
export function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}
