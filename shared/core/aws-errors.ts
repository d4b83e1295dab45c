/**
 * The one place that knows AWS error names. Names differ by protocol: JSON services say
 * AccessDeniedException, query services (STS, EC2) AccessDenied / UnauthorizedOperation; an opt-in
 * region that is not enabled rejects the token. Collectors turn a kind into a gap, the pipeline
 * into a step retry, the publishers into "retry or give up".
 */
export type AwsErrorKind =
  | 'denied'
  | 'unauthenticated'
  | 'throttled'
  | 'region-not-enabled'
  | 'timeout'
  | 'network'
  | 'not-found'
  | 'invalid'
  | 'server'
  | 'conflict'
  | 'other';

const NAMES: Record<Exclude<AwsErrorKind, 'network' | 'other'>, readonly string[]> = {
  denied: [
    'AccessDeniedException',
    'AccessDenied',
    'UnauthorizedOperation',
    'AuthorizationError',
    'AuthFailure',
    'ForbiddenException',
    'InvalidAccessException',
    'NotAuthorizedForSourceException',
  ],
  unauthenticated: [
    'UnrecognizedClientException',
    'InvalidClientTokenId',
    'ExpiredToken',
    'ExpiredTokenException',
    'InvalidSignatureException',
    'SignatureDoesNotMatch',
    'CredentialsProviderError',
  ],
  throttled: [
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ProvisionedThroughputExceededException',
    'SlowDown',
  ],
  'region-not-enabled': ['OptInRequired', 'RegionDisabledException', 'InvalidRegion'],
  timeout: ['TimeoutError', 'RequestTimeout', 'AbortError'],
  'not-found': ['ResourceNotFoundException', 'NotFoundException'],
  invalid: ['ValidationException', 'InvalidInputException', 'InvalidInput', 'InvalidArgument', 'MalformedDetail'],
  server: ['InternalServerError', 'InternalFailure', 'ServiceUnavailable'],
  conflict: ['TransactionConflictException'],
};

const KIND_OF_NAME = new Map<string, AwsErrorKind>(
  Object.entries(NAMES).flatMap(([kind, names]) => names.map((n) => [n, kind as AwsErrorKind])),
);

/** Socket-level failures (on the error or its cause): the endpoint could not be reached this time. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

/** The AWS error name of a thrown value (SDK errors carry it as `name`; some older shapes as `Code`/`code`). */
export function awsErrorName(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
    if (typeof o.Code === 'string') return o.Code;
    if (typeof o.code === 'string') return o.code;
  }
  return 'Error';
}

export function isAwsError(e: unknown, ...names: string[]): boolean {
  return names.includes(awsErrorName(e));
}

function networkCode(e: unknown): string | undefined {
  const o = e && typeof e === 'object' ? (e as { cause?: unknown; code?: unknown }) : undefined;
  if (typeof o?.code === 'string' && NETWORK_CODES.has(o.code)) return o.code;
  const inner = o?.cause as { code?: unknown } | undefined;
  return typeof inner?.code === 'string' && NETWORK_CODES.has(inner.code) ? inner.code : undefined;
}

/** What kind of failure a thrown value (or a bare error code, as batch APIs return per entry) is. */
export function awsErrorKind(e: unknown): AwsErrorKind {
  const kind = KIND_OF_NAME.get(typeof e === 'string' ? e : awsErrorName(e));
  if (kind) return kind;
  return typeof e !== 'string' && networkCode(e) ? 'network' : 'other';
}

const PERMANENT: ReadonlySet<AwsErrorKind> = new Set(['denied', 'unauthenticated', 'not-found', 'invalid']);

/** Whether the same request will fail the same way: do not retry (an error, or a per-entry error code). */
export function isPermanentAwsError(e: unknown): boolean {
  return e !== undefined && PERMANENT.has(awsErrorKind(e));
}

const RETRYABLE: ReadonlySet<AwsErrorKind> = new Set(['throttled', 'timeout', 'network', 'server', 'conflict']);

/** Whether trying again later could succeed: throttling, 5xx, a lost conditional race, a timeout, a dropped connection. */
export function isRetryableAwsError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const o = e as { $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (o.$retryable) return true;
  if (RETRYABLE.has(awsErrorKind(e))) return true;
  const status = o.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}
