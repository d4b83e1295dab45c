import { isRegionNotEnabled } from '../collectors/aws/region-reason.js';
import type { Gap, Inventory, TargetInput } from '../inventory/types.js';
import {
  applyReadersCommand,
  associatePolicyCommand,
  onboardingCommands,
  principalOf,
  type ClusterLocation,
  type OnboardingGuide,
} from './onboarding-commands.js';

/**
 * Whether a cluster's Kubernetes API was read: `read`; `unauthorized` (401, the scanner's role was
 * never onboarded); `forbidden-partial` (403 on some or all kinds: the read RBAC is missing or
 * incomplete); `unreachable` (no answer from the API server); `private-no-route` (a private
 * endpoint this scanner has no network path to); `not-scanned` (the target failed before its
 * Kubernetes API was tried: a denied AssumeRole, a failed DescribeCluster, a crashed step).
 */
export const KUBERNETES_ACCESS_STATES = [
  'read',
  'unauthorized',
  'forbidden-partial',
  'unreachable',
  'private-no-route',
  'not-scanned',
] as const;
export type KubernetesAccessState = (typeof KUBERNETES_ACCESS_STATES)[number];

export interface KubernetesAccess {
  state: KubernetesAccessState;
  /** What the collector reported, for every state but `read`. */
  reason?: string;
  /** The exact step that makes the cluster readable (commands for the configured onboarding mode). */
  step?: string;
}

/** The gap the live collector leaves when the API server as a whole could not be read. */
const WHOLE_API = 'kubernetes';
// AWS data sources are prefixed (`eks:cluster`, `ecr:image-scan-findings`); Kubernetes kinds are not.
const isKubernetesGap = (g: Gap) => !g.source.includes(':');

const endpointIsPrivate = (inv: Inventory): boolean => {
  const vpc = inv.eks?.cluster?.['resourcesVpcConfig'] as { endpointPublicAccess?: unknown } | undefined;
  return vpc?.endpointPublicAccess === false;
};

const authenticationMode = (inv: Inventory): string | undefined => {
  const mode = (inv.eks?.cluster?.['accessConfig'] as { authenticationMode?: unknown } | undefined)?.authenticationMode;
  return typeof mode === 'string' ? mode : undefined;
};

function stateOfWholeApi(gap: Gap, inv: Inventory): KubernetesAccessState {
  // The collector may name the missing route itself; otherwise a private endpoint that gave no answer is one.
  if ((gap.reason as string) === 'private-no-route' || gap.message.includes('private-no-route')) return 'private-no-route';
  if (gap.reason === 'unauthorized') return 'unauthorized';
  if (gap.reason === 'forbidden') return 'forbidden-partial';
  return endpointIsPrivate(inv) ? 'private-no-route' : 'unreachable';
}

/**
 * Whether an AWS cluster target's Kubernetes API was read, and if not why (pure: from the
 * collector's gaps and the EKS data). Undefined for anything that is not an AWS cluster, and for
 * the pseudo-target of a region that is not enabled (no cluster can be there). Transient gaps on
 * some kinds (a timeout, throttling) leave the state `read`: they are an incomplete scan, shown as
 * PARTIAL, not missing access.
 */
export function classifyKubernetesAccess(input: TargetInput): Omit<KubernetesAccess, 'step'> | undefined {
  const target = 'inventory' in input ? input.inventory.target : input.target;
  if (target.kind !== 'cluster' || !target.accountId || !target.region) return undefined;
  if (!('inventory' in input)) {
    if (isRegionNotEnabled(input.failure.reason)) return undefined;
    return { state: 'not-scanned', reason: input.failure.reason };
  }
  const inv = input.inventory;
  const gaps = inv.gaps.filter(isKubernetesGap);
  const whole = gaps.find((g) => g.source === WHOLE_API);
  if (whole) return { state: stateOfWholeApi(whole, inv), reason: whole.message };
  const denied = gaps.filter((g) => g.reason === 'forbidden' || g.reason === 'unauthorized');
  if (denied.length > 0) {
    const kinds = [...new Set(denied.map((g) => g.source))];
    return {
      state: 'forbidden-partial',
      reason: `access denied to ${kinds.slice(0, 8).join(', ')}${kinds.length > 8 ? `, … (${kinds.length} kinds)` : ''}`,
    };
  }
  return { state: 'read' };
}

/** The step that makes the cluster readable, for the configured onboarding mode. */
export function onboardingStep(access: Omit<KubernetesAccess, 'step'>, input: TargetInput, guide: OnboardingGuide): string | undefined {
  const target = 'inventory' in input ? input.inventory.target : input.target;
  const c: ClusterLocation = { name: target.name, region: target.region ?? '<region>' };
  const inv = 'inventory' in input ? input.inventory : undefined;
  const configMapOnly = inv !== undefined && authenticationMode(inv) === 'CONFIG_MAP';
  switch (access.state) {
    case 'read':
      return undefined;
    case 'unauthorized': {
      const steps = onboardingCommands(c, target.accountId, guide, { configMapOnly });
      const why = configMapOnly
        ? 'the cluster authenticates through the aws-auth ConfigMap only, so it takes no access entry until its authentication mode allows it (one-way); then '
        : '';
      return `${why}give the scanner role access (${guide.mode}): ${steps.join(' && ')}`;
    }
    case 'forbidden-partial':
      return guide.mode === 'readers-group'
        ? `apply the current read-only ClusterRole and binding (it lists every kind hardline reads): ${applyReadersCommand(c)}`
        : `associate the view policy at cluster scope: ${associatePolicyCommand(c, principalOf(guide, target.accountId), guide.partition)}`;
    case 'unreachable':
      return `let the scanner reach the API endpoint: its public access CIDRs must include the scanner's NAT egress IPs (aws eks update-cluster-config --region ${c.region} --name ${c.name} --resources-vpc-config publicAccessCidrs=<current CIDRs>,<egress IP>/32), or check that the cluster is ACTIVE`;
    case 'private-no-route':
      return `the endpoint is private and the scanner has no route to it: configure a scanner VPC for ${c.region} that reaches the cluster's VPC (context "vpc", docs/deploy.md), or open the public endpoint to the scanner's egress IPs only (aws eks update-cluster-config --region ${c.region} --name ${c.name} --resources-vpc-config endpointPublicAccess=true,publicAccessCidrs=<egress IP>/32)`;
    case 'not-scanned':
      return /cannot assume the (member|scanner) role/.test(access.reason ?? '')
        ? `deploy the member read role to account ${target.accountId} (the member StackSet, or "npx cdk deploy HardlineMemberRead" there) with the scanner's ExternalId`
        : 'the target failed before its Kubernetes API was tried: fix the reason above; the next run tries again';
  }
}

/** Classification plus step: what a cluster target's line carries. */
export function kubernetesAccessOf(input: TargetInput, guide: OnboardingGuide): KubernetesAccess | undefined {
  const access = classifyKubernetesAccess(input);
  if (!access) return undefined;
  const step = onboardingStep(access, input, guide);
  return step ? { ...access, step } : access;
}
