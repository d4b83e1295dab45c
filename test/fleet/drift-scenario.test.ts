import { beforeAll, describe, expect, it } from 'vitest';
import { simulateDrift, type DriftResult } from '../support/fleet/drift.js';
import { driftScenario, measureDrift, type DriftMeasures, type ScenarioPlan } from '../support/fleet/drift-scenario.js';

/**
 * The benchmark's scenario at test size: seeded changes of every family over a quarter of an hour,
 * with bursts, duplicate deliveries, refused calls and reads. Every change reaches the bus as the
 * finding event it must cause; noise costs no rescan; debouncing keeps rescans below events.
 */
let result: DriftResult;
let plan: ScenarioPlan;
let m: DriftMeasures;
beforeAll(async () => {
  plan = { calls: [], changes: [] };
  result = await simulateDrift(
    { accounts: 3, regions: ['eu-west-1'], clustersPerRegion: 4 },
    driftScenario({ changes: 12, minutes: 15, burstShare: 0.3, duplicateShare: 0.2, noiseCalls: 2, seed: 77 }, plan),
  );
  m = measureDrift(result, plan);
});

describe('drift scenario (seeded)', () => {
  it('every change leads to its finding event; refused calls and reads lead to nothing', () => {
    expect(m.changes).toBe(12);
    expect(m.missing).toEqual([]);
    expect(m.noiseRescans).toBe(0);
    expect(result.counts.cloudTrailEvents - result.counts.forwarded).toBeGreaterThanOrEqual(4);
  });

  it('configuration changes reach the bus after the debounce window and within a few minutes; rescans stay below forwarded events', () => {
    expect(m.configDrifts.length).toBeGreaterThan(0);
    expect(Math.min(...m.configDrifts)).toBeGreaterThan(60);
    expect(m.max).toBeLessThan(300);
    expect(m.rescans).toBeLessThan(m.eventsForwarded);
  });
});
