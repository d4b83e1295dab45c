import { beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../infra/config.js';
import { tableAccessProblems } from '../support/fleet/checks.js';
import { checkCoverageFleet, type CoverageCheck } from '../support/fleet/coverage-checks.js';
import { simulateCoverageFleet, type CoverageFleetResult } from '../support/fleet/coverage-fleet.js';

/**
 * The fleet as a real organisation meets hardline (3 accounts × 2 regions × 5 clusters, three
 * runs): 30% of clusters never onboarded, one cluster deleted after the first run. `npm run bench`
 * runs it at 10 accounts. The checks are in sim/coverage-checks.ts.
 */
const FLOOR = parseSettings({}).coverageFloorPercent;
let result: CoverageFleetResult;
let check: CoverageCheck;

beforeAll(async () => {
  result = await simulateCoverageFleet({ accounts: 3, regions: ['eu-west-1', 'us-east-1'], clustersPerRegion: 5, unauthorizedShare: 0.3 });
  check = checkCoverageFleet(result, FLOOR);
}, 180_000);

describe('fleet coverage and deleted clusters (simulation)', () => {
  it('30% unauthorized: every run reports 21 of 30 readable (70%), under the default 95% floor, so the coverage alarm fires', () => {
    expect(result.unauthorized).toHaveLength(9);
    expect(check.problems.coverage).toEqual([]);
    expect(check.runs[0]).toEqual({ run: 1, clusters: 30, readable: 21, percent: 70, alarm: true });
    expect(check.runs.every((r) => r.alarm)).toBe(true);
  });

  it('the unreadable list is exact: the 9 unonboarded clusters, each with its own access entry command', () => {
    expect(check.problems.unreadableList).toEqual([]);
    expect(result.runs[0]!.summary.coverage.unreadable).toHaveLength(9);
  });

  it('a deleted cluster: its findings stay open on the first run without it and resolve (target-deleted, one event each) on the second', () => {
    expect(check.problems.deletion).toEqual([]);
    expect(check.deletedFindings).toBeGreaterThan(0);
    expect(check.resolvedByDeletion).toEqual([0, 0, check.deletedFindings]);
    expect(check.resolvedEvents).toBe(check.deletedFindings);
  });

  it("resolving a deleted cluster's findings stays within summarize's table grants (no DeleteItem, no Scan, no exemption write)", () => {
    expect(Object.keys(result.tableUse.calls['summarize']!)).toEqual(
      expect.arrayContaining(['dynamodb:Query index/byCluster', 'dynamodb:UpdateItem table', 'dynamodb:PutItem table']),
    );
    expect(tableAccessProblems(result.tableUse)).toEqual([]);
  });

  it('the checks can fail: an onboarded cluster added to the list, a resolution on the first absence', () => {
    const rec = result.runs[0]!;
    const extra = { ...rec.summary.coverage.unreadable[0]!, name: 'onboarded-one' };
    const tampered: CoverageFleetResult = {
      ...result,
      runs: [
        {
          ...rec,
          summary: { ...rec.summary, coverage: { ...rec.summary.coverage, unreadable: [...rec.summary.coverage.unreadable, extra] } },
        },
        ...result.runs.slice(1),
      ],
    };
    expect(checkCoverageFleet(tampered, FLOOR).problems.unreadableList.length).toBeGreaterThan(0);
    const early = { ...result, runs: [result.runs[0]!, result.runs[2]!, result.runs[2]!] };
    expect(checkCoverageFleet(early, FLOOR).problems.deletion.some((p) => p.startsWith('run 2'))).toBe(true);
    expect(checkCoverageFleet(result, 60).problems.coverage.length).toBeGreaterThan(0);
  });
});
