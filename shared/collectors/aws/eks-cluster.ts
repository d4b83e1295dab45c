import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, paginateListClusters, type Cluster, type EKSClient } from '@aws-sdk/client-eks';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { EksInventory, EksNodegroup, EksSubnet } from '../../inventory/eks.js';
import type { IamRolePolicies } from '../../inventory/iam.js';
import type { Gap } from '../../inventory/types.js';
import { collectAccessEntries } from './eks-access.js';
import { collectAddons, type AddonVersionCache } from './eks-addons.js';
import { collectControlPlaneLogGroup } from './eks-log-group.js';
import { collectNodegroups } from './eks-nodegroups.js';
import { collectSubnets } from './eks-subnets.js';
import { clusterVersionsFor, type ClusterVersionCache } from './eks-versions.js';
import { gapFrom, mergeGaps } from './errors.js';
import { collectGuardDuty } from './guardduty.js';
import { collectRolePolicies } from './iam-roles.js';
import { toJsonRecord } from './json.js';
import { ScanReadCache } from './scan-cache.js';

/** The clients one cluster's AWS side is read with, all of the cluster's account and region. */
export interface EksClusterClients {
  eks: EKSClient;
  /** Loaded on first use (the EC2 client is the Lambda runtime's). */
  ec2: () => Promise<EC2Client>;
  guardDuty: GuardDutyClient;
  logs: CloudWatchLogsClient;
  iam: IAMClient;
}

/** What a client needs to reach the cluster's API server; kept out of the inventory. */
export interface EksConnection {
  name: string;
  arn?: string;
  endpoint?: string;
  /** Base64 PEM of the cluster CA, as DescribeCluster returns it. */
  certificateAuthority?: string;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  /** The VPC the private endpoint lives in (resourcesVpcConfig.vpcId). */
  vpcId?: string;
}

export interface EksClusterCollection {
  eks: EksInventory;
  gaps: Gap[];
  connection?: EksConnection;
}

export interface EksCollectOptions {
  /** Calls in flight per cluster (nodegroups, add-ons, access entries). */
  concurrency?: number;
  addonVersionCache?: AddonVersionCache;
  /** DescribeClusterVersions, once per container: the support dates eks.supported-version judges by. */
  clusterVersionCache?: ClusterVersionCache;
  /** GuardDuty per account and region, managed IAM policies: once per scan. */
  scanCache?: ScanReadCache;
}

/** Every cluster name of the client's account and region (ListClusters, all pages). Throws on failure: the caller marks the region. */
export async function listClusterNames(eks: EKSClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client: eks }, {})) names.push(...(page.clusters ?? []));
  return names;
}

/**
 * One cluster's EKS settings: DescribeCluster, nodegroups with their launch templates' IMDS and
 * public-IP settings, their subnets and node roles' policies, add-ons with the versions available
 * for the cluster's Kubernetes version, access entries with their policies, the account's
 * GuardDuty detector and the control plane log group. Each call that fails becomes a gap; the
 * others still run.
 */
export async function collectEksCluster(
  clients: EksClusterClients,
  clusterName: string,
  opts: EksCollectOptions = {},
): Promise<EksClusterCollection> {
  const concurrency = opts.concurrency ?? 4;
  const scanCache = opts.scanCache ?? new ScanReadCache();
  let described;
  try {
    described = (await clients.eks.send(new DescribeClusterCommand({ name: clusterName }))).cluster;
  } catch (e) {
    return { eks: {}, gaps: [gapFrom('eks:cluster', e, `DescribeCluster ${clusterName}`)] };
  }
  if (!described)
    return { eks: {}, gaps: [{ source: 'eks:cluster', reason: 'not-found', message: `DescribeCluster ${clusterName}: empty answer` }] };

  // The CA bundle is public but large and useless to controls: it goes to the connection, not the snapshot.
  const { certificateAuthority, ...rest } = described;
  const cluster = toJsonRecord(rest);
  const version = described.version;
  const [nodes, addons, access, clusterVersions, guardDuty, logGroup] = await Promise.all([
    collectNodegroups(clients.eks, clients.ec2, clusterName, concurrency).then((n) => nodegroupContext(clients, n, scanCache, concurrency)),
    collectAddons(clients.eks, clusterName, version, concurrency, opts.addonVersionCache),
    collectAccessEntries(clients.eks, clusterName, described.accessConfig?.authenticationMode, concurrency),
    // Not a gap when it fails: the control falls back to its table and says so.
    clusterVersionsFor(clients.eks, opts.clusterVersionCache ?? {}),
    collectGuardDuty(clients.guardDuty, accountRegionOf(described), scanCache),
    // Without control plane logging there is no group to judge (eks.audit-logging reports that).
    loggingEnabled(described) ? collectControlPlaneLogGroup(clients.logs, clusterName) : Promise.resolve({ gaps: [] }),
  ]);
  const eks: EksInventory = { cluster };
  if (clusterVersions) eks.clusterVersions = clusterVersions;
  if (nodes.nodegroups) eks.nodegroups = nodes.nodegroups;
  if (nodes.subnets) eks.subnets = nodes.subnets;
  if (nodes.nodeRoles) eks.nodeRoles = nodes.nodeRoles;
  if (addons.addons) eks.addons = addons.addons;
  if (access.accessEntries) eks.accessEntries = access.accessEntries;
  if (guardDuty.guardDuty) eks.guardDuty = guardDuty.guardDuty;
  if ('logGroup' in logGroup && logGroup.logGroup) eks.controlPlaneLogGroup = logGroup.logGroup;
  const vpc = described.resourcesVpcConfig;
  const connection: EksConnection = {
    name: clusterName,
    endpointPublicAccess: vpc?.endpointPublicAccess ?? false,
    endpointPrivateAccess: vpc?.endpointPrivateAccess ?? false,
  };
  if (described.arn) connection.arn = described.arn;
  if (vpc?.vpcId) connection.vpcId = vpc.vpcId;
  if (described.endpoint) connection.endpoint = described.endpoint;
  if (certificateAuthority?.data) connection.certificateAuthority = certificateAuthority.data;
  const gaps = [...nodes.gaps, ...addons.gaps, ...access.gaps, ...guardDuty.gaps, ...logGroup.gaps];
  return { eks, gaps: mergeGaps(gaps), connection };
}

/** Nodegroups, then what only they name: their subnets and their node roles. */
async function nodegroupContext(
  clients: EksClusterClients,
  found: { nodegroups?: EksNodegroup[]; gaps: Gap[] },
  scanCache: ScanReadCache,
  concurrency: number,
): Promise<{ nodegroups?: EksNodegroup[]; subnets?: EksSubnet[]; nodeRoles?: IamRolePolicies[]; gaps: Gap[] }> {
  if (!found.nodegroups) return { gaps: found.gaps };
  const nodegroups = found.nodegroups;
  const strings = (key: string) => nodegroups.flatMap((ng) => ng[key] ?? []).filter((v): v is string => typeof v === 'string');
  const [subnets, roles] = await Promise.all([
    collectSubnets(clients.ec2, strings('subnets')),
    collectRolePolicies(clients.iam, strings('nodeRole'), scanCache, concurrency),
  ]);
  return {
    nodegroups,
    ...(subnets.subnets ? { subnets: subnets.subnets } : {}),
    nodeRoles: roles.roles,
    gaps: [...found.gaps, ...subnets.gaps, ...roles.gaps],
  };
}

function loggingEnabled(cluster: Cluster): boolean {
  return (cluster.logging?.clusterLogging ?? []).some((s) => s.enabled === true && (s.types?.length ?? 0) > 0);
}

/** Account and region from the cluster ARN (`arn:aws:eks:<region>:<account>:cluster/<name>`): the GuardDuty detector's scope. */
function accountRegionOf(cluster: Cluster): { accountId: string; region: string } {
  const [, , , region = '', accountId = ''] = (cluster.arn ?? '').split(':');
  return { accountId, region };
}
