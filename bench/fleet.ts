import { pathToFileURL } from 'node:url';
import { parseSettings } from '../infra/config.js';
import { checkFleet, expectedTargets, problemCount } from '../test/support/fleet/checks.js';
import { checkCoverageFleet } from '../test/support/fleet/coverage-checks.js';
import { simulateCoverageFleet } from '../test/support/fleet/coverage-fleet.js';
import { simulateFleet } from '../test/support/fleet/fleet.js';
import { buildFleet, registries } from '../test/support/fleet/world.js';

/**
 * The fleet simulation at full size (50 accounts × 2 regions × 10 clusters = 1,000 clusters plus
 * 100 registries, two runs, the second with faults, Lambda throttling 10% of all step tries): the same harness as test/fleet, with the
 * findings of every faulted or changed target and of a sample of the healthy ones compared with an
 * independent evaluation (all of them at the test's size).
 */
export interface FleetBench {
  fleet_clusters: number;
  fleet_registries: number;
  /** Targets the faulted run must account for (a denied account's clusters count as its '*' targets). */
  fleet_targets: number;
  /** …of which have a final status in the store for that run. */
  fleet_targets_accounted: number;
  fleet_targets_run1: number;
  fleet_targets_accounted_run1: number;
  /** Every broken promise the checks found (unaccounted targets, lost/extra findings, resolutions behind faults, missing events). */
  fleet_problems: number;
  fleet_compared_targets: number;
  fleet_run1_s: number;
  fleet_run2_s: number;
  fleet_publish_s: number;
  fleet_findings: number;
  fleet_stream_records: number;
  fleet_events: number;
  fleet_event_redeliveries: number;
  fleet_step_retries: number;
  /** Step tries Lambda throttled (10% of all tries are refused by the simulated Lambda). */
  fleet_throttled_tries: number;
  /** Targets recorded ERROR because of that throttling (the retry policy must make this 0). */
  fleet_throttled_errors: number;
  fleet_total_s: number;
}

export interface FleetBenchOptions {
  accounts?: number;
  regions?: readonly string[];
  clustersPerRegion?: number;
  truthSample?: number;
  log?: (line: string) => void;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function benchFleet(opts: FleetBenchOptions = {}): Promise<FleetBench & { problems: Record<string, string[]> }> {
  const spec = {
    accounts: opts.accounts ?? 50,
    regions: opts.regions ?? ['eu-west-1', 'us-east-1'],
    clustersPerRegion: opts.clustersPerRegion ?? 10,
    truthSample: opts.truthSample ?? 100,
    mapConcurrency: 20,
    lambdaTimeoutMs: 120_000,
    registryTimeoutMs: 8_000,
    kubeTimeoutMs: 3_000,
    // Rare at this size: every failure costs the publisher a backoff sleep, and the bus sees ~30,000 events.
    eventFaults: { stubbornRate: 0.001, partialEvery: 53, failEvery: 97 },
    lambdaThrottleRate: 0.1,
    ...(opts.log ? { log: opts.log } : {}),
  };
  const started = Date.now();
  const result = await simulateFleet(spec);
  const check = checkFleet(result);
  const fleet = buildFleet(spec);
  const [run1, run2] = result.runs as [(typeof result.runs)[0], (typeof result.runs)[0]];
  const accountedIn = (run: 1 | 2) => {
    const rec = result.runs[run - 1]!;
    return expectedTargets(fleet, run).filter((e) =>
      [...rec.snapshot.targets.values()].some(
        (t) =>
          t.lastScanId === rec.scanId &&
          t.kind === e.target.kind &&
          t.accountId === e.target.accountId &&
          t.region === e.target.region &&
          t.name === e.target.name,
      ),
    ).length;
  };
  return {
    fleet_clusters: fleet.clusters.length,
    fleet_registries: registries(fleet).length,
    fleet_targets: expectedTargets(fleet, 2).length,
    fleet_targets_accounted: accountedIn(2),
    fleet_targets_run1: expectedTargets(fleet, 1).length,
    fleet_targets_accounted_run1: accountedIn(1),
    fleet_problems: problemCount(check),
    fleet_compared_targets: check.comparedTargets,
    fleet_run1_s: round1(run1.executionMs / 1000),
    fleet_run2_s: round1(run2.executionMs / 1000),
    fleet_publish_s: round1((run1.deliveryMs + run2.deliveryMs) / 1000),
    fleet_findings: run2.snapshot.findings.size,
    fleet_stream_records: run1.streamRecords + run2.streamRecords,
    fleet_events: new Set(result.bus.accepted.map((e) => e.eventKey)).size,
    fleet_event_redeliveries: check.duplicateDeliveries,
    fleet_step_retries: result.runs.reduce((n, r) => n + [...r.execution.attempts.values()].reduce((m, a) => m + a - 1, 0), 0),
    fleet_throttled_tries: result.runs.reduce((n, r) => n + r.execution.throttled.length, 0),
    fleet_throttled_errors: check.problems.throttledToError.length,
    fleet_total_s: round1((Date.now() - started) / 1000),
    problems: Object.fromEntries(
      Object.entries(check.problems)
        .filter(([, v]) => v.length > 0)
        .map(([k, v]) => [k, v.slice(0, 10)]),
    ),
  };
}

export interface CoverageBench {
  coverage_clusters: number;
  coverage_unauthorized: number;
  /** Run 1's coverage, percent; the alarm fires below the default floor. */
  coverage_percent: number;
  coverage_alarm_fires: boolean;
  /** Promises the scenario broke (coverage numbers, the unreadable list, the deletion timing). */
  coverage_problems: number;
  deleted_cluster_findings: number;
  /** Findings resolved as target-deleted by run 2 (first absence: must be 0) and run 3 (second: all). */
  deleted_resolved_run2: number;
  deleted_resolved_run3: number;
  coverage_total_s: number;
}

/** The organisation before onboarding: 30% of clusters answer 401, one cluster is deleted after run 1 (three runs). */
export async function benchCoverageFleet(
  opts: Pick<FleetBenchOptions, 'accounts' | 'clustersPerRegion' | 'log'> = {},
): Promise<CoverageBench & { problems: Record<string, string[]> }> {
  const started = Date.now();
  const result = await simulateCoverageFleet({
    accounts: opts.accounts ?? 10,
    regions: ['eu-west-1', 'us-east-1'],
    clustersPerRegion: opts.clustersPerRegion ?? 5,
    unauthorizedShare: 0.3,
    mapConcurrency: 20,
    ...(opts.log ? { log: opts.log } : {}),
  });
  const check = checkCoverageFleet(result, parseSettings({}).coverageFloorPercent);
  return {
    coverage_clusters: result.fleet.clusters.length,
    coverage_unauthorized: result.unauthorized.length,
    coverage_percent: round1(check.runs[0]!.percent),
    coverage_alarm_fires: check.runs.every((r) => r.alarm),
    coverage_problems: Object.values(check.problems).reduce((n, l) => n + l.length, 0),
    deleted_cluster_findings: check.deletedFindings,
    deleted_resolved_run2: check.resolvedByDeletion[1] ?? -1,
    deleted_resolved_run3: check.resolvedByDeletion[2] ?? -1,
    coverage_total_s: round1((Date.now() - started) / 1000),
    problems: Object.fromEntries(Object.entries(check.problems).filter(([, v]) => v.length > 0)),
  };
}

// `npx tsx bench/fleet.ts [accounts] [clustersPerRegion]` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const accounts = Number(process.argv[2] ?? 50);
  const clustersPerRegion = Number(process.argv[3] ?? 10);
  const t = Date.now();
  const out = await benchFleet({
    accounts,
    clustersPerRegion,
    log: (line) => process.stderr.write(`${((Date.now() - t) / 1000).toFixed(0)}s ${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
