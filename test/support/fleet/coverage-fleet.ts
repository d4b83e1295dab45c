import type { StoreSummary } from '../../../shared/store/summary.js';
import { seededRandom } from '../random.js';
import { installAwsMocks, type AwsWorldState } from './aws-mocks.js';
import { BUCKET, fleetDeps, fleetHandlers, TABLE } from './deps.js';
import { installEventBus, type EventBus } from './event-bus.js';
import { startSimulationBase } from './harness.js';
import { recordTableUse, type TableUse } from './lambda.js';
import { snapshotStore, type StoreSnapshot } from './snapshot.js';
import { execute, type Execution } from './state-machine.js';
import { deliver } from './stream.js';
import { buildFleet, objectsOf, type ClusterDef, type Fleet } from './world.js';

/**
 * The organisation as it really starts out: a share of its clusters never onboarded (their API
 * server answers 401 to the scanner), and one cluster deleted after the first run. Three runs of
 * the real pipeline handlers over the same harness as the main simulation (simulated state machine,
 * mocked AWS, fake API servers, dynalite, stream → publisher → bus), without its other faults.
 */
export interface CoverageFleetSpec {
  accounts: number;
  regions: readonly string[];
  clustersPerRegion: number;
  /** Share of clusters whose API server rejects the scanner (401): never onboarded. */
  unauthorizedShare: number;
  mapConcurrency?: number;
  kubeTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface CoverageRun {
  run: number;
  scanId: string;
  execution: Execution;
  snapshot: StoreSnapshot;
  /** GET /summary after the run: the fleet coverage a user sees. */
  summary: StoreSummary;
}

export interface CoverageFleetResult {
  fleet: Fleet;
  unauthorized: ClusterDef[];
  /** Listed in run 1 only. */
  deleted: ClusterDef;
  runs: CoverageRun[];
  bus: EventBus;
  /** DynamoDB calls per step (the deletion path of summarize included), checked against the grants. */
  tableUse: TableUse;
}

const RUNS = 3;
const START = Date.parse('2026-12-01T03:00:00.000Z');

/** The clusters that were never onboarded (a seeded pick of the share) and the one that is deleted (readable, with findings). */
function pickFaults(fleet: Fleet, share: number): { unauthorized: ClusterDef[]; deleted: ClusterDef } {
  const rand = seededRandom(fleet.spec.seed + 14);
  const order = fleet.clusters
    .map((c) => ({ c, k: rand() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.c);
  const count = Math.round(fleet.clusters.length * share);
  return { unauthorized: order.slice(0, count), deleted: order[count]! };
}

export async function simulateCoverageFleet(spec: CoverageFleetSpec): Promise<CoverageFleetResult> {
  const log = spec.log ?? (() => {});
  const fleet = buildFleet({
    accounts: spec.accounts,
    regions: spec.regions,
    clustersPerRegion: spec.clustersPerRegion,
    mapConcurrency: spec.mapConcurrency ?? 8,
    kubeTimeoutMs: spec.kubeTimeoutMs ?? 2_000,
  });
  // Only the faults of this scenario: the main simulation's roles (403s, timeouts, a denied account in its run 2) stay off.
  for (const c of fleet.clusters) c.roles.clear();
  const { unauthorized, deleted } = pickFaults(fleet, spec.unauthorizedShare);
  const never = new Set(unauthorized.map((c) => c.key));
  const base = await startSimulationBase();
  const { raw, store, api, stream, publish } = base;
  const tableUse: TableUse = { calls: {}, protectedWrites: [] };
  // run stays 1 for the mocks: their run-2 faults belong to the main simulation.
  const state: AwsWorldState = { run: 1, apiUrl: (k) => api.url(k), caData: api.caData, calls: {} };
  const aws = installAwsMocks(fleet, state);
  const bus = installEventBus({ stubbornRate: 0, partialEvery: 1_000_000, failEvery: 1_000_000 });
  // A token no scanner ever gets: every request of an unonboarded cluster is 401.
  for (const c of fleet.clusters)
    api.addCluster(c.key, { objects: objectsOf(fleet, c, 1) as never, ...(never.has(c.key) ? { token: 'issued-to-someone-else' } : {}) });
  const runs: CoverageRun[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      state.listed = (c) => run === 1 || c !== deleted;
      const startedAt = new Date(START + (run - 1) * 86_400_000).toISOString();
      const scanId = `coverage-run-${run}`;
      const t0 = Date.now();
      const deps = fleetDeps(fleet, store, () => new Date(Date.parse(startedAt) + (Date.now() - t0)));
      log(`coverage run ${run}: ${fleet.clusters.length - (run === 1 ? 0 : 1)} clusters listed …`);
      const from = stream.records.length;
      const execution = await execute(fleetHandlers(deps), {
        scanId,
        startedAt,
        bucket: BUCKET,
        s3: aws.s3,
        mapConcurrency: fleet.spec.mapConcurrency,
        timeouts: { discover: 120_000, scanCluster: 60_000, scanRegistry: 10_000, summarize: 120_000 },
        onInvocationEnd: async (inv) => {
          recordTableUse(tableUse, inv);
          await stream.capture(inv);
        },
      });
      await deliver(stream.records, from, publish);
      runs.push({ run, scanId, execution, snapshot: await snapshotStore(raw, TABLE), summary: await store.summary() });
    }
  } finally {
    aws.restore();
    bus.restore();
    await base.close();
  }
  return { fleet, unauthorized, deleted, runs, bus, tableUse };
}
