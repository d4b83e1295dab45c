import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { S3Client } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createPipelineDeps, type PipelineDeps } from '../../shared/pipeline/deps.js';
import { RUN_METRICS } from '../../shared/pipeline/metrics.js';
import { parseStepInput, stepErrors } from '../../shared/pipeline/middleware.js';
import { pipelineSettings } from '../../shared/pipeline/settings.js';
import { summarizeRun } from '../../shared/pipeline/summarize.js';
import { summarizeInputSchema, type RunSummary } from '../../shared/pipeline/types.js';

/** Last step: every target accounted for, the run completed (→ Scan Completed), run metrics for the alarms. */
export function createSummarizeHandler(getDeps: () => PipelineDeps, logger: Logger, metrics: Metrics) {
  return middy<unknown, RunSummary, Error, Context>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics))
    .use(stepErrors(logger))
    .handler(async (event) => {
      const run = await summarizeRun(parseStepInput(summarizeInputSchema, event), getDeps());
      metrics.addMetric(RUN_METRICS.targetsScanned, MetricUnit.Count, run.targets);
      metrics.addMetric(RUN_METRICS.targetsFailed, MetricUnit.Count, run.failedTargets);
      metrics.addMetric(RUN_METRICS.findingsOpened, MetricUnit.Count, run.changes.opened + run.changes.reopened);
      metrics.addMetric(RUN_METRICS.findingsResolved, MetricUnit.Count, run.changes.resolved);
      // A rescan's few clusters are not the fleet: coverage, and "a run succeeded", come from the scheduled runs only.
      if (!run.targeted) {
        metrics.addMetric(RUN_METRICS.clusterCoverage, MetricUnit.Percent, run.coverage.ratio * 100);
        metrics.addMetric(RUN_METRICS.clustersUnreadable, MetricUnit.Count, run.coverage.clusters - run.coverage.readable);
        metrics.addMetric(RUN_METRICS.fullRunsCompleted, MetricUnit.Count, 1);
      }
      logger.info('run completed', {
        scanId: run.scanId,
        targets: run.targets,
        byTargetStatus: run.byTargetStatus,
        changes: run.changes,
        coverage: run.coverage,
        deletedTargets: run.deletedTargets,
        ...(run.targeted ? { rescan: true, settling: run.settlingTargets } : {}),
      });
      return run;
    });
}

const logger = new Logger({ serviceName: RUN_METRICS.service });
const metrics = new Metrics({ namespace: RUN_METRICS.namespace, serviceName: RUN_METRICS.service });
let deps: PipelineDeps | undefined;
export const handler = createSummarizeHandler(
  () => (deps ??= createPipelineDeps(pipelineSettings(), 'summarize', { s3: (c) => new S3Client(c) })),
  logger,
  metrics,
);
