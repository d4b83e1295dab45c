import type { Context } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler.js';
import { apiEvent, type ApiEvent, type ApiResult } from '../../shared/api/http.js';
import type { FindingsStore } from '../../shared/store/store.js';

export interface Response {
  status: number;
  headers: Record<string, string>;
  json: unknown;
  raw: ApiResult;
}

const context = { awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as Context;

/** Calls the real (middy) API handler with an HTTP API v2 event. */
export function apiClient(store: FindingsStore | (() => FindingsStore | Promise<FindingsStore>), log?: (m: string) => void) {
  const handler = createApiHandler(typeof store === 'function' ? store : () => store, log);
  return async (method: string, path: string, query = '', body?: string, tweak?: (e: ApiEvent) => void): Promise<Response> => {
    const event = apiEvent(method, path, query, body);
    tweak?.(event);
    const raw = await handler(event, context);
    const headers = Object.fromEntries(Object.entries(raw.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    return { status: raw.statusCode ?? 200, headers, json: raw.body ? (JSON.parse(raw.body) as unknown) : undefined, raw };
  };
}
