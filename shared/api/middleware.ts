import type middy from '@middy/core';
import { describeError, isHardlineError } from '../core/errors.js';
import { redact } from '../redaction/redact.js';
import { CallerRefusedError, errorResult, type ApiEvent, type ApiResult } from './http.js';

export type ApiLogger = (message: string, error: unknown) => void;

const STATUS: Partial<Record<string, number>> = { VALIDATION: 400, NOT_FOUND: 404, CONFLICT: 409 };

/** DynamoDB's throttling errors, as the SDK names them once its own retries are spent. */
const AWS_THROTTLES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** Seconds a throttled caller is asked to wait before asking again. */
const THROTTLED_RETRY_AFTER_SECONDS = 2;

function isThrottled(e: unknown): boolean {
  if (isHardlineError(e)) return e.code === 'THROTTLED';
  return e instanceof Error && AWS_THROTTLES.has(e.name);
}

/**
 * Maps the domain's errors to HTTP: VALIDATION → 400, NOT_FOUND → 404, CONFLICT → 409, a refused
 * caller → 403 (only that one: a 403 from DynamoDB stays an internal error), a store throttled
 * beyond its retries → 503 with Retry-After (a client may try again; a 500 would say it is broken),
 * always `{"error": "..."}`. Anything else is left to @middy/http-error-handler, which answers a
 * generic 500 without leaking the message; it is logged here (first line only — never a payload).
 */
export function apiErrors(log: ApiLogger = () => {}): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: (request) => {
      const e = request.error;
      if (isHardlineError(e)) {
        const status = e instanceof CallerRefusedError ? 403 : STATUS[e.code];
        if (status !== undefined) {
          request.response = errorResult(status, e.message);
          return;
        }
      }
      log(`api request failed: ${redact(describeError(e))}`, e);
      if (isThrottled(e)) {
        request.response = errorResult(503, 'the findings store is throttling requests; try again shortly', {
          'retry-after': String(THROTTLED_RETRY_AFTER_SECONDS),
        });
      }
    },
  };
}
