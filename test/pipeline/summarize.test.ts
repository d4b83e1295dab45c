import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResultSet } from '../../shared/engine/results.js';
import { summarize } from '../../shared/engine/report.js';
import { targetsKeyOf } from '../../shared/pipeline/discover.js';
import { scanRegistryStep } from '../../shared/pipeline/scan-target.js';
import { mergeSummaries, summarizeRun } from '../../shared/pipeline/summarize.js';
import type { DiscoveredTarget, TargetOutcome } from '../../shared/pipeline/types.js';
import { getRun, openRun } from '../../shared/store/run.js';
import { awsWorld, BUCKET, fakeS3, MEMBER_ACCOUNT, resetMocks, startTestPipeline, type TestPipeline } from './support.js';

let world: TestPipeline;
beforeAll(async () => (world = await startTestPipeline()));
afterAll(async () => world.dispose());
beforeEach(() => resetMocks());

const registry: DiscoveredTarget = {
  target: { kind: 'registry', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: `${MEMBER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com` },
};
const crashing: DiscoveredTarget = { target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'crashing' } };
const vanished: DiscoveredTarget = { target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'vanished' } };
const childFailed: DiscoveredTarget = { target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'child-failed' } };
const offRegion: DiscoveredTarget = {
  target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'ap-south-2', name: '*' },
  failure: { status: 'UNKNOWN', reason: 'region ap-south-2 is not enabled' },
};

let runs = 0;
async function newRun(): Promise<{ scanId: string; startedAt: string }> {
  runs++;
  const run = { scanId: `summarize-${runs}`, startedAt: new Date(Date.parse('2026-11-24T03:00:00Z') + runs * 3_600_000).toISOString() };
  await openRun(world.store.ctx, { ...run, framework: 'all' });
  return run;
}

/** What the map's Catch (a Pass state) emits for a failed scan step. */
function caught(item: DiscoveredTarget, cause: object): TargetOutcome & { error: { Error: string; Cause: string } } {
  return {
    target: item.target,
    status: 'ERROR',
    resources: 0,
    gaps: 0,
    recorded: false,
    error: { Error: 'Sandbox.Timedout', Cause: JSON.stringify(cause) },
  };
}

describe('summarize', () => {
  it('distributed map: reads the ResultWriter manifest, records every target the steps did not, and completes the run once', async () => {
    awsWorld([]);
    const run = await newRun();
    const scanned = await scanRegistryStep({ ...run, knownAccounts: [], item: registry }, world.deps());
    const items = [registry, crashing, vanished, childFailed, offRegion];
    const child = (item: DiscoveredTarget, extra: object) => ({
      ExecutionArn: 'arn:x',
      Input: JSON.stringify({ ...run, knownAccounts: [], item }),
      Name: 'n',
      ...extra,
    });
    fakeS3({
      [`${BUCKET}/${targetsKeyOf(run.scanId)}`]: items,
      [`${BUCKET}/results/m1/manifest.json`]: {
        DestinationBucket: BUCKET,
        MapRunArn: 'arn:map',
        ResultFiles: {
          SUCCEEDED: [{ Key: 'results/m1/SUCCEEDED_0.json', Size: 1 }],
          FAILED: [{ Key: 'results/m1/FAILED_0.json', Size: 1 }],
          PENDING: [],
        },
      },
      [`${BUCKET}/results/m1/SUCCEEDED_0.json`]: [
        child(registry, { Status: 'SUCCEEDED', Output: JSON.stringify(scanned) }),
        child(crashing, {
          Status: 'SUCCEEDED',
          Output: JSON.stringify(
            caught(crashing, { errorType: 'Error', errorMessage: 'Task timed out after 900.00 seconds; key AKIAABCDEFGHIJKLMNOP' }),
          ),
        }),
        child(offRegion, {
          Status: 'SUCCEEDED',
          Output: JSON.stringify({
            target: offRegion.target,
            status: 'UNKNOWN',
            reason: offRegion.failure!.reason,
            resources: 0,
            gaps: 0,
            recorded: false,
          }),
        }),
      ],
      [`${BUCKET}/results/m1/FAILED_0.json`]: [
        child(childFailed, { Status: 'FAILED', Error: 'States.Runtime', Cause: 'An error occurred while executing the state' }),
      ],
    });

    const out = await summarizeRun(
      {
        ...run,
        targetCount: items.length,
        targetsKey: targetsKeyOf(run.scanId),
        map: { ResultWriterDetails: { Bucket: BUCKET, Key: 'results/m1/manifest.json' } },
      },
      world.deps(),
    );

    expect(out).toMatchObject({
      scanId: run.scanId,
      status: 'COMPLETED',
      targets: 5,
      failedTargets: 4,
      byTargetStatus: { OK: 1, PARTIAL: 0, UNKNOWN: 1, ERROR: 3 },
    });
    expect(out.summary).toEqual(scanned.summary);
    const item = await getRun(world.store.ctx, run.scanId);
    expect(item).toMatchObject({ status: 'COMPLETED', summary: scanned.summary, finishedAt: expect.any(String) });
    const reasons = Object.fromEntries(item!.targets.map((t) => [t.name, `${t.status} ${t.reason ?? ''}`]));
    expect(reasons).toEqual({
      [registry.target.name]: 'OK ',
      crashing: expect.stringMatching(/^ERROR the scan step failed: Error: Task timed out after 900.00 seconds/),
      vanished: 'ERROR the scan step left no result',
      'child-failed': expect.stringMatching(/^ERROR the scan step ended FAILED: States.Runtime/),
      '*': 'UNKNOWN region ap-south-2 is not enabled',
    });
    expect(JSON.stringify(item)).not.toContain('AKIAABCDEFGHIJKLMNOP');
    // Each failed target has its marker (what the stream turns into Target Failed).
    const markers = await world.store.targets({ cluster: ['crashing', 'vanished', 'child-failed'] }, { limit: 10 });
    expect(markers.items.map((t) => `${t.name}:${t.lastStatus}:${t.lastScanId}`).sort()).toEqual([
      `child-failed:ERROR:${run.scanId}`,
      `crashing:ERROR:${run.scanId}`,
      `vanished:ERROR:${run.scanId}`,
    ]);
  });

  it('inline map: outcomes come in the input; a retried summarize rewrites the same completed item', async () => {
    awsWorld([]);
    const run = await newRun();
    const scanned = await scanRegistryStep({ ...run, knownAccounts: [], item: registry }, world.deps());
    const input = {
      ...run,
      items: [registry, crashing],
      map: [scanned, caught(crashing, { errorType: 'HardlineRetryable', errorMessage: 'Rate exceeded' })],
    };
    const first = await summarizeRun(input, world.deps());
    const again = await summarizeRun(input, world.deps());
    expect(again).toEqual(first);
    const item = await getRun(world.store.ctx, run.scanId);
    expect(item!.targets).toHaveLength(2);
    expect(item!.targets.find((t) => t.name === 'crashing')).toMatchObject({
      status: 'ERROR',
      reason: expect.stringMatching(/HardlineRetryable: Rate exceeded/),
    });
  });

  it("the map itself failed: every discovered target is reported ERROR with the map's error, and the run still completes", async () => {
    const run = await newRun();
    const out = await summarizeRun(
      {
        ...run,
        items: [registry, crashing],
        mapError: { Error: 'States.ItemReaderFailed', Cause: 'Access denied reading s3://bucket/key' },
      },
      world.deps(),
    );
    expect(out.byTargetStatus.ERROR).toBe(2);
    const item = await getRun(world.store.ctx, run.scanId);
    expect(item!.status).toBe('COMPLETED');
    for (const t of item!.targets) expect(t.reason).toMatch(/the map over targets failed: States.ItemReaderFailed/);
  });

  it('a malformed map result is an input error, not a silently dropped target', async () => {
    const run = await newRun();
    await expect(
      summarizeRun({ ...run, items: [registry], map: [{ target: registry.target, status: 'GREAT' }] }, world.deps()),
    ).rejects.toThrow(/malformed map result/);
  });

  it('totals add counts and recompute the score from passed and failed', () => {
    const a = summarize(ResultSet.empty());
    a.byStatus.PASS = 3;
    a.bySeverity.high = 1;
    a.byStatus.FAIL = 1;
    const b = summarize(ResultSet.empty());
    b.byStatus.PASS = 1;
    b.bySeverity.low = 3;
    b.byStatus.FAIL = 4;
    b.exempted = 1;
    const total = mergeSummaries([a, b]);
    expect(total.byStatus).toMatchObject({ PASS: 4, FAIL: 5 });
    expect(total.bySeverity).toMatchObject({ high: 1, low: 3 });
    expect(total.exempted).toBe(1);
    expect(total.score).toBe(0.5);
    expect(mergeSummaries([]).score).toBeNull();
  });
});
