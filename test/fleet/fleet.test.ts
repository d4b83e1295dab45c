import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_THROTTLED } from '../../shared/pipeline/step-retry.js';
import type { FindingItem } from '../../shared/store/items.js';
import { checkFleet, type FleetCheck } from '../support/fleet/checks.js';
import { simulateFleet, throttledTry, type FleetResult } from '../support/fleet/fleet.js';
import { clusterTargetId } from '../support/fleet/truth.js';

/**
 * The fleet simulation at a reduced size (5 accounts × 2 regions × 3 clusters + 10 registries, two
 * runs); `npm run bench` runs it at 50 × 2 × 10. Every fault of the issue is injected at least
 * once (world.ts assigns them); the checks are in sim/checks.ts.
 */
let result: FleetResult;
let check: FleetCheck;

beforeAll(async () => {
  result = await simulateFleet({
    accounts: 5,
    regions: ['eu-west-1', 'us-east-1'],
    clustersPerRegion: 3,
    mapConcurrency: 8,
    lambdaTimeoutMs: 40_000,
    registryTimeoutMs: 4_000,
    kubeTimeoutMs: 2_000,
    eventFaults: { stubbornRate: 0.02, partialEvery: 7, failEvery: 11 },
    lambdaThrottleRate: 0.1,
  });
  check = checkFleet(result);
}, 180_000);
afterAll(() => undefined);

const withRole = (role: Parameters<Set<string>['has']>[0]) => result.fleet.clusters.filter((c) => c.roles.has(role as never));

describe('fleet simulation (reduced size)', () => {
  it('injects every fault of the issue at least once', () => {
    for (const role of ['rbac-403', 'timeout', 'dead', 'aws-throttled', 'crash-run1', 'crash-run2', 'changed', 'throttled-api'])
      expect(withRole(role).length, role).toBeGreaterThan(0);
    expect(result.fleet.deniedAccount).toBeDefined();
    expect(result.bus.rejectedEntries).toBeGreaterThan(0);
    expect(result.bus.failedCalls).toBeGreaterThan(0);
  });

  it('accounts for every target of both runs with its final status', () => {
    expect(check.problems.unaccounted).toEqual([]);
    expect(check.problems.wrongStatus).toEqual([]);
    expect(check.accounted).toBe(check.targets);
    // 30 clusters + 10 registries in run 1; in run 2 the denied account's 6 clusters stand as 2 '*' targets.
    expect(check.targets).toBe(40 + (40 - 6 + 2));
  });

  it('stores exactly the findings the data calls for: none lost, none duplicated', () => {
    expect(check.comparedTargets).toBeGreaterThan(50);
    expect(check.problems.lostFindings).toEqual([]);
    expect(check.problems.extraFindings).toEqual([]);
  });

  it('never resolves findings of a target it could not read', () => {
    expect(check.problems.faultedResolved).toEqual([]);
    // The hidden changes are real: the wildcard role behind the 403 is gone, its finding still open.
    const rbac = withRole('rbac-403')[0]!;
    const wildcard = [...result.runs[1]!.snapshot.findings.values()].filter(
      (f) => f.targetId === clusterTargetId(rbac) && f.controlId === 'rbac.wildcard',
    );
    expect(wildcard.map((f) => f.state)).toContain('OPEN');
  });

  it('resolves and opens findings where the cluster really changed', () => {
    const changes = result.runs[1]!.execution.summary.changes;
    expect(changes.resolved).toBeGreaterThan(0);
    expect(changes.opened).toBeGreaterThan(0);
  });

  it('retries a step that died in the middle of its save; a hung step is retried, then recorded ERROR', () => {
    for (const [run, role] of [
      [0, 'crash-run1'],
      [1, 'crash-run2'],
    ] as const) {
      const c = withRole(role)[0]!;
      expect(result.runs[run]!.execution.attempts.get(`cluster|${c.accountId}|${c.region}|${c.name}`), role).toBe(2);
    }
    // middy ends the handler just before the Lambda timeout with a TimeoutError, which the step
    // reports as retryable: the state machine tries the hung registry 4 times, then the Catch records ERROR.
    const hung = result.fleet.hungRegistry;
    const key = `registry|${hung.accountId}|${hung.region}|${hung.accountId}.dkr.ecr.${hung.region}.amazonaws.com`;
    expect(result.runs[1]!.execution.attempts.get(key)).toBe(4);
    expect(
      result.runs[1]!.execution.outcomes.find(
        (o) => o.target.kind === 'registry' && o.target.accountId === hung.accountId && o.target.region === hung.region,
      )?.status,
    ).toBe('ERROR');
  });

  it("Lambda throttles 10% of the tries of every step; the definition's retry list absorbs it: no target ERROR because of it", () => {
    for (const rec of result.runs) {
      const ran = [...rec.execution.attempts.values()].reduce((n, a) => n + a, 0);
      const throttledScans = rec.execution.throttled.filter((t) => t.target !== undefined);
      // ~10% of ~50 tries at this size (the rate itself is checked on 10,000 tries below).
      expect(throttledScans.length, `run ${rec.run}`).toBeGreaterThan(0);
      expect(throttledScans.length / (ran + throttledScans.length), `run ${rec.run}`).toBeLessThan(0.3);
      const hit = new Set(throttledScans.map((t) => t.target));
      const outcomes = rec.execution.outcomes.filter((o) =>
        hit.has(`${o.target.kind}|${o.target.accountId}|${o.target.region}|${o.target.name}`),
      );
      expect(outcomes.length, `run ${rec.run}`).toBeGreaterThan(0);
      // The throttled targets end as the faults of their run say (checked per target by wrongStatus), never by the throttling.
      expect(outcomes.filter((o) => o.error?.Error === LAMBDA_THROTTLED)).toEqual([]);
    }
    expect(check.problems.throttledToError).toEqual([]);
    expect(check.problems.wrongStatus).toEqual([]);
  });

  it('the throttling fault refuses 10% of tries, deterministically', () => {
    const tries = Array.from({ length: 10_000 }, (_, i) =>
      throttledTry(0.1, 1, 'scanCluster', `cluster|a|r|c${i % 500}`, 1 + Math.floor(i / 500)),
    );
    const share = tries.filter(Boolean).length / tries.length;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    expect(throttledTry(0.1, 1, 'scanCluster', 'cluster|a|r|c7', 3)).toBe(throttledTry(0.1, 1, 'scanCluster', 'cluster|a|r|c7', 3));
    expect(throttledTry(0, 1, 'scanCluster', 'x', 1)).toBe(false);
  });

  it("every DynamoDB call of every step is one its function's role allows (the CDK grants); none writes the exemptions partition", () => {
    const calls = result.tableUse.calls;
    expect(Object.keys(calls).sort()).toEqual(['discover', 'scanCluster', 'scanRegistry', 'summarize']);
    // The calls the save really makes, so the check has something to check.
    expect(Object.keys(calls['scanCluster']!)).toEqual(
      expect.arrayContaining([
        'dynamodb:Query index/byCluster',
        'dynamodb:Query table',
        'dynamodb:PutItem table',
        'dynamodb:UpdateItem table',
      ]),
    );
    // History is written with PutItem: no step can send a BatchWriteItem (which could carry deletes).
    for (const fn of Object.values(calls)) expect(Object.keys(fn).filter((c) => c.startsWith('dynamodb:BatchWriteItem'))).toEqual([]);
    expect(Object.keys(calls['discover']!)).toEqual(['dynamodb:PutItem table']);
    expect(check.problems.tableAccess).toEqual([]);
  });

  it('publishes one event per store transition despite PutEvents failures (redelivered, never lost)', () => {
    expect(check.problems.eventsMissing).toEqual([]);
    expect(check.problems.eventsUnexpected).toEqual([]);
    expect(check.problems.eventsInconsistent).toEqual([]);
    expect(check.problems.dlq).toEqual([]);
    expect(result.runs.reduce((n, r) => n + r.delivery.redelivered, 0)).toBeGreaterThan(0);
  });
});

describe('the fleet checks can fail', () => {
  // Each tampering of the result is what a broken pipeline would leave behind; the checks must name it.
  const tampered = (change: (r: FleetResult) => FleetResult) => checkFleet(change(result)).problems;
  const run2 = (r: FleetResult, snapshot: FleetResult['runs'][number]['snapshot']): FleetResult => ({
    ...r,
    runs: [r.runs[0]!, { ...r.runs[1]!, snapshot }],
  });

  it('a target recorded ERROR because its step stayed throttled', () => {
    const outcomes = result.runs[0]!.execution.outcomes.map((o, i) =>
      i === 0 ? { ...o, status: 'ERROR' as const, error: { Error: LAMBDA_THROTTLED, Cause: 'Rate Exceeded.' } } : o,
    );
    const problems = tampered((r) => ({ ...r, runs: [{ ...r.runs[0]!, execution: { ...r.runs[0]!.execution, outcomes } }, r.runs[1]!] }));
    expect(problems.throttledToError).toHaveLength(1);
  });

  it('a table call the role does not allow, a write into the exemptions partition', () => {
    const problems = tampered((r) => ({
      ...r,
      tableUse: {
        calls: {
          ...r.tableUse.calls,
          scanCluster: { ...r.tableUse.calls['scanCluster'], 'dynamodb:DeleteItem table': 1, 'dynamodb:Query index/byControl': 1 },
        },
        protectedWrites: [{ step: 'summarize', key: 'EXEMPTIONS|EXEMPTION#x' }],
      },
    }));
    expect(problems.tableAccess).toEqual([
      'scan-cluster: dynamodb:DeleteItem is not granted (called 1×)',
      'scan-cluster: index byControl is not granted',
      'summarize: wrote EXEMPTIONS|EXEMPTION#x in the exemptions partition',
    ]);
  });

  it('an event that never reached the bus', () => {
    const problems = tampered((r) => ({
      ...r,
      bus: { ...r.bus, accepted: r.bus.accepted.filter((e) => e.detailType !== 'Scan Completed') },
    }));
    expect(problems.eventsMissing).toEqual(['Scan Completed scan:fleet-run-1', 'Scan Completed scan:fleet-run-2']);
  });

  it('a finding resolved behind a fault, a finding lost, a target without final status', () => {
    const snap = result.runs[1]!.snapshot;
    const rbac = clusterTargetId(withRole('rbac-403')[0]!);
    const open = [...snap.findings.values()].find((f) => f.targetId === rbac && f.state === 'OPEN')!;
    const findings = new Map<string, FindingItem>(snap.findings);
    findings.set(open.findingId, { ...open, state: 'RESOLVED', version: open.version + 1 });
    const healthy = [...snap.findings.values()].find(
      (f) => f.state === 'OPEN' && result.runs[1]!.expected.get(f.targetId ?? '')?.has(f.findingId),
    )!;
    findings.delete(healthy.findingId);
    const targets = new Map(snap.targets);
    const [tid, item] = [...targets].find(([, t]) => t.kind === 'registry')!;
    targets.set(tid, { ...item, lastScanId: 'fleet-run-1' });
    const problems = tampered((r) => run2(r, { ...snap, findings, targets }));
    expect(problems.faultedResolved).toHaveLength(1);
    expect(problems.lostFindings.some((p) => p.includes(healthy.findingId))).toBe(true);
    expect(problems.unaccounted.some((p) => p.includes(item.name))).toBe(true);
  });
});
