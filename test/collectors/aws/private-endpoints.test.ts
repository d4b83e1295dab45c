import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EksConnection } from '../../../shared/collectors/aws/eks-cluster.js';
import {
  liveKubernetesCollector,
  privateEndpointRoute,
  probeTcp,
  type LiveKubernetesOptions,
} from '../../../shared/collectors/aws/kubernetes-part.js';
import { K8sApiServer } from '../../support/k8s-api-server.js';

/**
 * How scan-cluster decides whether to talk to an API server at all: a private-only endpoint the
 * function has no route to is `private-no-route` from DescribeCluster alone, and every other
 * endpoint is connected to with a short timeout first, so an unreachable one costs seconds, not
 * the minutes of every kind's request timeouts and retries.
 */
let api: K8sApiServer;
beforeAll(async () => {
  api = await K8sApiServer.start();
  api.addCluster('shop', { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] });
});
afterAll(async () => {
  await api.close();
});

const credentials = { accessKeyId: 'ASIATEST', secretAccessKey: 'test-secret', sessionToken: 'test-session' };
const ctx = { accountId: '111122223333', region: 'eu-west-1', credentials: async () => credentials };
const connection = (over: Partial<EksConnection> = {}): EksConnection => ({
  name: 'shop',
  endpoint: api.url('shop'),
  certificateAuthority: api.caData,
  endpointPublicAccess: true,
  endpointPrivateAccess: true,
  ...over,
});
const collector = (opts: Partial<LiveKubernetesOptions>, probes: { host: string; port: number; timeoutMs: number }[] = []) =>
  liveKubernetesCollector({
    defaultCredentials: () => Promise.reject(new Error('no default credentials in this test')),
    timeoutMs: 2_000,
    probe: async (host, port, timeoutMs) => {
      probes.push({ host, port, timeoutMs });
      await probeTcp(host, port, timeoutMs);
    },
    ...opts,
  });
const reasons = (part: { gaps: { reason: string }[] }) => [...new Set(part.gaps.map((g) => g.reason))];

describe('private endpoints and unreachable API servers', () => {
  it('private-only, scanner outside any VPC: private-no-route without a connection or a request', async () => {
    const probes: { host: string; port: number; timeoutMs: number }[] = [];
    const before = api.cluster('shop').requests.length;
    const part = await collector({ connectTimeoutMs: 5_000 }, probes)(
      connection({ endpointPublicAccess: false, vpcId: 'vpc-0c1a2b3c' }),
      ctx,
    );
    expect(reasons(part)).toEqual(['private-no-route']);
    expect(part.gaps.find((g) => g.source === 'kubernetes')!.message).toMatch(/private in vpc-0c1a2b3c.*outside any VPC/);
    expect(probes).toEqual([]);
    expect(api.cluster('shop').requests.length).toBe(before);
  });

  it('private-only in a VPC the function has no route to (reachableVpcIds): private-no-route; in a listed VPC: read', async () => {
    const probes: { host: string; port: number; timeoutMs: number }[] = [];
    const c = collector({ reachPrivateEndpoints: true, reachableVpcIds: ['vpc-0aaa1111'], connectTimeoutMs: 5_000 }, probes);
    const elsewhere = await c(connection({ endpointPublicAccess: false, vpcId: 'vpc-0bbb2222' }), ctx);
    expect(reasons(elsewhere)).toEqual(['private-no-route']);
    expect(probes).toEqual([]);
    const routed = await c(connection({ endpointPublicAccess: false, vpcId: 'vpc-0aaa1111' }), ctx);
    expect(routed.gaps).toEqual([]);
    expect(routed.resources.map((r) => r.kind)).toContain('Namespace');
    expect(probes).toEqual([{ host: '127.0.0.1', port: Number(new URL(api.url('shop')).port), timeoutMs: 5_000 }]);
  });

  it('private-only and tried (function in a VPC, no list), but the connect check times out: private-no-route, with what to check', async () => {
    const part = await liveKubernetesCollector({
      defaultCredentials: () => Promise.reject(new Error('unused')),
      reachPrivateEndpoints: true,
      connectTimeoutMs: 3_000,
      probe: async (host, port, timeoutMs) => {
        throw Object.assign(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      },
    })(connection({ endpointPublicAccess: false, endpoint: 'https://0a1b2c.gr7.eu-west-1.eks.amazonaws.com', vpcId: 'vpc-0ddd4444' }), ctx);
    expect(reasons(part)).toEqual(['private-no-route']);
    expect(part.gaps.find((g) => g.source === 'kubernetes')!.message).toMatch(
      /cannot connect to 0a1b2c\.gr7\.eu-west-1\.eks\.amazonaws\.com: no TCP connection .* within 3000 ms; check the route .* TCP 443/,
    );
  });

  it('a public endpoint that refuses the connection is unreachable at the connect check, naming the CIDR allow-list', async () => {
    const closed = await K8sApiServer.start();
    const url = closed.url('x');
    await closed.close();
    const part = await collector({ connectTimeoutMs: 5_000 })(connection({ endpoint: url }), ctx);
    expect(reasons(part)).toEqual(['unreachable']);
    expect(part.gaps.find((g) => g.source === 'kubernetes')!.message).toMatch(/ECONNREFUSED.*publicAccessCidrs.*NAT/);
  });

  it('without a connect timeout (the CLI), a public endpoint is read as before', async () => {
    const part = await collector({})(connection(), ctx);
    expect(part.gaps).toEqual([]);
  });

  it('privateEndpointRoute: public endpoints always try; private ones only with a route', () => {
    expect(privateEndpointRoute(connection(), {})).toBeUndefined();
    expect(privateEndpointRoute(connection({ endpointPublicAccess: false }), { reachPrivateEndpoints: true })).toBeUndefined();
    expect(privateEndpointRoute(connection({ endpointPublicAccess: false }), {})).toMatch(/outside any VPC/);
    // A listed set of VPCs is authoritative even when the function is in a VPC; a cluster without a known VPC is not in it.
    expect(
      privateEndpointRoute(connection({ endpointPublicAccess: false }), { reachPrivateEndpoints: true, reachableVpcIds: ['vpc-0aaa1111'] }),
    ).toMatch(/reaches only vpc-0aaa1111/);
  });

  it('probeTcp opens and closes a connection, and rejects a closed port', async () => {
    const port = Number(new URL(api.url('shop')).port);
    await expect(probeTcp('127.0.0.1', port, 2_000)).resolves.toBeUndefined();
    const closed = await K8sApiServer.start();
    const closedPort = Number(new URL(closed.url('x')).port);
    await closed.close();
    await expect(probeTcp('127.0.0.1', closedPort, 2_000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
