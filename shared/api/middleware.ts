import type middy from '@middy/core';
import { describeError, isHardlineError } from '../errors.js';
import { redact } from '../findings/redact.js';
import { errorResult, type ApiEvent, type ApiResult } from './http.js';

export type ApiLogger = (message: string, error: unknown) => void;

/**
 * Maps the domain's errors to HTTP: VALIDATION → 400, NOT_FOUND → 404, CONFLICT → 409, always
 * `{"error": "..."}`. Anything else is left to @middy/http-error-handler, which answers a generic
 * 500 without leaking the message; it is logged here (first line only — never a payload).
 */
export function apiErrors(log: ApiLogger = () => {}): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: (request) => {
      const e = request.error;
      if (isHardlineError(e)) {
        const status = e.code === 'VALIDATION' ? 400 : e.code === 'NOT_FOUND' ? 404 : e.code === 'CONFLICT' ? 409 : undefined;
        if (status !== undefined) {
          request.response = errorResult(status, e.message);
          return;
        }
      }
      log(`api request failed: ${redact(describeError(e))}`, e);
    },
  };
}
