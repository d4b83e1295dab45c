import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TargetOutcome } from '../../../shared/pipeline/types.js';
import { awsWorld, MEMBER_ACCOUNT, mocks, pipelineEnv, resetMocks, startTestPipeline, type TestPipeline } from '../../pipeline/support.js';

type Handler = (event: unknown, context: Context) => Promise<TargetOutcome>;
let world: TestPipeline;
let handler: Handler;

beforeAll(async () => {
  world = await startTestPipeline();
  for (const [k, v] of Object.entries(pipelineEnv(world.endpoint))) vi.stubEnv(k, v);
  handler = (await import('../../../functions/scan-registry/handler.js')).handler as unknown as Handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await world.dispose();
});
beforeEach(() => resetMocks());

const context = {
  functionName: 'hardline-scan-registry',
  awsRequestId: 'req-3',
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;
const registry = {
  kind: 'registry',
  accountId: MEMBER_ACCOUNT,
  region: 'eu-west-1',
  name: `${MEMBER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
};
const event = { scanId: 'run-7', startedAt: '2026-11-24T03:00:00.000Z', knownAccounts: [MEMBER_ACCOUNT], item: { target: registry } };

describe('scan-registry handler', () => {
  it('scans the registry through the member role and saves its findings', async () => {
    awsWorld([]);
    const out = await handler(event, context);
    expect(out).toMatchObject({ status: 'OK', recorded: true, target: registry });
    expect(out.summary!.byStatus.FAIL).toBeGreaterThan(0);
    expect(mocks.ecr).toHaveReceivedCommand(DescribeRepositoriesCommand);
    const scanOnPush = await world.store.findings({ control: ['ecr.scan-on-push'] }, { limit: 5 });
    expect(scanOnPush.items.map((f) => f.resource.name)).toEqual(['shop/web']);
  });

  it('a store that cannot be reached surfaces as the retryable step error (the map retries it)', async () => {
    awsWorld([]);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:9');
    vi.resetModules();
    const fresh = (await import('../../../functions/scan-registry/handler.js')).handler as unknown as Handler;
    try {
      await expect(fresh({ ...event, scanId: 'run-8' }, context)).rejects.toMatchObject({ name: 'HardlineRetryable' });
    } finally {
      vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', world.endpoint);
    }
  });
});
