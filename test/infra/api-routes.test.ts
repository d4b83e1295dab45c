import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.js';
import { FINDINGS_API_ROUTES } from '../../infra/constructs/findings-api.js';
import { startTestPipeline, type TestPipeline } from '../pipeline/support.js';

let world: TestPipeline;
beforeAll(async () => (world = await startTestPipeline()));
afterAll(async () => world.dispose());

const context = { functionName: 'api', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

describe('API routes declared by FindingsApi', () => {
  it('are each answered by the api handler (no route the gateway forwards ends in "no route" or 405)', async () => {
    const handler = createApiHandler(() => world.store);
    for (const route of FINDINGS_API_ROUTES) {
      for (const method of route.methods) {
        const path = route.path.replace('{id}', 'test-id');
        const body =
          method === 'PUT' ? JSON.stringify({ controlId: 'workload.privileged', match: { namespace: 'dev' }, reason: 'test' }) : undefined;
        const res = (await handler(
          {
            version: '2.0',
            routeKey: `${method} ${route.path}`,
            rawPath: path,
            rawQueryString: '',
            headers: {},
            requestContext: { http: { method, path } },
            ...(body ? { body } : {}),
          } as never,
          context,
        )) as { statusCode: number; body?: string };
        expect(res.statusCode, `${method} ${path}: ${res.body}`).not.toBe(405);
        expect(res.body ?? '', `${method} ${path}`).not.toMatch(/no route/);
      }
    }
  });
});
