import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectKubernetesInventory, type CollectOptions } from '../../../shared/collectors/kubernetes/index.js';
import type { KubeObject } from '../../../shared/inventory/types.js';
import { K8sApiServer } from '../../support/k8s-api-server.js';
import { CONNECTIONS, mixedClusterObjects } from '../../support/k8s-cluster-fixture.js';
import { BUILTIN_RESOURCES, CRD_RESOURCES } from '../../support/k8s-resources.js';

const FAST: CollectOptions = { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 }, random: () => 0 };
const key = (o: KubeObject) => `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name ?? ''}`;

/**
 * API servers that are not kube-apiserver (an independent test server, a proxy, an older or
 * trimmed-down implementation) and still speak the list API: the collector must not depend on
 * the quirks of hardline's own fake.
 */
describe.each(CONNECTIONS)('collector against servers that only partly behave like kube-apiserver ($name)', ({ connect }) => {
  let server: K8sApiServer;
  const builtins = mixedClusterObjects(40).filter(
    (o) => !String(o['apiVersion']).includes('.') || String(o['apiVersion']).includes('.k8s.io'),
  );
  const expected = builtins
    .filter((o) => o['kind'] !== 'Secret')
    .map((o) => key(o as KubeObject))
    .sort();

  beforeAll(async () => {
    server = await K8sApiServer.start();
    server.addCluster('reference', { objects: builtins });
    server.addCluster('ignores-limit', { objects: builtins, ignoreLimit: true });
    server.addCluster('no-discovery', { objects: builtins, discovery: { api: false, apis: false, resourceLists: false } });
    server.addCluster('no-group-docs', {
      objects: [
        ...builtins,
        { apiVersion: 'crd.projectcalico.org/v1', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny' }, spec: { selector: 'all()' } },
      ],
      resources: CRD_RESOURCES.calico,
      discovery: { resourceLists: (gv) => gv === 'v1' },
    });
    server.addCluster('no-discovery-with-crds', {
      objects: [...builtins, { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' }, spec: {} }],
      resources: CRD_RESOURCES.kyverno,
      discovery: { apis: false, resourceLists: false },
    });
    server.addCluster('trimmed', {
      builtins: BUILTIN_RESOURCES.filter(
        (t) => !['CronJob', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].includes(t.kind),
      ),
      objects: builtins.filter((o) => o['kind'] !== 'CronJob'),
    });
  });
  afterAll(() => server.close());

  it('a server that ignores limit (one page per list) gives the same inventory', async () => {
    const reference = await collectKubernetesInventory(connect(server, 'reference'), { ...FAST, pageSize: 3 });
    const inv = await collectKubernetesInventory(connect(server, 'ignores-limit'), { ...FAST, pageSize: 3 });
    expect(inv.resources.map(key).sort()).toEqual(expected);
    expect(inv.resources).toEqual(reference.resources);
  });

  it('without any discovery (404 on /api, /apis and group documents) built-in kinds are listed by their known paths', async () => {
    const inv = await collectKubernetesInventory(connect(server, 'no-discovery'), FAST);
    expect(inv.resources.map(key).sort()).toEqual(expected);
    // CRD kinds cannot be proven absent without discovery: 404s are gaps (UNKNOWN), never "none exist".
    expect(inv.absentKinds).toEqual([]);
    const gapSources = new Set(inv.gaps.map((g) => g.source));
    expect(gapSources).toContain('ClusterNetworkPolicy');
    expect(gapSources).toContain('GatekeeperConstraint');
    expect(gapSources).not.toContain('Pod');
    expect(inv.gaps.every((g) => g.reason === 'not-found')).toBe(true);
    expect(inv.gaps.find((g) => g.source === 'ClusterNetworkPolicy')!.message).toMatch(/no discovery document to confirm/);
  });

  it('without group discovery, CRDs that are installed are still found through their known plurals', async () => {
    const inv = await collectKubernetesInventory(connect(server, 'no-discovery-with-crds'), FAST);
    expect(inv.resources.filter((o) => o.kind === 'ClusterPolicy').map(key)).toEqual(['kyverno.io/v1|ClusterPolicy||p']);
    expect(inv.gaps.map((g) => g.source)).not.toContain('ClusterPolicy');
  });

  it('when a group is listed in /apis but its resource document is missing, the known plural is used', async () => {
    const inv = await collectKubernetesInventory(connect(server, 'no-group-docs'), FAST);
    expect(inv.gaps).toEqual([]);
    expect(inv.resources.filter((o) => o.kind === 'GlobalNetworkPolicy').map(key)).toEqual([
      'crd.projectcalico.org/v1|GlobalNetworkPolicy||deny',
    ]);
    expect(inv.resources.map(key).filter((k) => !k.includes('projectcalico'))).toEqual(expect.arrayContaining(expected));
    expect(inv.resources.some((o) => o.kind === 'Deployment')).toBe(true);
    expect(inv.absentKinds).toContain('ClusterPolicy');
  });

  it('a built-in kind the server does not serve is absent through discovery; a 404 on a listed kind is a gap', async () => {
    const cluster = server.cluster('trimmed');
    const inv = await collectKubernetesInventory(connect(server, 'trimmed'), FAST);
    expect(inv.absentKinds).toContain('CronJob');
    expect(inv.absentKinds).toContain('ValidatingAdmissionPolicy');
    expect(cluster.requestsTo('/apis/batch/v1/cronjobs')).toEqual([]);

    cluster.addFault({ path: '/apis/batch/v1/jobs', status: 404 });
    const withFault = await collectKubernetesInventory(connect(server, 'trimmed'), FAST);
    expect(withFault.gaps).toEqual([expect.objectContaining({ source: 'Job', reason: 'not-found' })]);
    expect(withFault.absentKinds).not.toContain('Job');
  });
});
