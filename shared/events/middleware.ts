import type middy from '@middy/core';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import type { PublishOutcome } from './publisher.js';

export interface OutcomeLogger {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/**
 * Turns the publisher's outcome into exactly the partial batch response Lambda reads
 * (`{ batchItemFailures }`) and logs the counts — never event contents — once per invocation.
 */
export function partialBatchResponse<TEvent>(logger: OutcomeLogger): middy.MiddlewareObj<TEvent, DynamoDBBatchResponse> {
  return {
    after: (request) => {
      const outcome = request.response as PublishOutcome | DynamoDBBatchResponse | null;
      if (!outcome) return;
      if ('published' in outcome) {
        const counts = {
          published: outcome.published,
          withoutEvent: outcome.withoutEvent,
          shrunk: outcome.shrunk,
          putEventsCalls: outcome.putEventsCalls,
          failedRecords: outcome.batchItemFailures.length,
          failures: outcome.failed.slice(0, 20),
        };
        if (outcome.batchItemFailures.length > 0) logger.warn('stream batch partially failed', counts);
        else logger.info('stream batch published', counts);
      }
      request.response = { batchItemFailures: outcome.batchItemFailures };
    },
  };
}
