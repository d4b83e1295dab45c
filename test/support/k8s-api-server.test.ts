import { ApiException, AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K8sApiServer, kubeconfigFor } from './k8s-api-server.js';
import { syntheticPods } from './synthetic-pods.js';

/** The fake API server's list semantics, checked through client-node's typed APIs (not hardline's collector). */
describe('K8sApiServer', () => {
  let server: K8sApiServer;
  const typed = <T>(api: new (...a: never[]) => T, key: string, token = 'test-token'): T => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigFor(server, [{ name: key || 'root', cluster: key, token }]));
    return kc.makeApiClient(api as never) as T;
  };

  beforeAll(async () => {
    server = await K8sApiServer.start();
    server.addCluster('one', { objects: syntheticPods(25, 3) });
    server.addCluster('two', { objects: syntheticPods(4, 1), token: 'secret-of-two' });
  });
  afterAll(() => server.close());

  it('pages with limit/continue in storage-key order, and keeps clusters apart by path prefix', async () => {
    const core = typed(CoreV1Api, 'one');
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const list = await core.listPodForAllNamespaces({ limit: 7, ...(token ? { _continue: token } : {}) });
      names.push(...list.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = list.metadata?._continue;
      pages++;
    } while (token);
    expect(pages).toBe(4);
    expect(names).toHaveLength(25);
    expect(names).toEqual([...names].sort());
    expect((await typed(CoreV1Api, 'two', 'secret-of-two').listPodForAllNamespaces()).items).toHaveLength(4);
  });

  it('serves namespaced lists, label and field selectors, and single objects', async () => {
    const core = typed(CoreV1Api, 'one');
    const inNs = await core.listNamespacedPod({ namespace: 'team-001' });
    expect(inNs.items.every((p) => p.metadata?.namespace === 'team-001')).toBe(true);
    expect(inNs.items.length).toBe(8);
    const app3 = await core.listPodForAllNamespaces({ labelSelector: 'app=app-3,pod-template-hash' });
    expect(app3.items.map((p) => p.metadata?.labels?.['app'])).toEqual(['app-3']);
    const notIn = await core.listPodForAllNamespaces({ labelSelector: 'app notin (app-1,app-2)' });
    expect(notIn.items).toHaveLength(23);
    const byName = await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=team-002` });
    expect(byName.items).toHaveLength(8);
    const one = inNs.items[0]!;
    const read = await core.readNamespacedPod({ namespace: 'team-001', name: one.metadata!.name! });
    expect(read.metadata?.uid).toBe(one.metadata?.uid);
    expect(read.kind).toBe('Pod');
  });

  it('answers discovery documents and 404s what it does not serve', async () => {
    const apps = typed(AppsV1Api, 'one');
    const resources = await apps.getAPIResources();
    expect(resources.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['deployments', 'deployments/status']));
    const err = await typed(CoreV1Api, 'one')
      .readNamespacedPod({ namespace: 'x', name: 'nope' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    expect((err as ApiException<string>).code).toBe(404);
  });

  it('requires the cluster token when one is set, and injects faults per path with hit counts', async () => {
    const wrong = await typed(CoreV1Api, 'two', 'nope')
      .listNamespace()
      .catch((e: unknown) => e);
    expect((wrong as ApiException<string>).code).toBe(401);
    const cluster = server.cluster('one');
    cluster.addFault({ path: '/api/v1/namespaces', status: 403, times: 1 });
    const denied = await typed(CoreV1Api, 'one')
      .listNamespace()
      .catch((e: unknown) => e);
    expect((denied as ApiException<string>).code).toBe(403);
    expect(JSON.parse((denied as ApiException<string>).body)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    await expect(typed(CoreV1Api, 'one').listNamespace()).resolves.toBeDefined();
    expect(cluster.faults.at(-1)!.hits).toBe(1);
    expect(cluster.requestsTo('/api/v1/namespaces').map((r) => r.authorization)).toEqual(['Bearer test-token', 'Bearer test-token']);
  });
});
