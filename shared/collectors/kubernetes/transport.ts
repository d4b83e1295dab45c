import { backoffDelay, sleep } from '../../core/backoff.js';
import { redact } from '../../redaction/redact.js';
import { KubeRequestError, isRetryableStatus, reasonOfStatus, transportError } from './errors.js';
import { NEVER_READ_RESOURCES } from './kinds.js';

/**
 * How to reach one API server: a kubeconfig context through client-node (the CLI: exec plugins,
 * OIDC, client certificates, proxies — what client-node earns its place for; client-node-http.ts)
 * or a bearer token over node:https (EKS from the scanner Lambda and `scan --aws`; bearer-http.ts).
 * Either way the same paging, retries and error mapping below apply. The collector never imports
 * a sender itself, so a bundle holds only the one its caller chose.
 */
export interface KubeConnection {
  /** The default target name (the context, or the cluster). */
  name: string;
  open(): Promise<KubeHttp>;
}

/** One GET's answer, whatever sent it. */
export interface KubeResponse {
  status: number;
  text: string;
  retryAfter?: string;
}

/** Sends GETs to one API server (authentication, TLS and connection reuse are its business). */
export interface KubeHttp {
  readonly server: string;
  get(url: string, path: string, signal: AbortSignal): Promise<KubeResponse>;
  close(): Promise<void>;
}

export interface RetryPolicy {
  /** Total tries per request (1 = no retry). */
  attempts: number;
  /** The cap of the first retry's delay; it doubles per retry up to maxDelayMs, full jitter below it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a server asking for more is waited on for this long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

export interface TransportOptions {
  /** Per request, headers and body included. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Jitter source, for deterministic tests. */
  random?: () => number;
  /** Counts every HTTP attempt (progress, benchmarks). */
  onRequest?: (path: string) => void;
}

export async function createKubeTransport(connection: KubeConnection, options: TransportOptions = {}): Promise<KubeTransport> {
  return new KubeTransport(await connection.open(), options);
}

/** GETs JSON from one cluster's API server with timeouts and retries; never touches Secrets. */
export class KubeTransport {
  readonly server: string;
  private readonly http: KubeHttp;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly onRequest?: (path: string) => void;
  requests = 0;

  constructor(http: KubeHttp, options: TransportOptions = {}) {
    this.http = http;
    this.server = http.server;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    if (options.onRequest) this.onRequest = options.onRequest;
  }

  /** GET `path` (`/apis/apps/v1/deployments`) with query parameters; resolves to parsed JSON. */
  async getJson(path: string, query: Record<string, string | number | undefined> = {}): Promise<unknown> {
    assertNotSecrets(path);
    const qs = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') qs.set(key, String(value));
    const url = `${this.server}${path}${qs.size > 0 ? `?${qs.toString()}` : ''}`;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(url, path);
      } catch (e) {
        const err = e instanceof KubeRequestError ? e : transportError(e, path, this.server, this.timeoutMs);
        if (!err.retryable || attempt >= this.retry.attempts) throw err;
        await sleep(this.backoff(attempt, err.retryAfterMs));
      }
    }
  }

  /** Releases pooled connections. */
  async close(): Promise<void> {
    await this.http.close().catch(() => undefined);
  }

  private backoff(attempt: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.retry.maxRetryAfterMs) + this.random() * this.retry.baseDelayMs;
    return backoffDelay(attempt, { ...this.retry, random: this.random });
  }

  private async attempt(url: string, path: string): Promise<unknown> {
    this.requests++;
    this.onRequest?.(path);
    const { status, text, retryAfter } = await this.http.get(url, path, AbortSignal.timeout(this.timeoutMs));
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new KubeRequestError('error', path, `${this.server}${path} did not return JSON (HTTP ${status})`, { cause: e });
      }
    }
    throw this.statusError(status, text, path, retryAfter);
  }

  private statusError(status: number, text: string, path: string, retryAfter: string | undefined): KubeRequestError {
    let message = '';
    let statusReason: string | undefined;
    try {
      const body = JSON.parse(text) as { message?: unknown; reason?: unknown };
      if (typeof body.message === 'string') message = body.message;
      if (typeof body.reason === 'string') statusReason = body.reason;
    } catch {
      message = text.slice(0, 200);
    }
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new KubeRequestError(
      reasonOfStatus(status),
      path,
      `HTTP ${status}${statusReason ? ` ${statusReason}` : ''}${message ? `: ${redact(message)}` : ''}`,
      {
        httpStatus: status,
        ...(statusReason ? { statusReason } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        retryable: isRetryableStatus(status),
      },
    );
  }
}

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Defence in depth: whatever the kinds list or discovery says, no request ever names Secrets. */
export function assertNotSecrets(path: string): void {
  const segments = path.split('?')[0]!.split('/');
  for (const r of NEVER_READ_RESOURCES) {
    if (segments.includes(r)) throw new KubeRequestError('error', path, `refusing to read ${r}: hardline never reads them`);
  }
}
