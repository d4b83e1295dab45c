import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectKubernetesInventory, KUBERNETES_KINDS } from '../../../shared/collectors/kubernetes/index.js';
import type { KubeObject } from '../../../shared/inventory/types.js';
import { K8sApiServer } from '../../support/k8s-api-server.js';
import { CONNECTIONS, mixedClusterObjects } from '../../support/k8s-cluster-fixture.js';
import { CRD_RESOURCES, gatekeeperConstraint } from '../../support/k8s-resources.js';

const ALL_CRDS = [
  ...CRD_RESOURCES.antrea,
  ...CRD_RESOURCES.calico,
  ...CRD_RESOURCES.cilium,
  ...CRD_RESOURCES.gatekeeper,
  ...CRD_RESOURCES.kyverno,
  ...CRD_RESOURCES.gatewayApi,
  ...CRD_RESOURCES.sigstore,
  gatekeeperConstraint('K8sAllowedRepos'),
  gatekeeperConstraint('K8sPSPPrivilegedContainer'),
];

const key = (o: KubeObject) => `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;

describe.each(CONNECTIONS)('collectKubernetesInventory against a real HTTPS API server ($name)', ({ connect }) => {
  let server: K8sApiServer;
  const objects = [
    ...mixedClusterObjects(120),
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'alb' }, spec: { controller: 'ingress.k8s.aws/alb' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'team-a' }, spec: {} },
    { apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy', metadata: { name: 'signed' }, spec: { images: [] } },
  ];

  beforeAll(async () => {
    server = await K8sApiServer.start();
    server.addCluster('full', { objects, resources: ALL_CRDS });
    server.addCluster('gzip', { objects, resources: ALL_CRDS, gzip: true });
    server.addCluster('bare', { objects: objects.filter((o) => ['v1', 'apps/v1'].includes(String(o['apiVersion']))) });
    server.addCluster('antrea-both', {
      resources: [...CRD_RESOURCES.antrea, ...CRD_RESOURCES.antreaLegacy],
      objects: [
        { apiVersion: 'crd.antrea.io/v1beta1', kind: 'ClusterNetworkPolicy', metadata: { name: 'new' } },
        { apiVersion: 'security.antrea.tanzu.vmware.com/v1alpha1', kind: 'ClusterNetworkPolicy', metadata: { name: 'legacy-mirror' } },
      ],
    });
    server.addCluster('antrea-legacy', {
      resources: CRD_RESOURCES.antreaLegacy,
      objects: [{ apiVersion: 'security.antrea.tanzu.vmware.com/v1alpha1', kind: 'ClusterNetworkPolicy', metadata: { name: 'old' } }],
    });
  });
  afterAll(() => server.close());

  it('reads every kind the catalog needs, CRDs included, with apiVersion and kind set on each object', async () => {
    const inv = await collectKubernetesInventory(connect(server, 'full'));
    expect(inv.origin).toBe('live');
    expect(inv.gaps).toEqual([]);
    const expected = objects
      .filter((o) => o['kind'] !== 'Secret')
      .map((o) => key(o as KubeObject))
      .sort();
    expect(inv.resources.map(key).sort()).toEqual(expected);
    for (const o of inv.resources) {
      expect(typeof o.apiVersion).toBe('string');
      expect(typeof o.kind).toBe('string');
    }
    // Both constraint kinds were found through discovery of constraints.gatekeeper.sh.
    expect(
      inv.resources
        .filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1')
        .map((o) => o.kind)
        .sort(),
    ).toEqual(['K8sAllowedRepos', 'K8sPSPPrivilegedContainer']);
    expect(inv.absentKinds).not.toContain('NetworkPolicy');
    expect(inv.absentKinds).not.toContain('GatekeeperConstraint');
  });

  it('reads gzip-encoded answers (as kube-apiserver sends large lists) into the same inventory', async () => {
    const plain = await collectKubernetesInventory(connect(server, 'full'), { pageSize: 25 });
    const before = server.cluster('gzip').gzipped;
    const gzipped = await collectKubernetesInventory(connect(server, 'gzip'), { pageSize: 25 });
    expect(server.cluster('gzip').gzipped - before).toBeGreaterThan(10);
    expect(gzipped.resources.map(key).sort()).toEqual(plain.resources.map(key).sort());
    expect(gzipped.gaps).toEqual([]);
  });

  it('never sends a request that touches Secrets, though the server holds one', async () => {
    const cluster = server.cluster('full');
    const before = cluster.requests.length;
    const inv = await collectKubernetesInventory(connect(server, 'full'));
    const paths = cluster.requests.slice(before).map((r) => r.path);
    expect(paths.length).toBeGreaterThan(KUBERNETES_KINDS.length);
    expect(paths.filter((p) => p.includes('secrets'))).toEqual([]);
    expect(inv.resources.some((o) => o.kind === 'Secret')).toBe(false);
    expect(JSON.stringify(inv)).not.toContain(Buffer.from('hunter2-very-secret').toString('base64'));
  });

  it('refuses a kinds list that names Secrets: a gap, and still no request', async () => {
    const cluster = server.cluster('full');
    const before = cluster.requests.length;
    const inv = await collectKubernetesInventory(connect(server, 'full'), {
      kinds: [{ kind: 'Secret', versions: ['v1'], plural: 'secrets', namespaced: true, retain: 'all' }],
      dynamicGroups: [],
    });
    expect(inv.resources).toEqual([]);
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'Secret', reason: 'error' })]);
    expect(cluster.requests.slice(before).filter((r) => r.path.includes('secrets'))).toEqual([]);
  });

  it('paging across many pages gives exactly the same inventory as one page', async () => {
    const cluster = server.cluster('full');
    const onePage = await collectKubernetesInventory(connect(server, 'full'), { pageSize: 100_000 });
    const before = cluster.requests.length;
    const paged = await collectKubernetesInventory(connect(server, 'full'), { pageSize: 1 });
    const pageRequests = cluster.requests.slice(before).filter((r) => r.query['continue'] !== undefined);
    // One request per object beyond each kind's first: the continue path really was exercised.
    expect(pageRequests.length).toBeGreaterThan(objects.length - KUBERNETES_KINDS.length - 10);
    expect(pageRequests.every((r) => r.query['limit'] === '1')).toBe(true);
    expect(paged.resources).toEqual(onePage.resources);
    expect(paged.gaps).toEqual(onePage.gaps);
    expect(paged.absentKinds).toEqual(onePage.absentKinds);
  });

  it('strips managedFields, the last-applied annotation and status as pages arrive, keeping what controls read', async () => {
    const inv = await collectKubernetesInventory(connect(server, 'full'), { pageSize: 7 });
    expect(JSON.stringify(inv)).not.toContain('managedFields');
    expect(JSON.stringify(inv)).not.toContain('last-applied-configuration');
    const deploy = inv.resources.find((o) => o.kind === 'Deployment')!;
    expect(deploy.metadata?.annotations).toEqual({ team: 'a' });
    expect(deploy['status']).toBeUndefined();
    expect(deploy['spec']).toMatchObject({ template: { spec: { containers: [{ securityContext: { privileged: true } }] } } });
    const rs = inv.resources.find((o) => o.kind === 'ReplicaSet')!;
    expect(rs.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }]);
    const pod = inv.resources.find((o) => o.kind === 'Pod')!;
    expect(pod['status']).toEqual({
      phase: 'Running',
      containerStatuses: [{ name: 'main', image: expect.any(String), imageID: expect.stringContaining('@sha256:') }],
    });
    expect(pod.metadata?.labels).toBeDefined();
    const node = inv.resources.find((o) => o.kind === 'Node')!;
    expect(Object.keys(node).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'status']);
    expect(node['status']).toEqual({ addresses: [{ type: 'InternalIP', address: '10.0.1.1' }] });
    expect(node.metadata?.labels).toEqual({ 'eks.amazonaws.com/nodegroup': 'ng-1' });
    const cm = inv.resources.find((o) => o.kind === 'ConfigMap')!;
    expect(cm['data']).toEqual({ 'fluent-bit.conf': expect.stringContaining('Retry_Limit 5') });
    const constraint = inv.resources.find((o) => o.kind === 'K8sAllowedRepos')!;
    expect(constraint['status']).toEqual({ totalViolations: 3 });
  });

  it('finds absent CRDs through discovery and never lists them', async () => {
    const cluster = server.cluster('bare');
    const inv = await collectKubernetesInventory(connect(server, 'bare'));
    expect(inv.gaps).toEqual([]);
    expect(new Set(inv.absentKinds)).toEqual(
      new Set([
        'ClusterNetworkPolicy',
        'GlobalNetworkPolicy',
        'CiliumNetworkPolicy',
        'CiliumClusterwideNetworkPolicy',
        'ConstraintTemplate',
        'Assign',
        'AssignMetadata',
        'ModifySet',
        'ClusterPolicy',
        'Policy',
        'GatekeeperConstraint',
        'Tier',
        'ClusterGroup',
        'Group',
        'EC2NodeClass',
        'IngressClassParams',
        'Gateway',
        'GatewayClass',
        'HTTPRoute',
        'ClusterImagePolicy',
      ]),
    );
    // Calico's and Antrea's NetworkPolicy are absent, Kubernetes' is not: the shared kind name stays out of absentKinds.
    expect(inv.absentKinds).not.toContain('NetworkPolicy');
    expect(
      cluster.requests.filter((r) =>
        /gatekeeper|antrea|calico|cilium|kyverno|karpenter|gateway\.networking|sigstore|elbv2|eks\.amazonaws/.test(r.path),
      ),
    ).toEqual([]);
  });

  it('lists a kind under the first served version only (no duplicates from legacy groups)', async () => {
    const both = await collectKubernetesInventory(connect(server, 'antrea-both'));
    expect(both.resources.filter((o) => o.kind === 'ClusterNetworkPolicy').map((o) => `${o.apiVersion} ${o.metadata?.name}`)).toEqual([
      'crd.antrea.io/v1beta1 new',
    ]);
    const legacy = await collectKubernetesInventory(connect(server, 'antrea-legacy'));
    expect(legacy.resources.filter((o) => o.kind === 'ClusterNetworkPolicy').map((o) => o.apiVersion)).toEqual([
      'security.antrea.tanzu.vmware.com/v1alpha1',
    ]);
    expect(legacy.absentKinds).not.toContain('ClusterNetworkPolicy');
  });

  it('reports progress per kind and uses the given target', async () => {
    const seen: string[] = [];
    const inv = await collectKubernetesInventory(connect(server, 'full'), {
      target: { kind: 'cluster', name: 'prod', accountId: '123456789012', region: 'eu-west-1' },
      now: () => new Date('2026-11-01T00:00:00Z'),
      onProgress: (p) => seen.push(p.kind),
    });
    expect(inv.target).toEqual({ kind: 'cluster', name: 'prod', accountId: '123456789012', region: 'eu-west-1' });
    expect(inv.collectedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(seen).toContain('Pod');
    expect(seen).toContain('K8sAllowedRepos');
  });
});
