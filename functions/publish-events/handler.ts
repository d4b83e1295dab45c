import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { ConfigError } from '../../shared/core/errors.js';
import { partialBatchResponse } from '../../shared/events/middleware.js';
import { publishStreamRecords } from '../../shared/events/publisher.js';

const environment = z.object({ EVENT_BUS_NAME: z.string().min(1) });

/** DynamoDB stream (NEW_AND_OLD_IMAGES, ReportBatchItemFailures) → hardline events on the custom bus. */
export function createPublishEventsHandler(getClient: () => EventBridgeClient, logger: Logger, opts: { env?: NodeJS.ProcessEnv } = {}) {
  const env = opts.env ?? process.env;
  return middy<DynamoDBStreamEvent, DynamoDBBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(partialBatchResponse(logger))
    .handler(async (event) => {
      const settings = environment.safeParse(env);
      // Failing the invocation (not the records) makes Lambda retry the batch once configured.
      if (!settings.success) throw new ConfigError('EVENT_BUS_NAME is not set');
      return publishStreamRecords(event.Records, {
        client: getClient(),
        eventBusName: settings.data.EVENT_BUS_NAME,
        log: (level, message, fields) => logger[level](message, fields),
      });
    });
}

const logger = new Logger({ serviceName: 'hardline-publish-events' });
let client: EventBridgeClient | undefined;
export const handler = createPublishEventsHandler(() => (client ??= new EventBridgeClient({})), logger);
