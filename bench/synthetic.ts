import type { Inventory, KubeObject } from '../shared/inventory/types.js';
import { seededRandom } from '../test/support/random.js';

export interface SyntheticOptions {
  seed?: number;
  /** Total objects to generate (approximately; whole namespaces are generated). */
  objects?: number;
  /** Generate bare Pods (as a live cluster lists them) instead of Deployments. */
  podsOnly?: boolean;
}

const REGISTRIES = ['111122223333.dkr.ecr.eu-west-1.amazonaws.com/', 'public.ecr.aws/', 'docker.io/', 'quay.io/', ''];

/**
 * Objects as the API server returns them (and a snapshot keeps them): server-set metadata and the
 * defaulted fields of pod specs. Without these the inventory would be smaller than any real one.
 */
function serverMeta(rand: () => number, meta: Record<string, unknown>, helm: boolean): Record<string, unknown> {
  const id = Math.floor(rand() * 1e15)
    .toString(16)
    .padStart(12, '0');
  const labels = (meta['labels'] as Record<string, string> | undefined) ?? {};
  return {
    ...meta,
    uid: `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(0, 3)}-a${id.slice(3, 6)}-${id}`,
    resourceVersion: String(Math.floor(rand() * 1e8)),
    generation: 1 + Math.floor(rand() * 20),
    creationTimestamp: '2026-10-14T09:12:44Z',
    labels: helm ? { ...labels, 'app.kubernetes.io/managed-by': 'Helm', 'helm.sh/chart': `chart-1.${Math.floor(rand() * 9)}.0` } : labels,
    ...(helm
      ? {
          annotations: {
            'meta.helm.sh/release-name': String(meta['name']),
            'meta.helm.sh/release-namespace': String(meta['namespace'] ?? ''),
          },
        }
      : {}),
  };
}

function defaultedContainer(c: Record<string, unknown>): Record<string, unknown> {
  return {
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
    ...c,
    ports: ((c['ports'] as Record<string, unknown>[] | undefined) ?? []).map((p) => ({ protocol: 'TCP', ...p })),
  };
}

function defaultedPodSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    ...spec,
    containers: (spec['containers'] as Record<string, unknown>[]).map(defaultedContainer),
    initContainers: (spec['initContainers'] as Record<string, unknown>[]).map(defaultedContainer),
  };
}

/**
 * A realistic cluster: per namespace a Namespace (some labelled for PSA), Deployments with an app
 * container plus sidecars (some hardened, some not), Services, ConfigMaps (some holding credentials),
 * ServiceAccounts, RBAC (Roles, RoleBindings, some wildcard), NetworkPolicies (some default-deny).
 */
export function syntheticInventory(opts: SyntheticOptions = {}): Inventory {
  const rand = seededRandom(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const target = opts.objects ?? 50_000;
  const resources: KubeObject[] = [];
  let n = 0;
  while (resources.length < target) {
    const ns = `team-${n++}`;
    const hardened = rand() < 0.4;
    resources.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          'kubernetes.io/metadata.name': ns,
          ...(hardened ? { 'pod-security.kubernetes.io/enforce': 'restricted', owner: `team-${n}` } : {}),
        },
      },
    });
    if (rand() < 0.5) {
      resources.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: ns },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }
    resources.push({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'app', namespace: ns },
      automountServiceAccountToken: rand() < 0.5,
    });
    resources.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'app', namespace: ns },
      rules: [
        {
          apiGroups: [''],
          resources: rand() < 0.2 ? ['*'] : ['configmaps', 'pods'],
          verbs: rand() < 0.2 ? ['*'] : ['get', 'list', 'watch'],
        },
      ],
    });
    resources.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'app', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'app' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: ns }],
    });
    const apps = 5 + Math.floor(rand() * 10);
    for (let i = 0; i < apps && resources.length < target; i++) {
      const name = `svc-${i}`;
      const secure = hardened || rand() < 0.3;
      const sc = secure
        ? {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          }
        : rand() < 0.1
          ? { privileged: true }
          : {};
      const containers = [
        {
          name: 'app',
          image: `${pick(REGISTRIES)}team/${name}:${rand() < 0.2 ? 'latest' : `1.${i}.0`}`,
          ports: [{ containerPort: 8080 }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            rand() < 0.1
              ? { name: 'DB_PASSWORD', value: `pw-${Math.floor(rand() * 1e9)}` }
              : { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          ],
          resources: rand() < 0.7 ? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } } : {},
          securityContext: sc,
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        },
        {
          name: 'envoy',
          image: 'public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod',
          securityContext: sc,
          resources: { limits: { cpu: '200m', memory: '128Mi' } },
        },
      ];
      const podSpec = defaultedPodSpec({
        serviceAccountName: 'app',
        ...(rand() < 0.05 ? { hostNetwork: true } : {}),
        securityContext: secure ? { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } : {},
        containers,
        initContainers: rand() < 0.3 ? [{ name: 'migrate', image: `team/${name}-migrate:1.0`, securityContext: sc }] : [],
        volumes: [{ name: 'tmp', emptyDir: {} }, ...(rand() < 0.05 ? [{ name: 'host', hostPath: { path: '/var/run' } }] : [])],
      });
      const labels = { app: name, 'app.kubernetes.io/name': name };
      if (opts.podsOnly) {
        resources.push({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: serverMeta(rand, { name: `${name}-${i}`, namespace: ns, labels }, false),
          spec: { ...podSpec, nodeName: `ip-10-0-${Math.floor(rand() * 255)}-${Math.floor(rand() * 255)}.eu-west-1.compute.internal` },
        });
      } else {
        resources.push({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: serverMeta(rand, { name, namespace: ns, labels }, true),
          spec: {
            replicas: 2,
            revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600,
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: podSpec },
          },
        });
      }
      resources.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: serverMeta(rand, { name, namespace: ns, labels }, true),
        spec: {
          type: rand() < 0.05 ? 'NodePort' : 'ClusterIP',
          selector: labels,
          ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
          clusterIP: `172.20.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)}`,
          sessionAffinity: 'None',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          internalTrafficPolicy: 'Cluster',
        },
      });
      resources.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: serverMeta(rand, { name: `${name}-config`, namespace: ns }, true),
        data: {
          'application.yaml': `server:\n  port: 8080\n`,
          ...(rand() < 0.05 ? { api_key: `k-${Math.floor(rand() * 1e12).toString(36)}xYz9Q` } : {}),
        },
      });
    }
  }
  return {
    target: { kind: 'cluster', name: 'synthetic', accountId: '111122223333', region: 'eu-west-1' },
    collectedAt: '2026-11-30T00:00:00Z',
    origin: 'snapshot',
    resources,
    gaps: [],
  };
}

/** `count` bare pods, as a live collector would list them. */
export function syntheticPods(count: number, seed = 7): Inventory {
  const inv = syntheticInventory({ seed, objects: Math.ceil(count * 1.6), podsOnly: true });
  let pods = 0;
  inv.resources = inv.resources.filter((o) => o.kind !== 'Pod' || pods++ < count);
  return inv;
}
