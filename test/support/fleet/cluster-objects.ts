import type { KubeObject } from '../../../shared/inventory/types.js';
import { seededRandom } from '../random.js';

/**
 * One small, realistic application cluster: a hardened namespace (PSA restricted, quota, limits,
 * default deny) running a hardened web Deployment with an Envoy sidecar next to a legacy one with
 * seeded misconfigurations, namespaced RBAC, sometimes a wildcard ClusterRole and a ConfigMap
 * holding a password. About 20–30 findings per cluster: the fleet's size is in clusters.
 *
 * `change` is what happened in the cluster before the second scan:
 * - visible: the legacy Deployment was removed (its findings resolve), a debug Pod appeared (new findings);
 * - workloads: the legacy Deployment was removed (hidden by a Deployment-list timeout);
 * - rbac: the wildcard ClusterRole was removed (hidden by a 403 on RBAC);
 * - all: everything above (the cluster is not read at all).
 */
export type ClusterChange = 'none' | 'visible' | 'workloads' | 'rbac' | 'all';

export interface ClusterObjectsOptions {
  seed: number;
  cluster: string;
  accountId: string;
  region: string;
  forceWildcard?: boolean;
  change?: ClusterChange;
}

const NS = 'shop';

const hardenedContainer = (name: string, image: string) => ({
  name,
  image,
  imagePullPolicy: 'IfNotPresent',
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10_001,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
});

function deployment(name: string, podSpec: Record<string, unknown>): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

export function clusterObjects(o: ClusterObjectsOptions): KubeObject[] {
  const rand = seededRandom(o.seed);
  const change = o.change ?? 'none';
  const ecr = `${o.accountId}.dkr.ecr.${o.region}.amazonaws.com`;
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: NS,
        labels: { 'kubernetes.io/metadata.name': NS, owner: 'team-shop', 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: NS },
      spec: { hard: { 'requests.cpu': '20', 'requests.memory': '40Gi', pods: '100' } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits', namespace: NS },
      spec: {
        limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: NS },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: NS }, automountServiceAccountToken: false },
    deployment('web', {
      serviceAccountName: 'web',
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        hardenedContainer('app', `${ecr}/shop/web:1.4.${Math.floor(rand() * 9)}`),
        hardenedContainer('envoy', 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod'),
      ],
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: NS },
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'web-reader', namespace: NS },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'web-reader', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'web-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: NS }],
    },
  ];
  const config: Record<string, string> = { LOG_LEVEL: 'info' };
  if (rand() < 0.3) config['db_password'] = `pw-${Math.floor(rand() * 1e9).toString(36)}-${o.cluster}`;
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: NS }, data: config });

  const wildcard = o.forceWildcard || rand() < 0.35;
  if (wildcard && change !== 'rbac' && change !== 'all') {
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'ops-admin' },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    });
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ops-admin' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ops-admin' },
      subjects: [{ kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' }],
    });
  }

  // The legacy service: what a real estate drags along, a different mix in every cluster.
  const legacy: Record<string, unknown> = {
    name: 'legacy',
    image: rand() < 0.5 ? 'docker.io/library/nginx:latest' : `${ecr}/shop/legacy:2.0`,
    ports: [{ containerPort: 8080 }],
  };
  if (rand() < 0.3) legacy['securityContext'] = { privileged: true };
  if (rand() < 0.5) legacy['env'] = [{ name: 'API_TOKEN', value: `tok-${Math.floor(rand() * 1e12).toString(36)}` }];
  const legacyPod: Record<string, unknown> = { containers: [legacy] };
  if (rand() < 0.3) legacyPod['volumes'] = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }];
  if (change === 'none' || change === 'rbac') objects.push(deployment('legacy', legacyPod));

  if (change === 'visible' || change === 'all') {
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug-shell', namespace: NS },
      spec: { hostPID: true, containers: [{ name: 'sh', image: 'docker.io/library/busybox:1.36', command: ['sleep', 'infinity'] }] },
    });
  }
  return objects;
}
