import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DiscoverOutput, DiscoveredTarget } from '../../../shared/pipeline/types.js';
import { getRun } from '../../../shared/store/run.js';
import {
  awsWorld,
  BUCKET,
  fakeS3,
  MEMBER_ACCOUNT,
  mocks,
  pipelineEnv,
  resetMocks,
  startTestPipeline,
  type TestPipeline,
} from '../../pipeline/support.js';

type Handler = (event: unknown, context: Context) => Promise<DiscoverOutput>;
let world: TestPipeline;
let handler: Handler;

beforeAll(async () => {
  world = await startTestPipeline();
  for (const [k, v] of Object.entries(pipelineEnv(world.endpoint))) vi.stubEnv(k, v);
  handler = (await import('../../../functions/discover/handler.js')).handler as unknown as Handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await world.dispose();
});
beforeEach(() => resetMocks());

const context = { functionName: 'hardline-discover', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;

describe('discover handler', () => {
  it('takes the state machine payload (execution name and start time) and returns where the targets are', async () => {
    awsWorld([{ name: 'prod' }]);
    const s3 = fakeS3();
    // Step Functions: { "scanId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime" }
    const out = await handler({ scanId: '3f1c9a5e-0b7d-4c1e-9f3a-2a8e6d1b7c40', startedAt: '2026-11-24T03:00:00.123Z' }, context);
    expect(out).toEqual({
      scanId: '3f1c9a5e-0b7d-4c1e-9f3a-2a8e6d1b7c40',
      startedAt: '2026-11-24T03:00:00.123Z',
      targetCount: 2,
      knownAccounts: [MEMBER_ACCOUNT],
      targetsKey: 'scans/3f1c9a5e-0b7d-4c1e-9f3a-2a8e6d1b7c40/targets.json',
    });
    const items = JSON.parse(s3.get(`${BUCKET}/${out.targetsKey}`)!) as DiscoveredTarget[];
    expect(items.map((i) => i.target.kind).sort()).toEqual(['cluster', 'registry']);
    expect(mocks.sts).toHaveReceivedCommandWith(AssumeRoleCommand, { ExternalId: 'hardline-test-external-id' });
    expect(await getRun(world.store.ctx, out.scanId)).toMatchObject({ status: 'RUNNING' });
  });

  it('a malformed payload fails with the fields named, before anything is called', async () => {
    await expect(handler({ scanId: 'has spaces', startedAt: 'yesterday' }, context)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/invalid step input: scanId: .*startedAt/),
    });
    expect(mocks.sts.calls()).toHaveLength(0);
  });
});
