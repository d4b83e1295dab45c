import { describe, expect, it } from 'vitest';
import { awsErrorKind, awsErrorName, isAwsError, isPermanentAwsError, isRetryableAwsError } from '../../shared/core/aws-errors.js';

const err = (name: string, extra: object = {}) => Object.assign(new Error('boom'), { name }, extra);

describe('AWS error classification', () => {
  it.each([
    ['AccessDeniedException', 'denied'],
    ['AccessDenied', 'denied'],
    ['UnauthorizedOperation', 'denied'],
    ['ExpiredTokenException', 'unauthenticated'],
    ['ThrottlingException', 'throttled'],
    ['SlowDown', 'throttled'],
    ['OptInRequired', 'region-not-enabled'],
    ['TimeoutError', 'timeout'],
    ['ResourceNotFoundException', 'not-found'],
    ['ValidationException', 'invalid'],
    ['ServiceUnavailable', 'server'],
    ['TransactionConflictException', 'conflict'],
    ['SomethingElse', 'other'],
  ])('%s is %s', (name, kind) => {
    expect(awsErrorKind(err(name))).toBe(kind);
    // Batch APIs return bare codes per entry: the same table applies.
    expect(awsErrorKind(name)).toBe(kind);
  });

  it('reads the name from `Code`/`code` when `name` says nothing, and a socket code on the error or its cause', () => {
    expect(awsErrorName({ Code: 'AccessDenied' })).toBe('AccessDenied');
    expect(awsErrorName(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(awsErrorName('not an error')).toBe('Error');
    expect(isAwsError(err('Throttling'), 'Throttling', 'SlowDown')).toBe(true);
    expect(awsErrorKind(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }))).toBe('network');
  });

  it('a denial, bad credentials, a bad request or a missing resource is permanent; throttling and 5xx are not', () => {
    for (const code of [
      'AccessDeniedException',
      'InvalidAccessException',
      'InvalidInput',
      'ValidationException',
      'UnrecognizedClientException',
      'ResourceNotFoundException',
    ]) {
      expect(isPermanentAwsError(code), code).toBe(true);
    }
    for (const code of ['ThrottlingException', 'InternalFailure', 'FindingNotFound', undefined])
      expect(isPermanentAwsError(code), String(code)).toBe(false);
  });

  it('throttling, timeouts, dropped connections, conflicts, 5xx and SDK-retryable errors are retryable; denials and bad input are not', () => {
    expect(isRetryableAwsError(err('ProvisionedThroughputExceededException'))).toBe(true);
    expect(isRetryableAwsError(err('TransactionConflictException'))).toBe(true);
    expect(isRetryableAwsError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableAwsError(err('Whatever', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryableAwsError(err('Whatever', { $retryable: { throttling: false } }))).toBe(true);
    expect(isRetryableAwsError(err('AccessDeniedException', { $metadata: { httpStatusCode: 403 } }))).toBe(false);
    expect(isRetryableAwsError(err('ValidationException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isRetryableAwsError('a string')).toBe(false);
  });
});
