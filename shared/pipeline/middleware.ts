import type middy from '@middy/core';
import type * as z from 'zod';
import { isRetryableAwsError } from '../core/aws-errors.js';
import { describeError, InputError, isHardlineError } from '../core/errors.js';
import { formatZodIssues } from '../core/zod-issues.js';
import { redact } from '../redaction/redact.js';

/**
 * The error name Step Functions retries on (ScanPipeline: `addRetry({ errors: [RETRYABLE_STEP_ERROR] })`).
 * Lambda reports `error.name` as the errorType the state machine matches.
 */
export const RETRYABLE_STEP_ERROR = 'HardlineRetryable';

/** Whether trying the same step again could succeed: throttling, 5xx, a lost conditional race, a timeout, a dropped connection. */
export function isRetryable(e: unknown): boolean {
  if (isHardlineError(e)) return e.retryable;
  // The SDK already retried these within the call; the step retry waits longer (backoff in the state machine).
  return isRetryableAwsError(e);
}

export interface StepLogger {
  error(message: string, fields: Record<string, unknown>): void;
}

/** Parses a step's input (the state machine is a boundary): a bad payload is an InputError naming the fields. */
export function parseStepInput<T extends z.ZodType>(schema: T, event: unknown): z.infer<T> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    throw new InputError(`invalid step input: ${formatZodIssues(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * Shapes what a failing step reports: the message redacted (it becomes a target's reason and an
 * event), and retryable failures renamed so the state machine retries exactly those.
 */
export function stepErrors<TEvent, TResult>(log?: StepLogger): middy.MiddlewareObj<TEvent, TResult> {
  return {
    onError: (request) => {
      const e = request.error;
      const message = redact(describeError(e));
      const retryable = isRetryable(e);
      log?.error('step failed', { errorName: e?.name, retryable, message });
      const out = new Error(message, { cause: e });
      out.name = retryable ? RETRYABLE_STEP_ERROR : (e?.name ?? 'Error');
      // Step Functions gets name and message only; the original stack stays in the cause (and the log).
      out.stack = `${out.name}: ${message}`;
      request.error = out;
    },
  };
}
