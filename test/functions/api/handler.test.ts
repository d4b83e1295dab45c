import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiHandler } from '../../../functions/api/handler.js';
import { apiEvent } from '../../../shared/api/http.js';
import { apiSettingsFromEnv } from '../../../shared/api/settings.js';
import { ConflictError, HardlineError } from '../../../shared/core/errors.js';
import { EMBEDDED_TABLE } from '../../../shared/store/location.js';
import type { FindingsStore } from '../../../shared/store/store.js';
import { report, result, tempStore, type TestStore } from '../../store/support.js';

const context = { awsRequestId: 'req-1' } as Context;

let s: TestStore;
beforeAll(async () => {
  s = await tempStore();
  await s.store.saveScan(report('h-1', [result({ name: 'a', severity: 'critical' })]));
});
afterAll(async () => s?.dispose());

/** A store whose every call fails the way an SDK error would. */
function failingStore(error: Error): FindingsStore {
  return new Proxy({} as FindingsStore, {
    // Not a thenable: `await getStore()` must get the proxy itself.
    get: (_t, prop) => (prop === 'then' ? undefined : () => Promise.reject(error)),
  });
}

describe('API Lambda handler (middy)', () => {
  it('answers in the HTTP API v2 result shape', async () => {
    const handler = createApiHandler(() => s.store);
    const res = await handler(apiEvent('GET', '/findings', 'severity=critical&state=OPEN'), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toMatch(/^application\/json/);
    expect(typeof res.body).toBe('string');
    expect(JSON.parse(res.body!)).toMatchObject({ count: 1, items: [{ severity: 'critical', state: 'OPEN' }] });
  });

  it('turns an unexpected failure into a generic 500 without leaking the message, and logs it', async () => {
    const log = vi.fn();
    const handler = createApiHandler(
      () => failingStore(new Error('ProvisionedThroughputExceeded: table arn:aws:dynamodb:secret-stuff')),
      log,
    );
    const res = await handler(apiEvent('GET', '/summary'), context);
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body!)).toEqual({ error: 'internal error' });
    expect(res.body).not.toContain('secret-stuff');
    expect(log).toHaveBeenCalledOnce();
  });

  it('answers 503 with Retry-After when the store is throttled beyond its retries, and logs it', async () => {
    const log = vi.fn();
    const sdkThrottle = Object.assign(new Error('Rate of requests exceeds the allowed throughput (table arn:aws:dynamodb:secret-stuff)'), {
      name: 'ProvisionedThroughputExceededException',
    });
    for (const error of [sdkThrottle, new HardlineError('THROTTLED', 'BatchGetItem left 3 key(s) unprocessed', { retryable: true })]) {
      const res = await createApiHandler(() => failingStore(error), log)(apiEvent('GET', '/summary'), context);
      expect(res.statusCode).toBe(503);
      expect(res.headers?.['retry-after']).toBe('2');
      expect(JSON.parse(res.body!)).toEqual({ error: 'the findings store is throttling requests; try again shortly' });
      expect(res.body).not.toContain('secret-stuff');
    }
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('maps a lost write race to 409 and still validates before touching the store', async () => {
    const handler = createApiHandler(() => failingStore(new ConflictError('exemption changed meanwhile')));
    const put = apiEvent('PUT', '/exemptions/x', '', JSON.stringify({ controlId: 'workload.privileged', reason: 'r' }));
    put.requestContext.authorizer = { iam: { userArn: 'arn:aws:iam::111122223333:role/secops' } };
    expect((await handler(put, context)).statusCode).toBe(409);
    expect((await handler(apiEvent('GET', '/findings', 'severity=bogus'), context)).statusCode).toBe(400);
  });

  it('the deployed handler reads HARDLINE_TABLE, the cursor secret and the standard SDK endpoint/region variables', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:cursor-AbCdEf' })
      .resolves({ SecretString: 'k'.repeat(64) });
    vi.stubEnv('HARDLINE_CURSOR_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:cursor-AbCdEf');
    const endpoint = await s.raw.config.endpoint!();
    vi.stubEnv('HARDLINE_TABLE', EMBEDDED_TABLE);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      const { handler } = await import('../../../functions/api/handler.js');
      const res = await handler(apiEvent('GET', '/summary'), context);
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body!)).toMatchObject({ targets: 1, bySeverity: { critical: 1 } });
      expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    } finally {
      vi.unstubAllEnvs();
      secrets.restore();
    }
  });

  it('signs page tokens with the secret, so a token from one instance works on another, and never with a constant', async () => {
    await s.store.saveScan(
      report(
        'h-2',
        Array.from({ length: 3 }, (_, i) => result({ name: `p${i}`, severity: 'low' })),
      ),
    );
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 's'.repeat(64) });
    const env = { HARDLINE_CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:cursor-AbCdEf' };
    try {
      const first = createApiHandler(() => s.store, undefined, apiSettingsFromEnv(env));
      const second = createApiHandler(() => s.store, undefined, apiSettingsFromEnv(env));
      const page = JSON.parse((await first(apiEvent('GET', '/findings', 'severity=low&limit=1'), context)).body!) as { nextCursor: string };
      const next = await second(apiEvent('GET', '/findings', `severity=low&limit=1&cursor=${page.nextCursor}`), context);
      expect(next.statusCode).toBe(200);
      // A handler with another key (here: a random one) refuses the token.
      const other = await createApiHandler(() => s.store)(
        apiEvent('GET', '/findings', `severity=low&limit=1&cursor=${page.nextCursor}`),
        context,
      );
      expect(other.statusCode).toBe(400);
      // Without the secret the API does not fall back to a built-in key: it fails closed.
      const unset = await createApiHandler(() => s.store, undefined, apiSettingsFromEnv({}))(apiEvent('GET', '/summary'), context);
      expect(unset.statusCode).toBe(500);
    } finally {
      secrets.restore();
    }
  });
});
