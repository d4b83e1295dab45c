/**
 * What the live collector reads from an API server: one entry per kind the catalog's controls
 * need. Adding a kind for a new control = one line here (and the same resource in
 * deploy/hardline-readers.yaml). Secrets are never listed: no control needs their values, and a
 * scanner that can read them is itself a risk (NSA/CISA: least privilege for service accounts).
 */

/** How much of an object survives the page it arrived in (managedFields and the last-applied annotation never do). */
export type Retain =
  /** Everything else. */
  | 'all'
  /** Drop `status`: controls judge desired state (spec), not what controllers report. */
  | 'spec'
  /** Nodes: metadata and the addresses of the status (an ExternalIP is a public node), not its heavy rest. */
  | 'node'
  /** Drop `status` except the phase and which image (digest) each container runs — what ECR findings are matched on. */
  | 'pod';

export interface KindSpec {
  kind: string;
  /**
   * Group/versions that serve this kind, most preferred first (`v1` = core). The first one the
   * server's discovery says it serves is listed; the others are the same objects under an older
   * version or group and would be duplicates.
   */
  versions: readonly string[];
  /** URL segment, used when discovery cannot tell (servers without per-group discovery documents). */
  plural: string;
  namespaced: boolean;
  retain: Retain;
}

const k = (kind: string, versions: string | readonly string[], plural: string, namespaced: boolean, retain: Retain = 'all'): KindSpec => ({
  kind,
  versions: typeof versions === 'string' ? [versions] : versions,
  plural,
  namespaced,
  retain,
});

const ANTREA = ['crd.antrea.io/v1beta1', 'crd.antrea.io/v1alpha1', 'security.antrea.tanzu.vmware.com/v1alpha1'] as const;

export const KUBERNETES_KINDS: readonly KindSpec[] = [
  k('Namespace', 'v1', 'namespaces', false, 'spec'),
  k('Node', 'v1', 'nodes', false, 'node'),
  // Workloads: every pod-bearing kind (workload.* controls), spec only.
  k('Pod', 'v1', 'pods', true, 'pod'),
  k('Deployment', 'apps/v1', 'deployments', true, 'spec'),
  k('ReplicaSet', 'apps/v1', 'replicasets', true, 'spec'),
  k('StatefulSet', 'apps/v1', 'statefulsets', true, 'spec'),
  k('DaemonSet', 'apps/v1', 'daemonsets', true, 'spec'),
  k('Job', 'batch/v1', 'jobs', true, 'spec'),
  k('CronJob', 'batch/v1', 'cronjobs', true, 'spec'),
  k('ReplicationController', 'v1', 'replicationcontrollers', true, 'spec'),
  // Network exposure and configuration.
  k('Service', 'v1', 'services', true),
  k('Ingress', 'networking.k8s.io/v1', 'ingresses', true),
  // Which controller serves an Ingress (ingress-nginx, the AWS Load Balancer Controller, …) and the default class.
  k('IngressClass', 'networking.k8s.io/v1', 'ingressclasses', false),
  // A class's parameters can set the scheme of every ALB of the class (AWS Load Balancer Controller, EKS Auto Mode).
  k('IngressClassParams', ['elbv2.k8s.aws/v1beta1'], 'ingressclassparams', false),
  k('IngressClassParams', ['eks.amazonaws.com/v1'], 'ingressclassparams', false),
  // Gateway API (CRDs): internet-facing Gateways, their classes' controllers and the routes to Services.
  k('Gateway', ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'], 'gateways', true),
  k('GatewayClass', ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'], 'gatewayclasses', false),
  k('HTTPRoute', ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'], 'httproutes', true),
  k('ConfigMap', 'v1', 'configmaps', true),
  k('ServiceAccount', 'v1', 'serviceaccounts', true),
  k('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', true),
  k('ResourceQuota', 'v1', 'resourcequotas', true),
  k('LimitRange', 'v1', 'limitranges', true),
  // RBAC.
  k('Role', 'rbac.authorization.k8s.io/v1', 'roles', true),
  k('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  k('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings', true),
  k('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', false),
  // Cluster services and admission.
  k('APIService', 'apiregistration.k8s.io/v1', 'apiservices', false),
  k('ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/v1', 'validatingwebhookconfigurations', false),
  k('MutatingWebhookConfiguration', 'admissionregistration.k8s.io/v1', 'mutatingwebhookconfigurations', false),
  k('ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1', 'validatingadmissionpolicies', false),
  k('ValidatingAdmissionPolicyBinding', 'admissionregistration.k8s.io/v1', 'validatingadmissionpolicybindings', false),
  // CNI policies (CRDs; absent ones are found through discovery and listed in absentKinds).
  k('ClusterNetworkPolicy', ANTREA, 'clusternetworkpolicies', false),
  k('GlobalNetworkPolicy', ['projectcalico.org/v3', 'crd.projectcalico.org/v1'], 'globalnetworkpolicies', false),
  // Calico's and Antrea's namespaced policies share the kind name NetworkPolicy with Kubernetes':
  // controls tell them apart by apiVersion (and a gap on any of them is a gap on "NetworkPolicy").
  k('NetworkPolicy', ['projectcalico.org/v3', 'crd.projectcalico.org/v1'], 'networkpolicies', true),
  // Antrea's namespaced policies, tiers (precedence) and named groups that policies reference.
  k('NetworkPolicy', ANTREA, 'networkpolicies', true),
  k('Tier', ANTREA, 'tiers', false),
  k('ClusterGroup', ['crd.antrea.io/v1beta1', 'crd.antrea.io/v1alpha3', 'crd.antrea.io/v1alpha2'], 'clustergroups', false),
  k('Group', ['crd.antrea.io/v1beta1', 'crd.antrea.io/v1alpha3'], 'groups', true),
  k('Tier', ['projectcalico.org/v3', 'crd.projectcalico.org/v1'], 'tiers', false),
  k('CiliumNetworkPolicy', 'cilium.io/v2', 'ciliumnetworkpolicies', true),
  k('CiliumClusterwideNetworkPolicy', 'cilium.io/v2', 'ciliumclusterwidenetworkpolicies', false),
  // Policy engines.
  k('ConstraintTemplate', ['templates.gatekeeper.sh/v1', 'templates.gatekeeper.sh/v1beta1'], 'constrainttemplates', false),
  k('Assign', ['mutations.gatekeeper.sh/v1', 'mutations.gatekeeper.sh/v1beta1', 'mutations.gatekeeper.sh/v1alpha1'], 'assign', false),
  k(
    'AssignMetadata',
    ['mutations.gatekeeper.sh/v1', 'mutations.gatekeeper.sh/v1beta1', 'mutations.gatekeeper.sh/v1alpha1'],
    'assignmetadata',
    false,
  ),
  k('ModifySet', ['mutations.gatekeeper.sh/v1', 'mutations.gatekeeper.sh/v1beta1', 'mutations.gatekeeper.sh/v1alpha1'], 'modifyset', false),
  k('ClusterPolicy', 'kyverno.io/v1', 'clusterpolicies', false),
  k('Policy', 'kyverno.io/v1', 'policies', true),
  // Sigstore policy-controller: image signature verification at admission.
  k('ClusterImagePolicy', ['policy.sigstore.dev/v1beta1', 'policy.sigstore.dev/v1alpha1'], 'clusterimagepolicies', false),
  // Karpenter node classes: their metadataOptions decide whether pods reach IMDS on Karpenter nodes.
  k('EC2NodeClass', ['karpenter.k8s.aws/v1', 'karpenter.k8s.aws/v1beta1'], 'ec2nodeclasses', false),
];

/**
 * Groups whose kinds are not known in advance: every resource discovery lists in them is
 * collected. Gatekeeper creates one constraint kind per ConstraintTemplate
 * (K8sAllowedRepos, K8sPSPPrivilegedContainer, …) in constraints.gatekeeper.sh.
 */
export interface DynamicGroupSpec {
  group: string;
  versions: readonly string[];
  /**
   * Gap source / absent-kind name standing for "all kinds of this group" when discovery cannot
   * list them. When ConstraintTemplates were read, each template's constraint kind gets a gap too.
   */
  source: string;
}

export const GATEKEEPER_CONSTRAINTS: DynamicGroupSpec = {
  group: 'constraints.gatekeeper.sh',
  versions: ['v1beta1', 'v1', 'v1alpha1'],
  source: 'GatekeeperConstraint',
};

export const DYNAMIC_GROUPS: readonly DynamicGroupSpec[] = [GATEKEEPER_CONSTRAINTS];

/** Resources the collector refuses to request, whatever a caller or discovery says. */
export const NEVER_READ_RESOURCES: ReadonlySet<string> = new Set(['secrets']);
