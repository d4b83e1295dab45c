import type * as ClientNode from '@kubernetes/client-node';
import type { KubeConfig, RequestContext } from '@kubernetes/client-node';
import { backoffDelay, sleep } from '../../core/backoff.js';
import { TOOL_VERSION } from '../../core/version.js';
import { redact } from '../../redaction/redact.js';
import { KubeRequestError, isRetryableStatus, reasonOfStatus, transportError } from './errors.js';
import { NEVER_READ_RESOURCES } from './kinds.js';

/**
 * Why requests go through client-node's RequestContext + IsomorphicFetchHttpLibrary rather than
 * its typed APIs (CoreV1Api.listPodForAllNamespaces, KubernetesObjectApi.list): measured on the
 * test server with 10,000 pods in pages of 500, the typed APIs took 2.0–3.8 s and the raw
 * JSON path 1.3–1.7 s, because the typed APIs rebuild every object into model classes (Dates,
 * renamed fields, no apiVersion/kind on items) that would then have to be turned back into
 * plain JSON for the inventory. This path still uses client-node for everything that matters
 * about a cluster connection — kubeconfig parsing, exec/OIDC/token-file credentials, client
 * certificates, CA, proxy, TLS server name — via `applySecurityAuthentication`, and its own
 * undici fetch; it adds what the typed APIs make awkward: a per-request AbortSignal timeout, raw
 * access to status codes, Retry-After and Kubernetes Status bodies (410 Expired), and CRDs.
 */

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

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** The parts of client-node the transport runs on. */
export type ClientNodeHttp = Pick<typeof ClientNode, 'RequestContext' | 'HttpMethod' | 'IsomorphicFetchHttpLibrary'>;

/**
 * A transport for the KubeConfig's current context. client-node (≈80 MB and ~1 s of module
 * loading) is imported here, on first use, so modules that merely import the collector — the
 * CLI's manifest scans, the AWS source — do not pay for it.
 */
export async function createKubeTransport(kc: KubeConfig, options: TransportOptions = {}): Promise<KubeTransport> {
  const lib = await import('./client-node.js');
  return new KubeTransport(kc, lib, options);
}

/** GETs JSON from one cluster's API server with timeouts and retries; never touches Secrets. */
export class KubeTransport {
  readonly server: string;
  private readonly kc: KubeConfig;
  private readonly lib: ClientNodeHttp;
  private readonly http: InstanceType<ClientNodeHttp['IsomorphicFetchHttpLibrary']>;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly onRequest?: (path: string) => void;
  private dispatcher?: Dispatcher;
  requests = 0;

  constructor(kc: KubeConfig, lib: ClientNodeHttp, options: TransportOptions = {}) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeRequestError('error', '', `kubeconfig context '${kc.getCurrentContext()}' names no cluster`);
    this.kc = kc;
    this.lib = lib;
    this.http = new lib.IsomorphicFetchHttpLibrary();
    this.server = cluster.server.replace(/\/+$/, '');
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
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d) await d.close().catch(() => undefined);
  }

  private backoff(attempt: number, retryAfterMs?: number): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.retry.maxRetryAfterMs) + this.random() * this.retry.baseDelayMs;
    return backoffDelay(attempt, { ...this.retry, random: this.random });
  }

  private async attempt(url: string, path: string): Promise<unknown> {
    const ctx = new this.lib.RequestContext(url, this.lib.HttpMethod.GET);
    ctx.setHeaderParam('Accept', 'application/json');
    ctx.setHeaderParam('User-Agent', `hardline/${TOOL_VERSION}`);
    ctx.setSignal(AbortSignal.timeout(this.timeoutMs));
    try {
      // Called per request: exec credential plugins and token files refresh their tokens here.
      await this.kc.applySecurityAuthentication(ctx);
    } catch (e) {
      const detail = redact(e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e));
      throw new KubeRequestError('unauthorized', path, `could not obtain credentials from the kubeconfig: ${detail}`, { cause: e });
    }
    // client-node builds a new connection pool per call; keep the first so pages reuse one TLS connection.
    const fresh = ctx.getDispatcher();
    if (this.dispatcher) {
      ctx.setDispatcher(this.dispatcher);
      if (fresh && fresh !== this.dispatcher) void fresh.close().catch(() => undefined);
    } else if (fresh) this.dispatcher = fresh;
    this.requests++;
    this.onRequest?.(path);
    const response = await this.http.send(ctx).toPromise();
    const text = await response.body.text();
    const status = response.httpStatusCode;
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new KubeRequestError('error', path, `${this.server}${path} did not return JSON (HTTP ${status})`, { cause: e });
      }
    }
    throw this.statusError(status, text, path, response.headers['retry-after']);
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
