/**
 * RBAC objects Kubernetes (bootstrap policy, kubeadm) and EKS ship. They are recognised and not
 * reported as user findings (`rbac.judgeBuiltIn: true` in the config judges them too). A binding
 * is built-in only for the subjects listed here: a user added to the shipped `cluster-admin`
 * binding is still reported. Sources: kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy
 * (cluster-role-bindings, namespace-role-bindings), kubeadm's phases, and a fresh EKS cluster.
 */
export interface BuiltInBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  /** Binding name; a trailing `*` matches a prefix. */
  name: string;
  namespace?: string;
  roleRef: string;
  /** `Kind:name` (ServiceAccount `ServiceAccount:ns/name`); a trailing `*` matches a prefix. */
  subjects: readonly string[];
  origin: 'kubernetes' | 'kubeadm' | 'eks';
}

const crb = (name: string, roleRef: string, subjects: string[], origin: BuiltInBinding['origin'] = 'kubernetes'): BuiltInBinding => ({
  kind: 'ClusterRoleBinding',
  name,
  roleRef,
  subjects,
  origin,
});
const rb = (
  namespace: string,
  name: string,
  roleRef: string,
  subjects: string[],
  origin: BuiltInBinding['origin'] = 'kubernetes',
): BuiltInBinding => ({
  kind: 'RoleBinding',
  namespace,
  name,
  roleRef,
  subjects,
  origin,
});

/** Bindings whose subjects are broad or anonymous: listed one by one, never matched by a pattern. */
export const BUILT_IN_BINDINGS: readonly BuiltInBinding[] = [
  crb('cluster-admin', 'cluster-admin', ['Group:system:masters']),
  crb('system:basic-user', 'system:basic-user', ['Group:system:authenticated']),
  crb('system:discovery', 'system:discovery', ['Group:system:authenticated']),
  crb('system:public-info-viewer', 'system:public-info-viewer', ['Group:system:authenticated', 'Group:system:unauthenticated']),
  crb('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', ['Group:system:serviceaccounts']),
  crb('system:monitoring', 'system:monitoring', ['Group:system:monitoring']),
  crb('system:kube-controller-manager', 'system:kube-controller-manager', ['User:system:kube-controller-manager']),
  crb('system:kube-scheduler', 'system:kube-scheduler', ['User:system:kube-scheduler']),
  crb('system:volume-scheduler', 'system:volume-scheduler', ['User:system:kube-scheduler']),
  crb('system:node-proxier', 'system:node-proxier', ['User:system:kube-proxy']),
  crb('system:kube-dns', 'system:kube-dns', ['ServiceAccount:kube-system/kube-dns']),
  crb('system:controller:*', 'system:controller:*', ['ServiceAccount:kube-system/*']),
  // Add-ons EKS installs (CoreDNS, metrics-server, …) bind their own system:* roles to their kube-system service accounts.
  crb('system:*', 'system:*', ['ServiceAccount:kube-system/*']),
  rb('kube-system', 'system::extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', [
    'User:system:kube-controller-manager',
    'User:system:kube-scheduler',
  ]),
  rb('kube-system', 'system::leader-locking-kube-controller-manager', 'system::leader-locking-kube-controller-manager', [
    'User:system:kube-controller-manager',
    'ServiceAccount:kube-system/kube-controller-manager',
  ]),
  rb('kube-system', 'system::leader-locking-kube-scheduler', 'system::leader-locking-kube-scheduler', [
    'User:system:kube-scheduler',
    'ServiceAccount:kube-system/kube-scheduler',
  ]),
  rb('kube-system', 'system:controller:*', 'system:controller:*', ['ServiceAccount:kube-system/*']),
  rb('kube-public', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [
    'ServiceAccount:kube-system/bootstrap-signer',
  ]),
  crb('kubeadm:cluster-admins', 'cluster-admin', ['Group:kubeadm:cluster-admins'], 'kubeadm'),
  crb('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', ['Group:system:bootstrappers:kubeadm:default-node-token'], 'kubeadm'),
  crb(
    'kubeadm:node-autoapprove-bootstrap',
    'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    ['Group:system:bootstrappers:kubeadm:default-node-token'],
    'kubeadm',
  ),
  crb(
    'kubeadm:node-autoapprove-certificate-rotation',
    'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    ['Group:system:nodes'],
    'kubeadm',
  ),
  crb('kubeadm:get-nodes', 'kubeadm:get-nodes', ['Group:system:bootstrappers:kubeadm:default-node-token'], 'kubeadm'),
  // kubeadm lets anyone read the cluster-info ConfigMap (CA and endpoint) for node bootstrap.
  rb('kube-public', 'kubeadm:bootstrap-signer-clusterinfo', 'kubeadm:bootstrap-signer-clusterinfo', ['User:system:anonymous'], 'kubeadm'),
  rb('kube-system', 'kubeadm:*', 'kubeadm:*', ['Group:system:bootstrappers:kubeadm:default-node-token', 'Group:system:nodes'], 'kubeadm'),
  crb('eks:addon-cluster-admin', 'cluster-admin', ['User:eks:addon-manager'], 'eks'),
  crb('eks:podsecuritypolicy:authenticated', 'eks:podsecuritypolicy:privileged', ['Group:system:authenticated'], 'eks'),
  crb('eks:kube-proxy-windows', 'system:node-proxier', ['Group:eks:kube-proxy-windows'], 'eks'),
  crb('eks:node-bootstrapper', 'eks:node-bootstrapper', ['Group:system:bootstrappers', 'Group:system:nodes'], 'eks'),
  crb('aws-node', 'aws-node', ['ServiceAccount:kube-system/aws-node'], 'eks'),
  crb(
    'eks:*',
    'eks:*',
    ['User:eks:*', 'Group:eks:*', 'ServiceAccount:kube-system/*', 'Group:system:nodes', 'Group:system:bootstrappers'],
    'eks',
  ),
  rb('kube-system', 'eks:*', 'eks:*', ['User:eks:*', 'Group:eks:*', 'ServiceAccount:kube-system/*', 'Group:system:nodes'], 'eks'),
  rb('kube-public', 'eks:*', 'eks:*', ['User:eks:*', 'Group:eks:*'], 'eks'),
  rb('kube-node-lease', 'eks:*', 'eks:*', ['User:eks:*', 'Group:eks:*'], 'eks'),
];

/** ClusterRoles shipped by Kubernetes/EKS: judged only through the bindings that grant them. */
export const BUILT_IN_CLUSTER_ROLES: readonly string[] = [
  'cluster-admin',
  'admin',
  'edit',
  'view',
  'system:*',
  'eks:*',
  'kubeadm:*',
  'aws-node',
];
/** Roles shipped in platform namespaces. */
export const BUILT_IN_ROLES: readonly { namespace: string; name: string }[] = [
  { namespace: 'kube-system', name: 'system:*' },
  { namespace: 'kube-system', name: 'system::*' },
  { namespace: 'kube-system', name: 'extension-apiserver-authentication-reader' },
  { namespace: 'kube-system', name: 'eks:*' },
  { namespace: 'kube-system', name: 'kubeadm:*' },
  { namespace: 'kube-public', name: 'system:*' },
  { namespace: 'kube-public', name: 'eks:*' },
  { namespace: 'kube-public', name: 'kubeadm:*' },
  { namespace: 'kube-node-lease', name: 'eks:*' },
];

export interface RuleData {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  nonResourceURLs?: string[];
}

const POD_ACCESS = ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'];
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
/** What system:aggregate-to-edit (and so edit and admin) grants on workloads and service account tokens. */
const EDIT_WORKLOADS: RuleData[] = [
  { apiGroups: [''], resources: ['replicationcontrollers', 'serviceaccounts'], verbs: WRITE },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: ['apps'], resources: ['statefulsets', 'daemonsets', 'deployments', 'replicasets'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
];

/**
 * What the user-facing ClusterRoles grant, for manifest scans where they are not in the inventory
 * (a live inventory has them and its rules win). Only the rules the RBAC controls look at.
 */
export const BUILT_IN_ROLE_RULES: Readonly<Record<string, { rules: RuleData[]; aggregateLabel?: string }>> = {
  'cluster-admin': {
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  },
  admin: {
    aggregateLabel: 'rbac.authorization.k8s.io/aggregate-to-admin',
    rules: [
      { apiGroups: [''], resources: POD_ACCESS, verbs: READ },
      { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets'], verbs: WRITE },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      ...EDIT_WORKLOADS,
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...READ, ...WRITE] },
    ],
  },
  edit: {
    aggregateLabel: 'rbac.authorization.k8s.io/aggregate-to-edit',
    rules: [
      { apiGroups: [''], resources: POD_ACCESS, verbs: READ },
      { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets'], verbs: WRITE },
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
      ...EDIT_WORKLOADS,
    ],
  },
  view: {
    aggregateLabel: 'rbac.authorization.k8s.io/aggregate-to-view',
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'configmaps'], verbs: READ }],
  },
};

/** `a*` prefix or exact match. */
export function namePatternMatches(pattern: string, value: string): boolean {
  return pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : pattern === value;
}
