import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createPipelineDeps, type PipelineDeps } from '../../shared/pipeline/deps.js';
import { discoverTargets } from '../../shared/pipeline/discover.js';
import { parseStepInput, stepErrors } from '../../shared/pipeline/middleware.js';
import { pipelineSettings } from '../../shared/pipeline/settings.js';
import { discoverInputSchema, type DiscoverOutput } from '../../shared/pipeline/types.js';

/** Step 1 (state machine → Lambda): every target of the run, in S3 for the Distributed Map or inline. */
export function createDiscoverHandler(getDeps: () => PipelineDeps, logger: Logger) {
  return middy<unknown, DiscoverOutput, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(stepErrors(logger))
    .handler(async (event) => {
      const input = parseStepInput(discoverInputSchema, event);
      const out = await discoverTargets(input, getDeps());
      logger.info('targets discovered', { scanId: out.scanId, targets: out.targetCount, accounts: out.knownAccounts.length });
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
    })),
  logger,
);
