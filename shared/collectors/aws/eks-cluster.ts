import type { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClusterCommand, paginateListClusters, type EKSClient } from '@aws-sdk/client-eks';
import type { EksInventory } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { collectAccessEntries } from './eks-access.js';
import { collectAddons, type AddonVersionCache } from './eks-addons.js';
import { collectNodegroups } from './eks-nodegroups.js';
import { clusterVersionsFor, type ClusterVersionCache } from './eks-versions.js';
import { gapFrom, mergeGaps } from './errors.js';
import { toJsonRecord } from './json.js';

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
}

/** Every cluster name of the client's account and region (ListClusters, all pages). Throws on failure: the caller marks the region. */
export async function listClusterNames(eks: EKSClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListClusters({ client: eks }, {})) names.push(...(page.clusters ?? []));
  return names;
}

/**
 * One cluster's EKS settings: DescribeCluster, nodegroups with their launch templates' IMDS
 * settings, add-ons with the versions available for the cluster's Kubernetes version, and access
 * entries with their policies. Each call that fails becomes a gap; the others still run.
 */
export async function collectEksCluster(
  clients: { eks: EKSClient; ec2: () => Promise<EC2Client> },
  clusterName: string,
  opts: EksCollectOptions = {},
): Promise<EksClusterCollection> {
  const concurrency = opts.concurrency ?? 4;
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
  const [nodegroups, addons, access, clusterVersions] = await Promise.all([
    collectNodegroups(clients.eks, clients.ec2, clusterName, concurrency),
    collectAddons(clients.eks, clusterName, version, concurrency, opts.addonVersionCache),
    collectAccessEntries(clients.eks, clusterName, described.accessConfig?.authenticationMode, concurrency),
    // Not a gap when it fails: the control falls back to its table and says so.
    clusterVersionsFor(clients.eks, opts.clusterVersionCache ?? {}),
  ]);
  const eks: EksInventory = { cluster };
  if (clusterVersions) eks.clusterVersions = clusterVersions;
  if (nodegroups.nodegroups) eks.nodegroups = nodegroups.nodegroups;
  if (addons.addons) eks.addons = addons.addons;
  if (access.accessEntries) eks.accessEntries = access.accessEntries;
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
  return { eks, gaps: mergeGaps([...nodegroups.gaps, ...addons.gaps, ...access.gaps]), connection };
}
