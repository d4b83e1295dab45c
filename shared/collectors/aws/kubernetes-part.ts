import { describeError } from '../../errors.js';
import { redact } from '../../findings/redact.js';
import type { Gap, GapReason } from '../../inventory/types.js';
import { EksTokenCache, kubeConfigForEks, type AwsCredentials } from '../eks-token.js';
import { collectKubernetesInventory, isKubeRequestError, KUBERNETES_KINDS } from '../kubernetes/index.js';
import type { EksConnection } from './eks-cluster.js';
import type { KubernetesCollector, KubernetesPart } from './targets.js';

export interface LiveKubernetesOptions {
  /** Credentials of the caller when the account has no assumed-role session (the SDK default chain). */
  defaultCredentials: () => Promise<AwsCredentials>;
  tokenCache?: EksTokenCache;
  /** Per request to the API server. */
  timeoutMs?: number;
  /** Try endpoints that are private only (the scanner runs inside the cluster's VPC). */
  reachPrivateEndpoints?: boolean;
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
 * A private-only endpoint (unless configured otherwise) or an API server that cannot be reached is
 * a gap with reason `unreachable`; the EKS part of the target still evaluates.
 */
export function liveKubernetesCollector(opts: LiveKubernetesOptions): KubernetesCollector {
  const tokens = opts.tokenCache ?? new EksTokenCache();
  return async (cluster: EksConnection, ctx) => {
    if (!cluster.endpoint || !cluster.certificateAuthority) {
      return kubernetesUnreachable('unreachable', `cluster ${cluster.name}: DescribeCluster gave no endpoint or CA (cluster not ACTIVE?)`);
    }
    if (!cluster.endpointPublicAccess && !opts.reachPrivateEndpoints) {
      return kubernetesUnreachable(
        'unreachable',
        `cluster ${cluster.name}: the API endpoint is private; run the scan from inside the cluster's VPC to read Kubernetes objects`,
      );
    }
    const credentials = async (): Promise<AwsCredentials> => (ctx.credentials ? await ctx.credentials() : await opts.defaultCredentials());
    try {
      const kc = await kubeConfigForEks({
        clusterName: cluster.name,
        endpoint: cluster.endpoint,
        certificateAuthorityData: cluster.certificateAuthority,
        token: async () => tokens.get({ clusterName: cluster.name, region: ctx.region, credentials: await credentials() }),
      });
      const inv = await collectKubernetesInventory(kc, {
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
