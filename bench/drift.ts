import { pathToFileURL } from 'node:url';
import { DRIFT_TIMING, simulateDrift } from '../test/support/fleet/drift.js';
import { driftScenario, measureDrift, type ScenarioPlan } from '../test/support/fleet/drift-scenario.js';

/**
 * Change rescans in simulated time (test/support/fleet/drift.ts): a fleet, a seeded morning of
 * changes with bursts, duplicate deliveries, refused calls and reads; the real handlers from the
 * member rule to the bus. Reports the time from each API call to its Finding Opened/Resolved event
 * (the debounce window counted) and the rescans per delivered change event.
 */
export interface DriftBench {
  drift_changes: number;
  drift_events: number;
  drift_rescans: number;
  /** p50/p95/max seconds from a configuration change's API call to its finding event on the bus. */
  drift_to_event_s_p50: number;
  drift_to_event_s_p95: number;
  drift_to_event_s_max: number;
  /** Rescan executions per change event the member rules forwarded (duplicates and bursts included). */
  drift_rescans_per_event: number;
  /** Deletions (cluster DELETING 2–5 min, repositories at once): call → Finding Resolved (target-deleted), p95. */
  drift_delete_to_resolved_s_p95: number;
  /** Changes whose event never came, plus rescans that refused calls or reads caused. */
  drift_problems: number;
  drift_total_s: number;
}

export interface DriftBenchOptions {
  accounts?: number;
  clustersPerRegion?: number;
  changes?: number;
  minutes?: number;
  log?: (line: string) => void;
}

export async function benchDrift(opts: DriftBenchOptions = {}): Promise<DriftBench & { problems: string[] }> {
  const started = Date.now();
  const plan: ScenarioPlan = { calls: [], changes: [] };
  const scenario = driftScenario(
    { changes: opts.changes ?? 60, minutes: opts.minutes ?? 30, burstShare: 0.25, duplicateShare: 0.2, noiseCalls: 8 },
    plan,
  );
  const result = await simulateDrift(
    { accounts: opts.accounts ?? 10, regions: ['eu-west-1', 'us-east-1'], clustersPerRegion: opts.clustersPerRegion ?? 4, windowS: 60 },
    scenario,
  );
  const m = measureDrift(result, plan);
  opts.log?.(
    `drift: ${m.changes} changes, ${m.eventsForwarded} events forwarded, ${m.rescans} rescans; timing model ${JSON.stringify(DRIFT_TIMING)}`,
  );
  return {
    drift_changes: m.changes,
    drift_events: m.eventsForwarded,
    drift_rescans: m.rescans,
    drift_to_event_s_p50: m.p50,
    drift_to_event_s_p95: m.p95,
    drift_to_event_s_max: m.max,
    drift_rescans_per_event: Math.round((m.rescans / m.eventsForwarded) * 100) / 100,
    drift_delete_to_resolved_s_p95: m.deleteP95,
    drift_problems: m.missing.length + m.noiseRescans,
    drift_total_s: Math.round((Date.now() - started) / 100) / 10,
    problems: [
      ...m.missing.map((x) => `no event: ${x}`),
      ...(m.noiseRescans > 0 ? [`${m.noiseRescans} rescans caused by refused calls or reads`] : []),
    ],
  };
}

// `npx tsx bench/drift.ts [accounts] [clustersPerRegion] [changes]` runs it alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await benchDrift({
    accounts: Number(process.argv[2] ?? 10),
    clustersPerRegion: Number(process.argv[3] ?? 4),
    changes: Number(process.argv[4] ?? 60),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
