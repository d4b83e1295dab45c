import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createPipelineDeps, type PipelineDeps } from '../../shared/pipeline/deps.js';
import { discoverTargets } from '../../shared/pipeline/discover.js';
import { parseStepInput, stepErrors } from '../../shared/pipeline/middleware.js';
import { discoverStepInputSchema } from '../../shared/pipeline/rescan-input.js';
import { pipelineSettings } from '../../shared/pipeline/settings.js';
import type { DiscoverOutput } from '../../shared/pipeline/types.js';
import { sqsRescanQueue } from '../../shared/rescan/queue-sender.js';
import { redact } from '../../shared/redaction/redact.js';

/** Step 1 (state machine → Lambda): every target of the run (or a rescan's named ones), in S3 for the Distributed Map or inline. */
export function createDiscoverHandler(getDeps: () => PipelineDeps, logger: Logger) {
  return middy<unknown, DiscoverOutput, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(stepErrors(logger))
    .handler(async (event) => {
      const input = parseStepInput(discoverStepInputSchema, event);
      const out = await discoverTargets(input, getDeps());
      logger.info('targets discovered', {
        scanId: out.scanId,
        targets: out.targetCount,
        accounts: out.knownAccounts.length,
        ...(out.targeted
          ? { rescan: redact(input.request?.reason ?? ''), deleted: out.deletedTargets?.length ?? 0, settling: out.settlingTargets ?? 0 }
          : {}),
      });
      if (out.rejectedTargets || out.problems)
        logger.warn('rescan targets not scanned as asked', {
          scanId: out.scanId,
          outsideScope: out.rejectedTargets ?? [],
          problems: out.problems ?? [],
        });
      return out;
    });
}

const logger = new Logger({ serviceName: 'hardline-discover' });
let deps: PipelineDeps | undefined;
export const handler = createDiscoverHandler(
  () =>
    (deps ??= createPipelineDeps(pipelineSettings(), 'discover', {
      s3: (c) => new S3Client(c),
      organizations: (c) => new OrganizationsClient(c),
      rescanQueue: (c, url) => sqsRescanQueue(new SQSClient(c), url),
    })),
  logger,
);
