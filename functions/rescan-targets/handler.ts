import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { rescanDeps } from '../../shared/rescan/deps.js';
import { changeMessagesOf } from '../../shared/rescan/queue.js';
import { rescanChangedTargets, type RescanDeps } from '../../shared/rescan/rescan.js';

/** Change queue (CloudTrail API calls and Rescan Requested events, delayed by the debounce window) → one rescan per changed target. */
export function createRescanHandler(getDeps: () => RescanDeps, logger: Logger) {
  return middy<unknown, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const report = await rescanChangedTargets(changeMessagesOf(event), getDeps());
      logger.info('change batch', {
        started: report.started.length,
        covered: report.covered,
        ignored: report.ignored,
        failed: report.failedMessageIds.length,
      });
      return { batchItemFailures: report.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}

const logger = new Logger({ serviceName: 'hardline-rescan-targets' });
let deps: RescanDeps | undefined;
export const handler = createRescanHandler(() => (deps ??= rescanDeps((level, message, fields) => logger[level](message, fields))), logger);
