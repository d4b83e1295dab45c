/** Retry pacing shared by the event publisher and the Security Hub import. */
export interface BackoffOptions {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests run without waiting. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * the delay before retry n is uniform in [0, min(max, base·2^(n-1))), so retries of many Lambdas
 * hitting the same throttled bus spread out instead of arriving together.
 */
export function backoffDelay(retry: number, opts: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(opts.random() * ceiling);
}

/** AWS error codes after which the same request will fail the same way: do not retry. */
const PERMANENT = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'NotAuthorizedForSourceException',
  'MalformedDetail',
  'InvalidArgument',
  'ValidationException',
  'InvalidInputException',
  'InvalidAccessException',
  'ResourceNotFoundException',
  'UnrecognizedClientException',
]);

export function isPermanentErrorCode(code: string | undefined): boolean {
  return code !== undefined && PERMANENT.has(code);
}

/** The AWS error code of a thrown SDK error (its `name`), for logs and the permanence check. */
export function errorCodeOf(e: unknown): string {
  if (e instanceof Error) return e.name || 'Error';
  return 'Error';
}
