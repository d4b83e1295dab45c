import type { SQSBatchResponse } from 'aws-lambda';
import * as z from 'zod';
import { describeError, InputError } from '../core/errors.js';
import type { OnboardingResult } from './onboard.js';
import { onboardNewCluster, sweepClusters, type OnboardingDeps, type SweepReport } from './sweep.js';

/**
 * The onboarding function's two inputs: the scheduled sweep (`{"sweep": true}` from EventBridge
 * Scheduler) and a batch of forwarded CreateCluster events from the queue. A cluster that is not
 * ready yet, or a transient failure, goes back to the queue (its visibility timeout is the delay
 * before the next try); after the queue's receive limit it lands in the dead-letter queue.
 */
const sweepSchema = z.object({ sweep: z.literal(true) });
const sqsSchema = z.object({ Records: z.array(z.object({ messageId: z.string().min(1), body: z.string() })).min(1) });

export type OnboardingLog = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

export async function runOnboarding(event: unknown, deps: OnboardingDeps, log: OnboardingLog): Promise<SweepReport | SQSBatchResponse> {
  if (sweepSchema.safeParse(event).success) {
    const report = await sweepClusters(deps);
    log(report.attention.length > 0 ? 'warn' : 'info', 'onboarding sweep', { ...report });
    return report;
  }
  const batch = sqsSchema.safeParse(event);
  if (!batch.success) throw new InputError('onboarding input is neither {"sweep": true} nor an SQS batch of CreateCluster events');
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of batch.data.Records) {
    let result: OnboardingResult;
    try {
      result = await onboardNewCluster(JSON.parse(record.body) as unknown, deps);
    } catch (e) {
      // A body that is not a CreateCluster event never will be: after the receive limit it waits in the DLQ (alarmed).
      log('error', 'onboarding event rejected', { messageId: record.messageId, error: describeError(e) });
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    log(result.outcome === 'failed' || result.outcome === 'config-map-only' ? 'warn' : 'info', 'cluster onboarding', { ...result });
    if (result.retryable) failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
}
