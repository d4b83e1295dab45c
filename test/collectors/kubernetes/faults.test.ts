import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectKubernetesInventory, KubeRequestError, type CollectOptions } from '../../../shared/collectors/kubernetes/index.js';
import { controls as catalog } from '../../../shared/controls/index.js';
import type { Control } from '../../../shared/controls/types.js';
import { evaluate } from '../../../shared/engine/evaluate.js';
import { K8sApiServer } from '../../support/k8s-api-server.js';
import { CONNECTIONS, mixedClusterObjects } from '../../support/k8s-cluster-fixture.js';
import { syntheticPods } from '../../support/synthetic-pods.js';
import { createTlsMaterial } from '../../support/tls-cert.js';

// Fast, deterministic retries so fault tests take milliseconds, not the production backoff.
const FAST: CollectOptions = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, random: () => 0, timeoutMs: 2_000 };

/**
 * A control that would PASS on an empty binding list — the false PASS a 403 must never become.
 * `requires` makes a gap block the verdict.
 */
const noClusterAdminBinding: Control = {
  id: 'test.no-cluster-admin-binding',
  title: 'No ClusterRoleBinding to cluster-admin',
  severity: 'high',
  category: 'RBAC',
  scope: 'cluster',
  frameworks: {},
  rationale: 'test',
  remediation: 'test',
  reads: [],
  requires: ['ClusterRoleBinding'],
  *check(ctx) {
    const bad = ctx.index
      .byKind('ClusterRoleBinding')
      .filter((b) => (b['roleRef'] as { name?: string } | undefined)?.name === 'cluster-admin');
    yield ctx.outcome(bad.length === 0 ? 'PASS' : 'FAIL', { apiVersion: 'v1', kind: 'Cluster', name: 'cluster' }, `${bad.length} bindings`);
  },
};

describe.each(CONNECTIONS)('collector faults: gaps, retries and recovery ($name)', ({ connect }) => {
  let server: K8sApiServer;

  beforeAll(async () => {
    server = await K8sApiServer.start();
    server.addCluster('c', { objects: mixedClusterObjects(10) });
    server.addCluster('pods', { objects: syntheticPods(95, 3) });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.cluster('c').clearFaults();
    server.cluster('pods').clearFaults();
  });

  it('a 403 on ClusterRoleBinding becomes a gap, and controls needing it are UNKNOWN, not PASS', async () => {
    server.cluster('c').addFault({ path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', status: 403 });
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'ClusterRoleBinding', reason: 'forbidden' })]);
    expect(inv.gaps[0]!.message).toContain('403');
    // Everything else was still read.
    expect(inv.resources.some((o) => o.kind === 'ClusterRole')).toBe(true);
    expect(inv.resources.some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);

    const results = evaluate(inv, [noClusterAdminBinding], [], { now: new Date() }).toArray();
    expect(results.map((r) => r.status)).toEqual(['UNKNOWN']);
    expect(results[0]!.message).toMatch(/could not read ClusterRoleBinding: access denied \(403\)/);

    // Without the fault the same control sees the binding: the UNKNOWN above hid a real FAIL.
    server.cluster('c').clearFaults();
    const readable = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(
      evaluate(readable, [noClusterAdminBinding], [], { now: new Date('2026-11-30T12:00:00Z') })
        .toArray()
        .map((r) => r.status),
    ).toEqual(['FAIL']);
  });

  // The rbac.* controls are written in parallel: skipped (not vacuously passed) until the catalog has them.
  const rbac = catalog.filter((c) => c.id.startsWith('rbac.') && [...c.reads, ...(c.requires ?? [])].includes('ClusterRoleBinding'));
  it.skipIf(rbac.length === 0)('the catalog rbac.* controls that read ClusterRoleBinding report UNKNOWN on the 403', async () => {
    server.cluster('c').addFault({ path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', status: 403 });
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    const results = evaluate(inv, rbac, [], { now: new Date() }).toArray();
    for (const control of rbac) {
      const mine = results.filter((r) => r.controlId === control.id);
      expect(
        mine.some((r) => r.status === 'UNKNOWN' && r.resource.name === 'ClusterRoleBinding'),
        control.id,
      ).toBe(true);
      if (control.requires?.includes('ClusterRoleBinding'))
        expect(
          mine.every((r) => r.status !== 'PASS'),
          control.id,
        ).toBe(true);
    }
  });

  it('401 on one kind is an unauthorized gap; 401 on discovery fails the whole target', async () => {
    server.cluster('c').addFault({ path: '/api/v1/configmaps', status: 401 });
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'ConfigMap', reason: 'unauthorized' })]);

    server.cluster('c').addFault({ path: '/api', status: 401 });
    const err = await collectKubernetesInventory(connect(server, 'c'), FAST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeRequestError);
    expect((err as KubeRequestError).reason).toBe('unauthorized');
  });

  it('recovers from 410 Expired on a continue token mid-list by starting the list over', async () => {
    const cluster = server.cluster('pods');
    const clean = await collectKubernetesInventory(connect(server, 'pods'), { ...FAST, pageSize: 10 });
    cluster.addFault({ path: '/api/v1/pods', on: 'continue', status: 410, times: 2 });
    const before = cluster.requests.length;
    const inv = await collectKubernetesInventory(connect(server, 'pods'), { ...FAST, pageSize: 10 });
    expect(inv.gaps).toEqual([]);
    expect(inv.resources).toEqual(clean.resources);
    expect(inv.resources.filter((o) => o.kind === 'Pod')).toHaveLength(95);
    const podRequests = cluster.requests.slice(before).filter((r) => r.path === '/api/v1/pods');
    // 10 pages + 2 restarts (each a fresh first page after the 410).
    expect(podRequests.filter((r) => r.query['continue'] === undefined)).toHaveLength(3);
    expect(cluster.faults[0]!.hits).toBe(2);
  });

  it('a continue token that keeps expiring ends in a gap after the restart budget, not a partial list', async () => {
    server.cluster('pods').addFault({ path: '/api/v1/pods', on: 'continue', status: 410 });
    const inv = await collectKubernetesInventory(connect(server, 'pods'), { ...FAST, pageSize: 10, maxListRestarts: 2 });
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'Pod', reason: 'error' })]);
    expect(inv.gaps[0]!.message).toMatch(/expired 3 times/);
    expect(inv.resources.filter((o) => o.kind === 'Pod')).toEqual([]);
  });

  it('honours Retry-After on 429 and then completes', async () => {
    const cluster = server.cluster('c');
    cluster.addFault({ path: '/api/v1/namespaces', status: 429, retryAfter: 1, times: 1 });
    const before = cluster.requests.length;
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(inv.gaps).toEqual([]);
    const tries = cluster.requests.slice(before).filter((r) => r.path === '/api/v1/namespaces');
    expect(tries).toHaveLength(2);
    expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 beyond the retry budget is a throttled gap', async () => {
    server.cluster('c').addFault({ path: '/apis/apps/v1/deployments', status: 429, retryAfter: 0 });
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'Deployment', reason: 'throttled' })]);
  });

  it('retries 5xx with backoff: transient errors recover, persistent ones become an error gap after N attempts', async () => {
    const cluster = server.cluster('c');
    cluster.addFault({ path: '/api/v1/services', status: 503, times: 2 });
    cluster.addFault({ path: '/apis/batch/v1/jobs', status: 500 });
    const before = cluster.requests.length;
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(inv.resources.some((o) => o.kind === 'Service')).toBe(true);
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'Job', reason: 'error' })]);
    expect(cluster.requests.slice(before).filter((r) => r.path === '/apis/batch/v1/jobs')).toHaveLength(3);
  });

  it('a slow response past the per-request timeout is a timeout gap', async () => {
    server.cluster('c').addFault({ path: '/api/v1/serviceaccounts', delayMs: 1_500 });
    const inv = await collectKubernetesInventory(connect(server, 'c'), {
      ...FAST,
      timeoutMs: 150,
      retry: { attempts: 2, baseDelayMs: 5 },
    });
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'ServiceAccount', reason: 'timeout' })]);
    expect(inv.resources.some((o) => o.kind === 'Pod')).toBe(true);
  });

  it('a reset connection is retried; one that always resets is an unreachable gap', async () => {
    const cluster = server.cluster('c');
    cluster.addFault({ path: '/api/v1/limitranges', reset: true, times: 1 });
    cluster.addFault({ path: '/api/v1/resourcequotas', reset: true });
    const inv = await collectKubernetesInventory(connect(server, 'c'), FAST);
    expect(inv.resources.some((o) => o.kind === 'LimitRange')).toBe(true);
    expect(inv.gaps).toEqual([expect.objectContaining({ source: 'ResourceQuota', reason: 'unreachable' })]);
  });

  it('a dead API server fails the target with an unreachable error', async () => {
    const doomed = await K8sApiServer.start();
    doomed.addCluster('');
    const kc = connect(doomed, '');
    await doomed.close();
    const err = await collectKubernetesInventory(kc, FAST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeRequestError);
    expect((err as KubeRequestError).reason).toBe('unreachable');
    expect((err as KubeRequestError).message).toMatch(/connection refused/);
  });

  it('an API server that drops every connection fails the target too', async () => {
    server.cluster('c').dead = true;
    try {
      const err = await collectKubernetesInventory(connect(server, 'c'), FAST).catch((e: unknown) => e);
      expect((err as KubeRequestError).reason).toBe('unreachable');
    } finally {
      server.cluster('c').dead = false;
    }
  });

  it('a server certificate from another CA is refused, not trusted', async () => {
    const other = await K8sApiServer.start();
    other.addCluster('');
    try {
      const kc = connect(other, '', undefined, (await createTlsMaterial()).caPem);
      const err = await collectKubernetesInventory(kc, FAST).catch((e: unknown) => e);
      expect((err as KubeRequestError).reason).toBe('unreachable');
      expect((err as KubeRequestError).message).toMatch(/TLS verification/);
      expect(other.cluster('').requests).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
