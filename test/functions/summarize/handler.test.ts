import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RUN_METRICS } from '../../../shared/pipeline/metrics.js';
import type { RunSummary } from '../../../shared/pipeline/types.js';
import { getRun, openRun } from '../../../shared/store/run.js';
import { BUCKET, fakeS3, MEMBER_ACCOUNT, pipelineEnv, resetMocks, startTestPipeline, type TestPipeline } from '../../pipeline/support.js';

type Handler = (event: unknown, context: Context) => Promise<RunSummary>;
let world: TestPipeline;
let handler: Handler;
const emitted: string[] = [];

beforeAll(async () => {
  world = await startTestPipeline();
  // Metrics on: the embedded metric format line is what the TargetsFailed alarm reads.
  for (const [k, v] of Object.entries(pipelineEnv(world.endpoint, { POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_DEV: 'false' })))
    vi.stubEnv(k, v);
  // Powertools writes through its own Console on stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    emitted.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.startsWith('{')),
    );
    return true;
  });
  handler = (await import('../../../functions/summarize/handler.js')).handler as unknown as Handler;
});
afterAll(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await world.dispose();
});
beforeEach(() => {
  resetMocks();
  emitted.length = 0;
});

const context = {
  functionName: 'hardline-summarize',
  awsRequestId: 'req-4',
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;
const cluster = { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'prod' };

describe('summarize handler', () => {
  it('takes the map state output (ResultWriterDetails), completes the run and emits the failed-targets metric', async () => {
    const run = { scanId: 'run-99', startedAt: '2026-11-24T03:00:00.000Z' };
    await openRun(world.store.ctx, { ...run, framework: 'all' });
    fakeS3({
      [`${BUCKET}/scans/run-99/targets.json`]: [{ target: cluster }],
      [`${BUCKET}/results/abc/manifest.json`]: {
        ResultFiles: { SUCCEEDED: [], FAILED: [{ Key: 'results/abc/FAILED_0.json' }], PENDING: [] },
      },
      [`${BUCKET}/results/abc/FAILED_0.json`]: [
        {
          Status: 'FAILED',
          Error: 'States.Timeout',
          Cause: 'child timed out',
          Input: JSON.stringify({ ...run, item: { target: cluster } }),
        },
      ],
    });
    // Step Functions: discover's output plus { "map": <Distributed Map output> }.
    const event = {
      ...run,
      targetCount: 1,
      knownAccounts: [MEMBER_ACCOUNT],
      targetsKey: 'scans/run-99/targets.json',
      map: {
        MapRunArn: 'arn:aws:states:eu-west-1:1:mapRun:sm/m:1',
        ResultWriterDetails: { Bucket: BUCKET, Key: 'results/abc/manifest.json' },
      },
    };
    const out = await handler(event, context);

    expect(out).toMatchObject({ scanId: 'run-99', status: 'COMPLETED', targets: 1, failedTargets: 1 });
    expect(await getRun(world.store.ctx, 'run-99')).toMatchObject({
      status: 'COMPLETED',
      targets: [expect.objectContaining({ name: 'prod', status: 'ERROR' })],
    });
    const emf = emitted.map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => '_aws' in o);
    expect(emf).toMatchObject({ service: RUN_METRICS.service, [RUN_METRICS.targetsFailed]: 1, [RUN_METRICS.targetsScanned]: 1 });
    // The one cluster was not read: coverage 0%, one unreadable (the coverage alarm reads ClusterCoverage).
    expect(emf).toMatchObject({
      [RUN_METRICS.clusterCoverage]: 0,
      [RUN_METRICS.clustersUnreadable]: 1,
      [RUN_METRICS.fullRunsCompleted]: 1,
    });
    expect(JSON.stringify(emf)).toContain(`{"Name":"${RUN_METRICS.clusterCoverage}","Unit":"Percent"}`);
    expect(JSON.stringify(emf)).toContain(`"Namespace":"${RUN_METRICS.namespace}"`);
  });

  it('a rescan of named targets emits its target counts but no coverage and no full run (the coverage and missed-run alarms judge scheduled runs)', async () => {
    const run = { scanId: 'rescan-1', startedAt: '2026-11-24T05:00:00.000Z' };
    await openRun(world.store.ctx, { ...run, framework: 'all' });
    const outcome = {
      target: cluster,
      status: 'UNKNOWN',
      reason: 'not read',
      resources: 0,
      gaps: 0,
      recorded: false,
      kubernetesAccess: { state: 'unauthorized' },
    };
    const out = await handler(
      {
        ...run,
        targetCount: 1,
        knownAccounts: [MEMBER_ACCOUNT],
        items: [{ target: cluster, rescan: true }],
        map: [outcome],
        targeted: true,
        settlingTargets: 2,
      },
      context,
    );
    expect(out).toMatchObject({ targeted: true, settlingTargets: 2, targets: 1 });
    const emf = emitted.map((l) => JSON.parse(l) as Record<string, unknown>).find((o) => '_aws' in o)!;
    expect(emf).toMatchObject({ [RUN_METRICS.targetsScanned]: 1 });
    expect(Object.keys(emf)).not.toContain(RUN_METRICS.clusterCoverage);
    expect(Object.keys(emf)).not.toContain(RUN_METRICS.fullRunsCompleted);
  });

  it('an input without scanId is refused', async () => {
    await expect(handler({ startedAt: '2026-11-24T03:00:00.000Z' }, context)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/scanId/),
    });
  });
});
