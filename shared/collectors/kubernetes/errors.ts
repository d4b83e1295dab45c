import { HardlineError, type ErrorCode } from '../../core/errors.js';
import type { GapReason } from '../../inventory/types.js';

const CODE_OF: Record<GapReason, ErrorCode> = {
  forbidden: 'FORBIDDEN',
  unauthorized: 'UNAUTHORIZED',
  'not-found': 'NOT_FOUND',
  timeout: 'TIMEOUT',
  unreachable: 'UNREACHABLE',
  'private-no-route': 'UNREACHABLE',
  throttled: 'THROTTLED',
  error: 'INTERNAL',
};

/** A request to the API server that failed (after retries), with the gap reason it maps to. */
export class KubeRequestError extends HardlineError {
  readonly reason: GapReason;
  readonly path: string;
  readonly httpStatus?: number;
  /** Kubernetes Status reason (`Forbidden`, `Expired`, …) when the server sent one. */
  readonly statusReason?: string;
  /** Milliseconds the server asked to wait (Retry-After). */
  readonly retryAfterMs?: number;

  constructor(
    reason: GapReason,
    path: string,
    message: string,
    options: { cause?: unknown; httpStatus?: number; statusReason?: string; retryAfterMs?: number; retryable?: boolean } = {},
  ) {
    super(CODE_OF[reason], message, { cause: options.cause, retryable: options.retryable ?? false });
    this.reason = reason;
    this.path = path;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.statusReason !== undefined) this.statusReason = options.statusReason;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export function isKubeRequestError(e: unknown): e is KubeRequestError {
  return e instanceof KubeRequestError;
}

/** Gap reason of an HTTP status. 408/504 are the server timing out; 5xx and others are errors. */
export function reasonOfStatus(status: number): GapReason {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'throttled';
  if (status === 408 || status === 504) return 'timeout';
  return 'error';
}

/** Statuses worth another try: throttling and transient server trouble. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504 || status === 408;
}

// Transport failures that a second attempt can fix (a restarted API server, a dropped keep-alive connection).
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(e: unknown): boolean {
  const name = (e as { name?: unknown } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Maps a thrown transport error (fetch failed, TLS, abort) to a KubeRequestError. */
export function transportError(e: unknown, path: string, server: string, timeoutMs: number): KubeRequestError {
  if (isTimeout(e) || isTimeout((e as { cause?: unknown })?.cause)) {
    return new KubeRequestError('timeout', path, `no complete answer from ${server} within ${timeoutMs} ms`, { cause: e, retryable: true });
  }
  const code = errorCode(e);
  if (code && TRANSIENT_CODES.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'connection refused' : code === 'EAI_AGAIN' ? 'DNS lookup failed' : 'connection reset';
    return new KubeRequestError('unreachable', path, `${what} by ${server} (${code})`, { cause: e, retryable: true });
  }
  if (code === 'ENOTFOUND') return new KubeRequestError('unreachable', path, `${server}: host not found`, { cause: e });
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return new KubeRequestError(
      'unreachable',
      path,
      `TLS verification of ${server} failed (${code}): check the cluster's certificate authority`,
      { cause: e },
    );
  }
  // `fetch failed` says nothing: the innermost cause does (e.g. `bad port` for ports fetch refuses).
  const details: string[] = [];
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const message = cur instanceof Error ? cur.message.split('\n')[0] : String(cur);
    if (message) details.push(message);
    cur = (cur as { cause?: unknown }).cause;
  }
  return new KubeRequestError(
    'unreachable',
    path,
    `request to ${server} failed: ${details.join(': ') || 'unknown error'}${code ? ` (${code})` : ''}`,
    { cause: e },
  );
}
