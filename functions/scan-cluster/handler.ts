import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { liveKubernetesCollector } from '../../shared/collectors/aws/kubernetes-part.js';
import { createPipelineDeps, type PipelineDeps } from '../../shared/pipeline/deps.js';
import { parseStepInput, stepErrors } from '../../shared/pipeline/middleware.js';
import { scanClusterStep } from '../../shared/pipeline/scan-target.js';
import { pipelineSettings } from '../../shared/pipeline/settings.js';
import { scanStepInputSchema, type TargetOutcome } from '../../shared/pipeline/types.js';

/** One map item (an EKS cluster) → its outcome; the findings are saved by the step itself. */
export function createScanClusterHandler(getDeps: () => PipelineDeps, logger: Logger) {
  return middy<unknown, TargetOutcome, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(stepErrors(logger))
    .handler(async (event) => {
      const out = await scanClusterStep(parseStepInput(scanStepInputSchema, event), getDeps());
      logger.info('cluster scanned', {
        target: out.target,
        status: out.status,
        resources: out.resources,
        gaps: out.gaps,
        changes: out.changes,
      });
      return out;
    });
}

const logger = new Logger({ serviceName: 'hardline-scan-cluster' });
let deps: PipelineDeps | undefined;
export const handler = createScanClusterHandler(
  () => (deps ??= createPipelineDeps(pipelineSettings(), 'scan-cluster', { kubernetes: liveKubernetesCollector })),
  logger,
);
