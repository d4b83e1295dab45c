import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPublishEventsHandler } from '../../../functions/publish-events/handler.js';
import { findingChange, findingItem, scanItem, streamRecord } from '../../events/stream-records.js';

const ebMock = mockClient(EventBridgeClient);
type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<unknown>;
const client = new EventBridgeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });
const handlerWith = (env: NodeJS.ProcessEnv): Handler => createPublishEventsHandler(() => client, logger, { env }) as unknown as Handler;
const handler = handlerWith({ EVENT_BUS_NAME: 'hardline-findings' });

beforeEach(() => ebMock.reset());

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
    await expect(handlerWith({ EVENT_BUS_NAME: '' })({ Records: [findingChange(undefined, 'OPEN')] }, context)).rejects.toThrow(
      /EVENT_BUS_NAME/,
    );
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});
