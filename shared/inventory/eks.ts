import type { IamRolePolicies } from './iam.js';

/**
 * EKS data as collected from DescribeCluster and friends, kept JSON-serialisable (dates as ISO
 * strings) so a snapshot replays exactly. Filled by shared/collectors/aws; read by the eks.*
 * controls and by network.metadata-endpoint-blocked (node IMDS settings).
 * Gap sources: `eks:cluster`, `eks:nodegroups`, `eks:launch-templates`, `eks:addons`, `eks:access-entries`,
 * `ec2:subnets`, `guardduty:detector`, `logs:log-groups`, `iam:node-roles`.
 * Snapshots are replayed without validation, so controls still read these fields defensively.
 */
export interface EksImdsSettings {
  httpTokens?: 'required' | 'optional';
  httpPutResponseHopLimit?: number;
  httpEndpoint?: 'enabled' | 'disabled';
  /** Where the setting comes from: the nodegroup's launch template version, or EKS's default when it has none. */
  source: 'launch-template' | 'eks-default';
}

export interface EksNodegroup {
  name: string;
  /** The rest of DescribeNodegroup's `nodegroup` (JSON form). */
  [key: string]: unknown;
  /** IMDS settings in effect on the nodes; undefined when they could not be read (then there is a gap). */
  imds?: EksImdsSettings;
  /** The launch template version the IMDS settings were read from (id, name, resolved version number). */
  imdsLaunchTemplate?: { id?: string; name?: string; version?: string };
  /** EC2 key pair the launch template puts on the nodes (SSH access outside `remoteAccess`). */
  launchTemplateKeyName?: string;
  /**
   * AssociatePublicIpAddress of the custom launch template's primary network interface, when it sets
   * one: it overrides the subnet's MapPublicIpOnLaunch.
   */
  launchTemplatePublicIp?: boolean;
}

/** A subnet nodegroups launch nodes into (ec2:DescribeSubnets). */
export interface EksSubnet {
  subnetId: string;
  /** Instances launched here get a public IPv4 address unless their network interface says otherwise. */
  mapPublicIpOnLaunch?: boolean;
  vpcId?: string;
  availabilityZone?: string;
}

/** GuardDuty of the cluster's account and region (ListDetectors, GetDetector); `detectorId` absent = no detector. */
export interface EksGuardDuty {
  detectorId?: string;
  /** ENABLED or DISABLED (a suspended detector). */
  status?: string;
  features: { name: string; status?: string; additionalConfiguration?: { name: string; status?: string }[] }[];
  /** The older data-source view of EKS audit-log monitoring, for detectors that report no features. */
  kubernetesAuditLogs?: string;
}

/** The control plane's CloudWatch log group `/aws/eks/<cluster>/cluster` (logs:DescribeLogGroups). */
export type EksControlPlaneLogGroup =
  { status: 'present'; logGroupName: string; retentionInDays?: number } | { status: 'absent'; logGroupName: string };

/** One installed add-on plus what DescribeAddonVersions says about versions for the cluster's Kubernetes version. */
export interface EksAddon {
  addonName: string;
  addonVersion?: string;
  /** The rest of DescribeAddon's `addon` (JSON form). */
  [key: string]: unknown;
  /**
   * Versions EKS lists as compatible with the cluster's Kubernetes version: the default one and the
   * newest one. Undefined when DescribeAddonVersions could not be read (then there is a gap).
   */
  versions?: { clusterVersion: string; default?: string; latest?: string; compatible: string[] };
}

/** One access entry and the access policies associated with it. */
export interface EksAccessEntry {
  principalArn: string;
  /** `{policyArn, accessScope: {type, namespaces}}` as ListAssociatedAccessPolicies returns them. */
  associatedAccessPolicies?: { policyArn?: string; accessScope?: { type?: string; namespaces?: string[] } }[];
  [key: string]: unknown;
}

/** Support dates of one Kubernetes minor version on EKS (days are UTC, inclusive). */
export interface EksVersionSupport {
  version: string;
  release: string;
  /** Last day of standard support (inclusive). */
  endOfStandardSupport: string;
  /** Last day of extended support (inclusive). */
  endOfExtendedSupport: string;
}

export interface EksInventory {
  /** Subnets of the managed nodegroups; absent when they could not be read. */
  subnets?: EksSubnet[];
  guardDuty?: EksGuardDuty;
  /** Read only when control plane logging is enabled. */
  controlPlaneLogGroup?: EksControlPlaneLogGroup;
  /** The IAM roles of the managed nodegroups with their policies. */
  nodeRoles?: IamRolePolicies[];
  /** DescribeCluster's `cluster` (JSON form, without the certificate authority data). */
  cluster?: Record<string, unknown>;
  /** Every EKS version with its support dates, from DescribeClusterVersions; absent when it could not be read. */
  clusterVersions?: EksVersionSupport[];
  nodegroups?: EksNodegroup[];
  addons?: EksAddon[];
  accessEntries?: EksAccessEntry[];
  [key: string]: unknown;
}

/**
 * Orders EKS add-on versions such as `v1.19.2-eksbuild.1`: numeric release parts first, then the
 * eksbuild number. Negative when a is older than b.
 */
export function compareAddonVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(\d+(?:\.\d+)*)(?:-eksbuild\.(\d+))?/.exec(v.trim());
    if (!m) return undefined;
    return [...m[1]!.split('.').map(Number), Number(m[2] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return a.localeCompare(b);
  // The eksbuild number is last in both arrays; pad the release parts so 1.2 vs 1.2.0 compare equal.
  const rel = (p: number[]) => p.slice(0, -1);
  const ra = rel(pa);
  const rb = rel(pb);
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const d = (ra[i] ?? 0) - (rb[i] ?? 0);
    if (d !== 0) return d;
  }
  return pa[pa.length - 1]! - pb[pb.length - 1]!;
}
