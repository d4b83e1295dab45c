import { RETRYABLE_STEP_ERROR } from './middleware.js';

/**
 * The Retry policy of every Lambda task of the scan state machine, as data: the CDK definition
 * renders exactly this list and the fleet simulation obeys exactly this list, so the two cannot
 * drift. Step Functions semantics: the first retrier whose errors match is used, each retrier
 * counts its own attempts, and a retrier that is used up sends the error to the Catch.
 */
export interface StepRetrier {
  errors: readonly string[];
  intervalSeconds: number;
  /** Retries (not counting the first attempt). */
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: 'FULL' | 'NONE';
}

/** What Step Functions reports when Lambda throttles the invocation (concurrency exhausted). */
export const LAMBDA_THROTTLED = 'Lambda.TooManyRequestsException';

/** Lambda service faults; the same list LambdaInvoke's retryOnServiceExceptions would add. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
] as const;

export const STEP_RETRIERS: readonly StepRetrier[] = [
  // A throttled invocation never ran: waiting is all it needs. 8 tries over up to ~5 minutes, spread by jitter so a Map of 20 does not retry in step.
  { errors: [LAMBDA_THROTTLED], intervalSeconds: 2, maxAttempts: 8, backoffRate: 2, maxDelaySeconds: 60, jitter: 'FULL' },
  { errors: LAMBDA_SERVICE_ERRORS, intervalSeconds: 2, maxAttempts: 6, backoffRate: 2, jitter: 'NONE' },
  // The step's own retryable failures (throttled AWS APIs, a lost conditional race, its own timeout).
  { errors: [RETRYABLE_STEP_ERROR], intervalSeconds: 5, maxAttempts: 3, backoffRate: 3, jitter: 'FULL' },
];

/**
 * Whether Step Functions retries after `error`, given the retries each retrier already made
 * (`used`, indexed like `retriers`, updated in place when it retries).
 */
export function retriesAfter(error: string, used: number[], retriers: readonly StepRetrier[] = STEP_RETRIERS): boolean {
  const i = retriers.findIndex((r) => r.errors.includes(error) || r.errors.includes('States.ALL'));
  if (i < 0) return false;
  const count = used[i] ?? 0;
  if (count >= retriers[i]!.maxAttempts) return false;
  used[i] = count + 1;
  return true;
}
