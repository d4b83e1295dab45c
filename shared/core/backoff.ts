/** Retry pacing for every retry loop: the event publisher, the Security Hub import, the store's batch writes, the Kubernetes transport. */
export interface BackoffOptions {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** The cap of the first retry's delay; it doubles with every retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected so tests run without waiting. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_BACKOFF: BackoffOptions = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  sleep,
  random: Math.random,
};

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * the delay before retry n (1, 2, …) is uniform in [0, min(max, base·2^(n-1))), so retries of many
 * Lambdas hitting the same throttled API spread out instead of arriving together.
 */
export function backoffDelay(retry: number, opts: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs'> & { random?: () => number }): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}
