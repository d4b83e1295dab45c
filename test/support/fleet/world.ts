import type { KubeObject } from '../../../shared/inventory/types.js';
import { seededRandom } from '../random.js';
import { clusterObjects, type ClusterChange } from './cluster-objects.js';
import type { EventFaults } from './event-bus.js';

/**
 * The simulated organisation: accounts × regions × clusters (plus one ECR registry per account and
 * region), and which faults hit which target. Deterministic from the spec, so a failing check
 * names the same cluster on every run.
 */
export interface FleetSpec {
  accounts: number;
  regions: readonly string[];
  clustersPerRegion: number;
  seed?: number;
  /** Distributed Map maxConcurrency (the CDK default is 20). */
  mapConcurrency?: number;
  /** scan-cluster's Lambda timeout in the simulation (compressed time: the real one is 10 minutes). */
  lambdaTimeoutMs?: number;
  /** scan-registry's (the real one is 5 minutes); the hung registry spends it four times. */
  registryTimeoutMs?: number;
  /** Per-request timeout of the Kubernetes collector. */
  kubeTimeoutMs?: number;
  /** Targets whose findings are compared with an independent evaluation (all when absent). */
  truthSample?: number;
  /** PutEvents failures (event-bus.ts). */
  eventFaults?: EventFaults;
  /** Share of Lambda invocations (every step, retries included) that Lambda throttles (0 = none). */
  lambdaThrottleRate?: number;
  /** Objects added to every cluster (the secret-hygiene test plants credentials this way). */
  extraObjects?: (c: ClusterDef) => KubeObject[];
  /** When it returns a message, DescribeCluster of that cluster fails with it (AccessDeniedException). */
  describeClusterError?: (c: ClusterDef) => string | undefined;
  /** Powertools log level of the handlers (SILENT unless a test reads the logs). */
  logLevel?: 'SILENT' | 'DEBUG';
  log?: (line: string) => void;
}

/** Hard faults of the second run; `throttled-api` (429s, retried) applies to both runs. */
export type FaultRole = 'rbac-403' | 'timeout' | 'dead' | 'aws-throttled' | 'crash-run1' | 'crash-run2' | 'changed' | 'throttled-api';

export interface ClusterDef {
  accountId: string;
  region: string;
  name: string;
  /** Path key on the shared fake API server. */
  key: string;
  arn: string;
  index: number;
  roles: Set<FaultRole>;
}

type Hooks = 'log' | 'truthSample' | 'seed' | 'extraObjects' | 'describeClusterError' | 'logLevel';
export interface Fleet {
  spec: Required<Omit<FleetSpec, Hooks>> & Pick<FleetSpec, Hooks> & { seed: number };
  accountIds: string[];
  /** Its AssumeRole is denied in the second run. */
  deniedAccount?: string;
  /** This registry's DescribeRepositories never answers in the second run (the step times out). */
  hungRegistry: { accountId: string; region: string };
  clusters: ClusterDef[];
  byKey: Map<string, ClusterDef>;
}

export const FAULTS_OF_RUN_2: readonly FaultRole[] = ['rbac-403', 'timeout', 'dead', 'aws-throttled', 'crash-run2'];

export function accountIdOf(i: number): string {
  return String(210_000_000_000 + i * 1_001);
}

export function buildFleet(spec: FleetSpec): Fleet {
  const seed = spec.seed ?? 1130;
  const accountIds = Array.from({ length: spec.accounts }, (_, i) => accountIdOf(i));
  const deniedAccount = accountIds.length > 1 ? accountIds[1] : undefined;
  const clusters: ClusterDef[] = [];
  for (const accountId of accountIds) {
    for (const region of spec.regions) {
      for (let c = 0; c < spec.clustersPerRegion; c++) {
        const name = `eks-${region.split('-')[0]}-${String(c).padStart(2, '0')}`;
        clusters.push({
          accountId,
          region,
          name,
          key: `${accountId}-${region}-${name}`,
          arn: `arn:aws:eks:${region}:${accountId}:cluster/${name}`,
          index: clusters.length,
          roles: new Set(),
        });
      }
    }
  }
  assignRoles(
    clusters.filter((c) => c.accountId !== deniedAccount),
    seed,
  );
  return {
    spec: {
      accounts: spec.accounts,
      regions: spec.regions,
      clustersPerRegion: spec.clustersPerRegion,
      seed,
      mapConcurrency: spec.mapConcurrency ?? 16,
      lambdaTimeoutMs: spec.lambdaTimeoutMs ?? 40_000,
      registryTimeoutMs: spec.registryTimeoutMs ?? 5_000,
      kubeTimeoutMs: spec.kubeTimeoutMs ?? 2_000,
      eventFaults: spec.eventFaults ?? { stubbornRate: 0.02, partialEvery: 7, failEvery: 11 },
      lambdaThrottleRate: spec.lambdaThrottleRate ?? 0,
      ...(spec.truthSample !== undefined ? { truthSample: spec.truthSample } : {}),
      ...(spec.extraObjects ? { extraObjects: spec.extraObjects } : {}),
      ...(spec.describeClusterError ? { describeClusterError: spec.describeClusterError } : {}),
      ...(spec.logLevel ? { logLevel: spec.logLevel } : {}),
    },
    accountIds,
    ...(deniedAccount ? { deniedAccount } : {}),
    hungRegistry: { accountId: accountIds[0]!, region: spec.regions[spec.regions.length - 1]! },
    clusters,
    byKey: new Map(clusters.map((c) => [c.key, c])),
  };
}

/**
 * At most one hard fault per cluster, spread over the fleet by a seeded shuffle; the counts scale
 * with the fleet but every kind of fault occurs at least once.
 */
function assignRoles(eligible: ClusterDef[], seed: number): void {
  const rand = seededRandom(seed);
  const order = eligible
    .map((c) => ({ c, k: rand() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.c);
  const n = order.length;
  let next = 0;
  const take = (role: FaultRole, share: number, min = 1) => {
    const count = Math.min(n - next, Math.max(min, Math.round(n * share)));
    for (let i = 0; i < count; i++) order[next++]!.roles.add(role);
  };
  take('rbac-403', 0.05);
  take('timeout', 0.02);
  take('dead', 0.02);
  take('aws-throttled', 0.01);
  take('crash-run1', 0.005);
  // The second-run crash hits a cluster that has changes, so the interrupted save had work to do.
  const crash2 = order[next++];
  crash2?.roles.add('crash-run2');
  crash2?.roles.add('changed');
  take('changed', 0.08, 2);
  // Throttling is retried and invisible in the results: it may hit any healthy cluster.
  for (const c of order.slice(next).filter((_, i) => i % 17 === 3)) c.roles.add('throttled-api');
  if (!order.some((c) => c.roles.has('throttled-api')) && next < n) order[n - 1]!.roles.add('throttled-api');
}

/** A fault of the second run that keeps the scanner from reading (part of) the cluster; a retried crash is not one. */
export function isBlinded(fleet: Fleet, c: ClusterDef, run: 1 | 2): boolean {
  return run === 2 && (c.accountId === fleet.deniedAccount || FAULTS_OF_RUN_2.some((f) => f !== 'crash-run2' && c.roles.has(f)));
}

/** What changed in a cluster before the second scan: visible in healthy clusters, exactly what the fault hides in faulted ones. */
export function changeOf(fleet: Fleet, c: ClusterDef, run: 1 | 2): ClusterChange {
  if (run === 1) return 'none';
  if (c.accountId === fleet.deniedAccount || c.roles.has('dead') || c.roles.has('aws-throttled')) return 'all';
  if (c.roles.has('rbac-403')) return 'rbac';
  if (c.roles.has('timeout')) return 'workloads';
  return c.roles.has('changed') ? 'visible' : 'none';
}

/** The cluster's objects as its API server holds them in a run. */
export function objectsOf(fleet: Fleet, c: ClusterDef, run: 1 | 2): KubeObject[] {
  const objects = clusterObjects({
    seed: fleet.spec.seed * 7919 + c.index,
    cluster: c.name,
    accountId: c.accountId,
    region: c.region,
    forceWildcard: c.roles.has('rbac-403'),
    change: changeOf(fleet, c, run),
  });
  return [...objects, ...(fleet.spec.extraObjects?.(c) ?? [])];
}

/** Every registry target (one per account and region). */
export function registries(fleet: Fleet): { accountId: string; region: string }[] {
  return fleet.accountIds.flatMap((accountId) => fleet.spec.regions.map((region) => ({ accountId, region })));
}
