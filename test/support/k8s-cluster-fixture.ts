import { KubeConfig } from '@kubernetes/client-node';
import { viaBearerToken } from '../../shared/collectors/kubernetes/bearer-http.js';
import { viaKubeconfig } from '../../shared/collectors/kubernetes/client-node-http.js';
import type { KubeConnection } from '../../shared/collectors/kubernetes/index.js';
import { type K8sApiServer, kubeconfigFor } from './k8s-api-server.js';
import type { JsonObject } from './k8s-list.js';
import { syntheticPods } from './synthetic-pods.js';

const managed = [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }];

/**
 * A small but complete cluster: namespaces, workloads at every level of ownership, RBAC (with a
 * cluster-admin binding), network policies of three CNIs, Gatekeeper and Kyverno policies, a
 * Secret that must never be read, and server-side bookkeeping (managedFields, status) to strip.
 */
export function mixedClusterObjects(pods = 30): JsonObject[] {
  const ns = (name: string, labels: Record<string, string> = {}) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, managedFields: managed },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  const podTemplate = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] },
  };
  return [
    ns('default'),
    ns('kube-system'),
    ns('team-a', { 'pod-security.kubernetes.io/enforce': 'restricted' }),
    ...Array.from({ length: 50 }, (_, i) => ns(`team-${String(i).padStart(3, '0')}`)),
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'ip-10-0-1-1', labels: { 'eks.amazonaws.com/nodegroup': 'ng-1' } },
      spec: { providerID: 'aws:///eu-west-1a/i-0abc' },
      status: {
        nodeInfo: { kubeletVersion: 'v1.33.1' },
        images: [{ names: ['x'], sizeBytes: 1 }],
        addresses: [{ type: 'InternalIP', address: '10.0.1.1' }],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'team-a',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}', team: 'a' },
        managedFields: managed,
      },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate },
      status: { replicas: 2, readyReplicas: 2 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-1',
        namespace: 'team-a',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }],
      },
      spec: { template: podTemplate },
      status: { replicas: 2 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluent-bit', namespace: 'kube-system' },
      spec: { template: { spec: { containers: [{ name: 'fb', image: 'fluent/fluent-bit:3.1' }] } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'team-a' },
      spec: { template: { spec: { containers: [{ name: 'pg', image: 'postgres:16' }] } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'team-a' },
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'backup:1' }] } } } } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'team-a' },
      spec: { template: { spec: { containers: [{ name: 'm', image: 'migrate:1' }] } } },
    },
    ...syntheticPods(pods, 5),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: { rules: [{ host: 'web.example.com' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fluent-bit-config', namespace: 'kube-system' },
      data: { 'fluent-bit.conf': '[OUTPUT]\n    Name cloudwatch_logs\n    Retry_Limit 5\n' },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'team-a' } },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'team-a' }, spec: { hard: { pods: '10' } } },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'team-a' }, spec: { limits: [{ type: 'Container' }] } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-password', namespace: 'team-a' },
      data: { password: Buffer.from('hunter2-very-secret').toString('base64') },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-all', namespace: 'team-a' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'everything' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', name: 'ops' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'exec', namespace: 'team-a' },
      rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'exec', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec' },
      subjects: [{ kind: 'User', name: 'dev' }],
    },
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: { service: { name: 'metrics-server', namespace: 'kube-system' } },
      status: { conditions: [{ type: 'Available', status: 'True' }] },
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'gatekeeper-validating-webhook-configuration' },
      webhooks: [],
    },
    // CRDs.
    {
      apiVersion: 'crd.antrea.io/v1beta1',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'default-deny' },
      spec: { priority: 100, appliedTo: [{ namespaceSelector: {} }], ingress: [{ action: 'Drop' }] },
    },
    {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'deny-imds' },
      spec: { selector: 'all()', types: ['Egress'], egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }] },
    },
    {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'calico-ns', namespace: 'team-a' },
      spec: { selector: 'all()' },
    },
    { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'ccnp' }, spec: { endpointSelector: {} } },
    {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: 'k8sallowedrepos' },
      spec: { crd: { spec: { names: { kind: 'K8sAllowedRepos' } } } },
    },
    {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'K8sAllowedRepos',
      metadata: { name: 'repo-is-ecr' },
      spec: { enforcementAction: 'deny', parameters: { repos: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/'] } },
      status: { totalViolations: 3 },
    },
    { apiVersion: 'constraints.gatekeeper.sh/v1beta1', kind: 'K8sPSPPrivilegedContainer', metadata: { name: 'no-privileged' }, spec: {} },
    {
      apiVersion: 'mutations.gatekeeper.sh/v1',
      kind: 'Assign',
      metadata: { name: 'no-priv-esc' },
      spec: { location: 'spec.containers[name:*].securityContext.allowPrivilegeEscalation', parameters: { assign: { value: false } } },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'pss' },
      spec: { validationFailureAction: 'Enforce', rules: [] },
    },
  ];
}

/** A client-node KubeConfig for one fake cluster (trusting `caPem` when given, the server's CA otherwise). */
export function kubeConfigFor(server: K8sApiServer, clusterKey = '', token?: string, caPem?: string): KubeConfig {
  const kc = new KubeConfig();
  const ca = caPem ? { caData: Buffer.from(caPem).toString('base64') } : {};
  kc.loadFromString(
    kubeconfigFor(server, [{ name: `ctx-${clusterKey || 'root'}`, cluster: clusterKey, ...(token ? { token } : {}), ...ca }]),
  );
  return kc;
}

/** A bearer-token endpoint for one fake cluster: how the scanner Lambda reaches an EKS API server. */
export function bearerTokenFor(server: K8sApiServer, clusterKey = '', token = 'test-token', caPem = server.tls.caPem): KubeConnection {
  return viaBearerToken({
    name: `ctx-${clusterKey || 'root'}`,
    server: server.url(clusterKey),
    caPem,
    token: () => Promise.resolve(token),
  });
}

/** The two ways the collector reaches an API server; collector tests run over both. */
export const CONNECTIONS: readonly {
  name: string;
  connect: (server: K8sApiServer, clusterKey?: string, token?: string, caPem?: string) => KubeConnection;
}[] = [
  { name: 'kubeconfig via client-node', connect: (...args) => viaKubeconfig(kubeConfigFor(...args)) },
  { name: 'bearer token via node:https', connect: bearerTokenFor },
];
