import { connect } from 'node:net';
import { describeError } from '../../core/errors.js';
import type { Gap, GapReason } from '../../inventory/types.js';
import { redact } from '../../redaction/redact.js';
import { EksTokenCache, eksEndpoint, type AwsCredentials } from '../eks-token.js';
import { viaBearerToken } from '../kubernetes/bearer-http.js';
import { collectKubernetesInventory, isKubeRequestError, KUBERNETES_KINDS } from '../kubernetes/index.js';
import type { EksConnection } from './eks-cluster.js';
import type { KubernetesCollector, KubernetesPart } from './targets.js';

export interface LiveKubernetesOptions {
  /** Credentials of the caller when the account has no assumed-role session (the SDK default chain). */
  defaultCredentials: () => Promise<AwsCredentials>;
  tokenCache?: EksTokenCache;
  /** Per request to the API server. */
  timeoutMs?: number;
  /** Try endpoints that are private only (the scanner runs inside, or is routed to, the clusters' VPCs). */
  reachPrivateEndpoints?: boolean;
  /**
   * When set, the only VPCs with a network path from this scanner: a private-only endpoint in any
   * other VPC is not tried at all (`private-no-route` at once).
   */
  reachableVpcIds?: readonly string[];
  /**
   * Open a TCP connection to the API server first, giving up after this long: an endpoint with no
   * route (or whose public CIDR allow-list leaves the scanner out) fails in seconds, not after
   * every kind's request timeouts and retries.
   */
  connectTimeoutMs?: number;
  /** The connection check (tests inject one). */
  probe?: (host: string, port: number, timeoutMs: number) => Promise<void>;
}

/** Resolves once a TCP connection to host:port is open (then closes it); rejects on error or after timeoutMs. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const done = (e?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (e) reject(e);
      else resolve();
    };
    const timer = setTimeout(
      () => done(Object.assign(new Error(`no TCP connection to ${host}:${port} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    socket.once('connect', () => done());
    socket.once('error', (e) => done(e));
  });
}

/** Why the API server will not be tried, or undefined when it should be. */
export function privateEndpointRoute(
  cluster: EksConnection,
  opts: Pick<LiveKubernetesOptions, 'reachPrivateEndpoints' | 'reachableVpcIds'>,
): string | undefined {
  if (cluster.endpointPublicAccess) return undefined;
  const where = cluster.vpcId ? ` in ${cluster.vpcId}` : '';
  if (opts.reachableVpcIds && opts.reachableVpcIds.length > 0) {
    if (cluster.vpcId && opts.reachableVpcIds.includes(cluster.vpcId)) return undefined;
    return `cluster ${cluster.name}: the API endpoint is private${where} and this scanner reaches only ${opts.reachableVpcIds.join(', ')}; place a scan-cluster function in (or route one to) that VPC`;
  }
  if (opts.reachPrivateEndpoints) return undefined;
  return `cluster ${cluster.name}: the API endpoint is private${where} and this scanner runs outside any VPC; place a scan-cluster function in (or route one to) that VPC to read Kubernetes objects`;
}

/**
 * Every Kubernetes kind the live collector reads, as a gap: when the API server cannot be reached
 * at all, each control that needs a kind reports UNKNOWN for it (and never PASS on an empty list).
 */
export function kubernetesUnreachable(reason: GapReason, message: string): KubernetesPart {
  const kinds = [...new Set(KUBERNETES_KINDS.map((k) => k.kind))];
  const gaps: Gap[] = kinds.map((source) => ({ source, reason, message }));
  gaps.push({ source: 'kubernetes', reason, message });
  return { resources: [], gaps };
}

/**
 * The Kubernetes side of an EKS cluster target: an EKS token signed with the account's
 * credentials, a KubeConfig built from DescribeCluster's endpoint and CA, and the live collector.
 * A private-only endpoint the scanner has no route to is a gap with reason `private-no-route`
 * (decided from DescribeCluster, before any connection); an API server that cannot be reached is
 * `unreachable`. The EKS part of the target still evaluates.
 */
export function liveKubernetesCollector(opts: LiveKubernetesOptions): KubernetesCollector {
  const tokens = opts.tokenCache ?? new EksTokenCache();
  return async (cluster: EksConnection, ctx) => {
    if (!cluster.endpoint || !cluster.certificateAuthority) {
      return kubernetesUnreachable('unreachable', `cluster ${cluster.name}: DescribeCluster gave no endpoint or CA (cluster not ACTIVE?)`);
    }
    const noRoute = privateEndpointRoute(cluster, opts);
    if (noRoute) return kubernetesUnreachable('private-no-route', noRoute);
    if (opts.connectTimeoutMs) {
      const url = new URL(cluster.endpoint);
      try {
        await (opts.probe ?? probeTcp)(url.hostname, Number(url.port || 443), opts.connectTimeoutMs);
      } catch (e) {
        const privateOnly = !cluster.endpointPublicAccess;
        const hint = privateOnly
          ? "check the route from the scanner's subnets to the cluster VPC and that the cluster security group allows TCP 443 from the scanner"
          : "if the endpoint's publicAccessCidrs is an allow-list, it must include the scanner's egress IPs (its NAT gateways)";
        return kubernetesUnreachable(
          privateOnly ? 'private-no-route' : 'unreachable',
          redact(`cluster ${cluster.name}: cannot connect to ${url.host}: ${describeError(e)}; ${hint}`),
        );
      }
    }
    const credentials = async (): Promise<AwsCredentials> => (ctx.credentials ? await ctx.credentials() : await opts.defaultCredentials());
    try {
      const endpoint = eksEndpoint({
        clusterName: cluster.name,
        endpoint: cluster.endpoint,
        certificateAuthorityData: cluster.certificateAuthority,
        token: async () => tokens.get({ clusterName: cluster.name, region: ctx.region, credentials: await credentials() }),
      });
      const inv = await collectKubernetesInventory(viaBearerToken(endpoint), {
        target: { kind: 'cluster', accountId: ctx.accountId, region: ctx.region, name: cluster.name },
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      });
      const part: KubernetesPart = { resources: inv.resources, gaps: inv.gaps };
      if (inv.absentKinds) part.absentKinds = inv.absentKinds;
      return part;
    } catch (e) {
      const reason: GapReason = isKubeRequestError(e) ? e.reason : 'error';
      return kubernetesUnreachable(reason, redact(`cluster ${cluster.name}: the Kubernetes API could not be read: ${describeError(e)}`));
    }
  };
}
