import { randomBytes } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler.js';
import { apiEvent, type ApiEvent, type ApiResult } from '../../shared/api/http.js';
import type { ApiSettings } from '../../shared/api/router.js';
import type { FindingsStore } from '../../shared/store/store.js';

export interface Response {
  status: number;
  headers: Record<string, string>;
  json: unknown;
  raw: ApiResult;
}

const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as Context;

/** What the tests' handlers run with: a random cursor key (tests sign their own tokens with it). */
export const TEST_API_SETTINGS: ApiSettings = { cursorKey: randomBytes(32), exemptions: { maxDays: 365 } };

/** The IAM principal API Gateway names for the tests' requests (every request in AWS has one). */
export const TEST_CALLER = 'arn:aws:iam::111122223333:user/test-admin';

export interface ApiClientOptions {
  settings?: ApiSettings;
  /** The authenticated caller; null = a request nobody vouched for. */
  caller?: string | null;
}

/** Calls the real (middy) API handler with an HTTP API v2 event. */
export function apiClient(
  store: FindingsStore | (() => FindingsStore | Promise<FindingsStore>),
  log?: (m: string) => void,
  opts: ApiClientOptions = {},
) {
  const settings = opts.settings ?? TEST_API_SETTINGS;
  const handler = createApiHandler(typeof store === 'function' ? store : () => store, log, () => settings);
  const caller = opts.caller === undefined ? TEST_CALLER : opts.caller;
  return async (method: string, path: string, query = '', body?: string, tweak?: (e: ApiEvent) => void): Promise<Response> => {
    const event = apiEvent(method, path, query, body);
    if (caller !== null) event.requestContext.authorizer = { iam: { userArn: caller } };
    tweak?.(event);
    const raw = await handler(event, context);
    const headers = Object.fromEntries(Object.entries(raw.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    return { status: raw.statusCode ?? 200, headers, json: raw.body ? (JSON.parse(raw.body) as unknown) : undefined, raw };
  };
}
