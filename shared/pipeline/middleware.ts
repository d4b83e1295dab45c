import type middy from '@middy/core';
import { z } from 'zod';
import { describeError, InputError, isHardlineError } from '../core/errors.js';
import { redact } from '../findings/redact.js';

/**
 * The error name Step Functions retries on (ScanPipeline: `addRetry({ errors: [RETRYABLE_STEP_ERROR] })`).
 * Lambda reports `error.name` as the errorType the state machine matches.
 */
export const RETRYABLE_STEP_ERROR = 'HardlineRetryable';

const RETRYABLE_AWS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/** Whether trying the same step again could succeed: throttling, 5xx, a lost conditional race, a timeout, a dropped connection. */
export function isRetryable(e: unknown): boolean {
  if (isHardlineError(e)) return e.retryable;
  if (!e || typeof e !== 'object') return false;
  const o = e as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (o.$retryable) return true;
  // The SDK already retried these within the call; the step retry waits longer (backoff in the state machine).
  if (typeof o.code === 'string' && NETWORK_CODES.has(o.code)) return true;
  if (typeof o.name === 'string' && RETRYABLE_AWS.has(o.name)) return true;
  const status = o.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

export interface StepLogger {
  error(message: string, fields: Record<string, unknown>): void;
}

/** Parses a step's input (the state machine is a boundary): a bad payload is an InputError naming the fields. */
export function parseStepInput<T extends z.ZodType>(schema: T, event: unknown): z.infer<T> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) {
    throw new InputError(`invalid step input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
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
