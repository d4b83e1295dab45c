import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '../../shared/api/http.js';
import { apiErrors, type ApiLogger } from '../../shared/api/middleware.js';
import { routeRequest, type ApiSettings } from '../../shared/api/router.js';
import { apiSettingsFromEnv, ephemeralApiSettings } from '../../shared/api/settings.js';
import { storeFromEnv } from '../../shared/store/from-env.js';
import type { FindingsStore } from '../../shared/store/store.js';

/**
 * The query API (HTTP API v2 → Lambda). The same handler runs behind `hardline serve`, over the
 * embedded store. Bad input → 400, unknown → 404 (shared/api/middleware.ts); anything else a
 * generic 500 from http-error-handler, registered first so its onError runs last. Settings (the
 * cursor key, the exemption policy) load once; without them, cursors live as long as the handler.
 */
export function createApiHandler(
  getStore: () => FindingsStore | Promise<FindingsStore>,
  log?: ApiLogger,
  getSettings: () => ApiSettings | Promise<ApiSettings> = ephemeralApiSettings(),
) {
  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(httpErrorHandler({ logger: false, fallbackMessage: JSON.stringify({ error: 'internal error' }) }))
    .use(apiErrors(log))
    .handler(async (event) => routeRequest(event, await getStore(), await getSettings()));
}

const logger = new Logger({ serviceName: 'hardline-api' });
let store: FindingsStore | undefined;

export const handler = createApiHandler(
  () => (store ??= storeFromEnv()),
  (message) => logger.error(message),
  apiSettingsFromEnv(),
);
