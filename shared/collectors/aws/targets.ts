import { mapLimit } from '../../core/concurrency.js';
import { describeError } from '../../core/errors.js';
import type { Target } from '../../core/types.js';
import { registryHost } from '../../inventory/ecr.js';
import type { Gap, Inventory, KubeObject, TargetInput } from '../../inventory/types.js';
import { redact } from '../../redaction/redact.js';
import type { AwsClientFactory, CredentialProvider } from './clients.js';
import { collectImageScanFindings, ecrImagesOf } from './ecr-images.js';
import { collectEcrRegistry } from './ecr-registry.js';
import type { AddonVersionCache } from './eks-addons.js';
import { collectEksCluster, listClusterNames, type EksClusterClients, type EksConnection } from './eks-cluster.js';
import type { ClusterVersionCache } from './eks-versions.js';
import { classifyAwsError } from './errors.js';
import { regionNotEnabledReason } from './region-reason.js';
import { enabledRegions, type RegionEnablement } from './regions.js';
import { ScanReadCache } from './scan-cache.js';

/** The Kubernetes side of a cluster target, read through the API server when it can be reached. */
export interface KubernetesPart {
  resources: KubeObject[];
  gaps: Gap[];
  absentKinds?: string[];
}

/**
 * Reads a cluster's Kubernetes objects with an EKS token (the live collector). It must not throw
 * for an unreachable or private endpoint: that is a gap with reason `unreachable`.
 */
export type KubernetesCollector = (
  cluster: EksConnection,
  context: { accountId: string; region: string; credentials?: CredentialProvider },
) => Promise<KubernetesPart>;

export interface AwsAccountScanOptions {
  clients: AwsClientFactory;
  regions: readonly string[];
  /** Org mode: establishes the member-account session (AssumeRole) before anything else; throws when denied. */
  openSession?: (accountId: string) => Promise<unknown>;
  /** Check which regions are enabled in each account (org mode). */
  checkRegionEnablement?: boolean;
  /** Accounts scanned at the same time. */
  accountConcurrency?: number;
  /** Targets (clusters, registries) collected at the same time within one account. */
  targetConcurrency?: number;
  /** Calls in flight within one target. */
  callConcurrency?: number;
  kubernetes?: KubernetesCollector;
  /** EKS version support dates, shared by every cluster of the scan (DescribeClusterVersions once). */
  clusterVersionCache?: ClusterVersionCache;
  /** GuardDuty per account and region, managed IAM policies: read once per scan (collectAwsTargets makes one). */
  scanCache?: ScanReadCache;
  /** Accounts whose ECR can be asked directly about running images (org members); others via the cluster's account. */
  knownAccounts?: ReadonlySet<string>;
  now?: () => Date;
  progress?: (message: string) => void;
  /** Only these targets, without listing the account's clusters; unset: every cluster and registry. */
  only?: TargetSelection;
  /** A named cluster DescribeCluster does not know (ResourceNotFound) in this account and region: not a target there. */
  onClusterNotFound?: (accountId: string, region: string, name: string) => void;
}

/** Named targets of every scanned account and region: clusters by name, and whether the registry. */
export interface TargetSelection {
  clusters: readonly string[];
  registry: boolean;
}

function failure(target: Target, e: unknown, what: string): TargetInput {
  const f = classifyAwsError(e, what);
  return { target, failure: { status: f.status, reason: f.message } };
}

/** A pseudo-target standing for every cluster of a region whose clusters could not even be listed. */
export function allClustersTarget(accountId: string, region: string): Target {
  return { kind: 'cluster', accountId, region, name: '*' };
}

/** The clients of one cluster's account and region. */
export function eksClusterClients(clients: AwsClientFactory, accountId: string, region: string): EksClusterClients {
  return {
    eks: clients.eks(accountId, region),
    ec2: () => clients.ec2(accountId, region),
    guardDuty: clients.guardDuty(accountId, region),
    logs: clients.logs(accountId, region),
    iam: clients.iam(accountId, region),
  };
}

export function registryTarget(accountId: string, region: string): Target {
  return { kind: 'registry', accountId, region, name: registryHost(accountId, region) };
}

/**
 * Every (account, region, cluster | registry) target. Nothing here throws for one target: a denied
 * AssumeRole, a disabled region, a throttled ListClusters or a broken DescribeCluster marks its
 * own target(s) UNKNOWN or ERROR with the reason, and every other target is still scanned.
 */
export async function collectAwsTargets(accountIds: readonly string[], options: AwsAccountScanOptions): Promise<TargetInput[]> {
  const addonVersionCache: AddonVersionCache = new Map();
  const opts: AwsAccountScanOptions = {
    ...options,
    clusterVersionCache: options.clusterVersionCache ?? {},
    scanCache: options.scanCache ?? new ScanReadCache(),
  };
  const perAccount = await mapLimit(accountIds, opts.accountConcurrency ?? 4, (accountId) =>
    scanAccount(accountId, opts, addonVersionCache).catch((e): TargetInput[] =>
      opts.regions.flatMap((region) => [
        { target: allClustersTarget(accountId, region), failure: { status: 'ERROR' as const, reason: redact(describeError(e)) } },
        { target: registryTarget(accountId, region), failure: { status: 'ERROR' as const, reason: redact(describeError(e)) } },
      ]),
    ),
  );
  return perAccount.flat();
}

async function scanAccount(accountId: string, opts: AwsAccountScanOptions, cache: AddonVersionCache): Promise<TargetInput[]> {
  const progress = opts.progress ?? (() => {});
  if (opts.openSession) {
    try {
      await opts.openSession(accountId);
    } catch (e) {
      return opts.regions.flatMap((region) => [
        failure(allClustersTarget(accountId, region), e, `account ${accountId}: cannot assume the scanner role`),
        failure(registryTarget(accountId, region), e, `account ${accountId}: cannot assume the scanner role`),
      ]);
    }
  }
  let enablement: RegionEnablement = { known: false, reason: 'not checked' };
  if (opts.checkRegionEnablement && opts.regions.length > 0) {
    enablement = await enabledRegions({
      account: opts.clients.account(accountId),
      ec2: () => opts.clients.ec2(accountId, opts.regions[0]!),
    });
  }
  // Work items: a region's cluster list and its registry; clusters are added as they are listed.
  const tasks: (() => Promise<TargetInput[]>)[] = [];
  for (const region of opts.regions) {
    if (enablement.known && !enablement.enabled.has(region)) {
      const reason = regionNotEnabledReason(region, accountId, enablement.source);
      tasks.push(async () => [
        { target: allClustersTarget(accountId, region), failure: { status: 'UNKNOWN', reason } },
        { target: registryTarget(accountId, region), failure: { status: 'UNKNOWN', reason } },
      ]);
      continue;
    }
    const registryTask = async () => {
      progress(`ECR ${accountId}/${region}`);
      return [await scanRegistry(accountId, region, opts)];
    };
    if (opts.only) {
      for (const name of opts.only.clusters) tasks.push(() => scanNamedCluster(accountId, region, name, opts, cache));
      if (opts.only.registry) tasks.push(registryTask);
      continue;
    }
    tasks.push(() => scanRegionClusters(accountId, region, opts, cache));
    tasks.push(registryTask);
  }
  const results = await mapLimit(tasks, opts.targetConcurrency ?? 4, (t) => t());
  return results.flat();
}

async function scanRegionClusters(
  accountId: string,
  region: string,
  opts: AwsAccountScanOptions,
  cache: AddonVersionCache,
): Promise<TargetInput[]> {
  const eks = opts.clients.eks(accountId, region);
  let names: string[];
  try {
    names = await listClusterNames(eks);
  } catch (e) {
    return [failure(allClustersTarget(accountId, region), e, `ListClusters in ${accountId}/${region}`)];
  }
  return mapLimit(names, opts.targetConcurrency ?? 4, (name) => scanCluster(accountId, region, name, opts, cache));
}

/** A cluster named by the caller: scanned like a listed one, but where DescribeCluster does not know it, it is no target at all. */
async function scanNamedCluster(
  accountId: string,
  region: string,
  name: string,
  opts: AwsAccountScanOptions,
  cache: AddonVersionCache,
): Promise<TargetInput[]> {
  let missing = false;
  const result = await scanCluster(accountId, region, name, { ...opts, onClusterNotFound: () => (missing = true) }, cache);
  if (!missing) return [result];
  opts.onClusterNotFound?.(accountId, region, name);
  return [];
}

/** One cluster target end to end (EKS data, then the Kubernetes part); never throws. The pipeline scans one per invocation. */
export async function scanCluster(
  accountId: string,
  region: string,
  name: string,
  opts: AwsAccountScanOptions,
  cache: AddonVersionCache,
): Promise<TargetInput> {
  (opts.progress ?? (() => {}))(`EKS ${accountId}/${region}/${name}`);
  const now = opts.now ?? (() => new Date());
  const target: Target = { kind: 'cluster', accountId, region, name };
  try {
    const collected = await collectEksCluster(eksClusterClients(opts.clients, accountId, region), name, {
      concurrency: opts.callConcurrency ?? 4,
      addonVersionCache: cache,
      ...(opts.clusterVersionCache ? { clusterVersionCache: opts.clusterVersionCache } : {}),
      ...(opts.scanCache ? { scanCache: opts.scanCache } : {}),
    });
    const described = collected.connection;
    if (!collected.eks.cluster) {
      const gap = collected.gaps.find((g) => g.source === 'eks:cluster');
      if (gap?.reason === 'not-found') opts.onClusterNotFound?.(accountId, region, name);
      return {
        target,
        failure: { status: gap?.reason === 'error' ? 'ERROR' : 'UNKNOWN', reason: gap?.message ?? 'DescribeCluster failed' },
      };
    }
    const arn = typeof collected.eks.cluster['arn'] === 'string' ? collected.eks.cluster['arn'] : undefined;
    if (arn) target.arn = arn;
    const inventory: Inventory = {
      target,
      collectedAt: now().toISOString(),
      origin: 'live',
      resources: [],
      eks: collected.eks,
      gaps: [...collected.gaps],
    };
    if (opts.kubernetes && described) await addKubernetesPart(inventory, described, accountId, region, opts);
    return { inventory };
  } catch (e) {
    return { target, failure: { status: 'ERROR', reason: redact(`collecting ${accountId}/${region}/${name}: ${describeError(e)}`) } };
  }
}

/** Kubernetes objects through the API server, then scan findings of the ECR images its workloads run. */
async function addKubernetesPart(
  inv: Inventory,
  cluster: EksConnection,
  accountId: string,
  region: string,
  opts: AwsAccountScanOptions,
): Promise<void> {
  const credentials = opts.clients.credentials(accountId);
  let part: KubernetesPart;
  try {
    part = await opts.kubernetes!(cluster, { accountId, region, ...(credentials ? { credentials } : {}) });
  } catch (e) {
    part = {
      resources: [],
      gaps: [
        { source: 'kubernetes', reason: 'error', message: redact(`reading the Kubernetes API of ${cluster.name}: ${describeError(e)}`) },
      ],
    };
  }
  inv.resources = part.resources;
  inv.gaps.push(...part.gaps);
  if (part.absentKinds) inv.absentKinds = part.absentKinds;
  const images = ecrImagesOf(part.resources);
  // An empty list still says "findings were looked for": workloads outside ECR then read NOT_APPLICABLE.
  if (images.length === 0) {
    inv.ecr = { ...(inv.ecr ?? {}), imageScanFindings: [] };
    return;
  }
  const known = opts.knownAccounts;
  // Inspector shows an account its own findings only (an empty list elsewhere): ask the registry's account or nobody.
  const owner = (registryId: string) => registryId === accountId || known?.has(registryId) === true;
  const { imageScanFindings, gaps } = await collectImageScanFindings(
    images,
    (registryId, imageRegion) => opts.clients.ecr(owner(registryId) ? registryId : accountId, imageRegion),
    opts.callConcurrency ?? 4,
    (registryId, imageRegion) => (owner(registryId) ? opts.clients.inspector(registryId, imageRegion) : undefined),
  );
  inv.ecr = { ...(inv.ecr ?? {}), imageScanFindings };
  inv.gaps.push(...gaps);
}

/** One registry target (the account's ECR in a region); never throws. */
export async function scanRegistry(accountId: string, region: string, opts: AwsAccountScanOptions): Promise<TargetInput> {
  const target = registryTarget(accountId, region);
  const now = opts.now ?? (() => new Date());
  try {
    const { ecr, gaps } = await collectEcrRegistry(opts.clients.ecr(accountId, region), {
      concurrency: opts.callConcurrency ?? 4,
      region,
      inspector: opts.clients.inspector(accountId, region),
    });
    if (!ecr.repositories) {
      const gap = gaps.find((g) => g.source === 'ecr:repositories');
      return {
        target,
        failure: { status: gap?.reason === 'error' ? 'ERROR' : 'UNKNOWN', reason: gap?.message ?? 'DescribeRepositories failed' },
      };
    }
    if (ecr.registryId && ecr.registryId !== accountId) target.name = registryHost(ecr.registryId, region);
    return { inventory: { target, collectedAt: now().toISOString(), origin: 'live', resources: [], ecr, gaps } };
  } catch (e) {
    return { target, failure: { status: 'ERROR', reason: redact(`collecting ECR ${accountId}/${region}: ${describeError(e)}`) } };
  }
}
