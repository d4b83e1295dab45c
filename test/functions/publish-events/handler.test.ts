import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { findingChange, findingItem, scanItem, streamRecord } from '../../events/stream-records.js';

const ebMock = mockClient(EventBridgeClient);
type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  handler = (await import('../../../functions/publish-events/handler.js')).handler as Handler;
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => {
  ebMock.reset();
  vi.stubEnv('EVENT_BUS_NAME', 'hardline-findings');
});

const context = { functionName: 'publish-events', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

describe('publish-events handler', () => {
  it('returns exactly the partial batch response: the sequence numbers of what could not be published', async () => {
    ebMock.on(PutEventsCommand).callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((e) => (e.DetailType === 'Scan Completed' ? { ErrorCode: 'MalformedDetail' } : { EventId: 'ok' })),
    }));
    const scan = streamRecord(scanItem(), scanItem({ status: 'RUNNING' }));
    const steady = findingItem({ name: 'steady' });
    const records = [findingChange(undefined, 'OPEN'), scan, streamRecord({ ...steady, lastSeen: '2026-12-02T00:00:00.000Z' }, steady)];
    const response = await handler({ Records: records }, context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: scan.dynamodb!.SequenceNumber }] });
    expect(ebMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: expect.arrayContaining([expect.objectContaining({ EventBusName: 'hardline-findings', DetailType: 'Finding Opened' })]),
    });
  });

  it('an empty batch succeeds without calling EventBridge', async () => {
    expect(await handler({ Records: [] }, context)).toEqual({ batchItemFailures: [] });
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  it('without EVENT_BUS_NAME the invocation fails (the batch is retried), nothing is sent', async () => {
    vi.stubEnv('EVENT_BUS_NAME', '');
    await expect(handler({ Records: [findingChange(undefined, 'OPEN')] }, context)).rejects.toThrow(/EVENT_BUS_NAME/);
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});
