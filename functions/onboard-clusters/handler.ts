import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { onboardingDeps } from '../../shared/onboarding/deps.js';
import { runOnboarding } from '../../shared/onboarding/input.js';
import type { OnboardingDeps, SweepReport } from '../../shared/onboarding/sweep.js';

/** Scheduled sweep or queued CreateCluster events → access entries for hardline's read role (opted-in accounts only). */
export function createOnboardHandler(getDeps: () => OnboardingDeps, logger: Logger) {
  return middy<unknown, SweepReport | SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => runOnboarding(event, getDeps(), (level, message, fields) => logger[level](message, fields)));
}

const logger = new Logger({ serviceName: 'hardline-onboard-clusters' });
let deps: OnboardingDeps | undefined;
export const handler = createOnboardHandler(() => (deps ??= onboardingDeps()), logger);
