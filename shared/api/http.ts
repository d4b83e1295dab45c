import type {
  APIGatewayEventRequestContextV2,
  APIGatewayProxyEventV2WithRequestContext,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { HardlineError } from '../core/errors.js';

/** Who API Gateway's IAM authorizer (or `hardline serve`, for its token) says the caller is. */
export interface ApiAuthorizerContext {
  iam?: { userArn?: string };
  lambda?: { caller?: string };
}

export type ApiEvent = APIGatewayProxyEventV2WithRequestContext<APIGatewayEventRequestContextV2 & { authorizer?: ApiAuthorizerContext }>;
export type ApiResult = APIGatewayProxyStructuredResultV2;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } as const;

/** A write nobody vouched for: answered 403. */
export class CallerRefusedError extends HardlineError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function noContent(): ApiResult {
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
}

export function errorResult(statusCode: number, message: string, headers: Record<string, string> = {}): ApiResult {
  return json(statusCode, { error: message }, headers);
}

/** A minimal v2 event, as API Gateway would send it (used by `hardline serve` and tests). */
export function apiEvent(
  method: string,
  rawPath: string,
  rawQueryString = '',
  body?: string,
  headers: Record<string, string> = {},
): ApiEvent {
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) query[k] = k in query ? `${query[k]},${v}` : v; // API Gateway v2 joins repeats with commas
  const now = new Date();
  const event: ApiEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: method.toUpperCase(),
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (body !== undefined) event.body = body;
  return event;
}
