import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { ConfigError } from '../../shared/core/errors.js';
import { partialBatchResponse } from '../../shared/events/middleware.js';
import { publishStreamRecords } from '../../shared/events/publisher.js';

/** DynamoDB stream (NEW_AND_OLD_IMAGES, ReportBatchItemFailures) → hardline events on the custom bus. */
const logger = new Logger({ serviceName: 'hardline-publish-events' });
const eventBridge = new EventBridgeClient({});
const environment = z.object({ EVENT_BUS_NAME: z.string().min(1) });

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(partialBatchResponse(logger))
  .handler(async (event) => {
    const env = environment.safeParse(process.env);
    // Failing the invocation (not the records) makes Lambda retry the batch once configured.
    if (!env.success) throw new ConfigError('EVENT_BUS_NAME is not set');
    return publishStreamRecords(event.Records, {
      client: eventBridge,
      eventBusName: env.data.EVENT_BUS_NAME,
      log: (level, message, fields) => logger[level](message, fields),
    });
  });
