import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { CONTROL_FACTS } from '../../shared/controls/facts.js';
import { ACCOUNT_ID } from '../../shared/core/aws-ids.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../../shared/core/backoff.js';
import { ConfigError } from '../../shared/core/errors.js';
import { importFindingEvents } from '../../shared/securityhub/finding-events.js';

/** Finding events (queued from the hardline bus) → ASFF in this account's Security Hub; unimported ones come back to the queue. */
export function createSecurityHubImportHandler(
  getClient: () => SecurityHubClient,
  logger: Logger,
  opts: { env?: NodeJS.ProcessEnv; backoff?: BackoffOptions } = {},
) {
  const env = opts.env ?? process.env;
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const settings = z.object({ HARDLINE_ACCOUNT_ID: z.string().regex(ACCOUNT_ID), AWS_REGION: z.string().min(1) }).safeParse(env);
      // Failing the invocation returns every message to the queue (and, after its retries, to the alarmed DLQ).
      if (!settings.success) throw new ConfigError('HARDLINE_ACCOUNT_ID and AWS_REGION must be set');
      const hub = { account: settings.data.HARDLINE_ACCOUNT_ID, region: settings.data.AWS_REGION };
      const out = await importFindingEvents(
        event.Records.map((r) => ({ messageId: r.messageId, body: r.body })),
        { client: getClient(), hub, controls: CONTROL_FACTS, backoff: opts.backoff ?? DEFAULT_BACKOFF },
      );
      const counts = {
        messages: event.Records.length,
        imported: out.imported,
        workflowUpdates: out.workflowUpdates,
        failed: out.failedMessageIds.length,
        failures: out.failures.slice(0, 20),
      };
      if (out.failedMessageIds.length > 0) logger.warn('Security Hub import partially failed', counts);
      else logger.info('Security Hub import', counts);
      return { batchItemFailures: out.failedMessageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}

const logger = new Logger({ serviceName: 'hardline-securityhub-import' });
let client: SecurityHubClient | undefined;
export const handler = createSecurityHubImportHandler(() => (client ??= new SecurityHubClient({})), logger);
