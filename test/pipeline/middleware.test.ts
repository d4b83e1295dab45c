import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { AccessError, ConfigError, ConflictError } from '../../shared/core/errors.js';
import { isRetryable, parseStepInput, RETRYABLE_STEP_ERROR, stepErrors } from '../../shared/pipeline/middleware.js';
import { pipelineSettings } from '../../shared/pipeline/settings.js';

const context = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const failingWith = (e: unknown) =>
  middy<unknown, unknown, Error, Context>()
    .use(stepErrors())
    .handler(async () => Promise.reject(e));

describe('step errors', () => {
  it('renames retryable failures so the state machine retries exactly those', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    await expect(failingWith(throttled)({}, context)).rejects.toMatchObject({ name: RETRYABLE_STEP_ERROR, message: 'Rate exceeded' });
    await expect(failingWith(new ConflictError('lost a race'))({}, context)).rejects.toMatchObject({ name: RETRYABLE_STEP_ERROR });
    await expect(failingWith(Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 503 } }))({}, context)).rejects.toMatchObject({
      name: RETRYABLE_STEP_ERROR,
    });
  });

  it('keeps the name of what retrying cannot fix, and redacts the message', async () => {
    const e = new ConfigError(
      'HARDLINE_TABLE is not set; Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    );
    const err = (await failingWith(e)({}, context).catch((x: unknown) => x)) as Error;
    expect(err.name).toBe('ConfigError');
    expect(err.message).toMatch(/^HARDLINE_TABLE is not set/);
    expect(err.message).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(err.stack).not.toMatch(/\n\s+at /);
  });

  it('classifies retryability', () => {
    expect(isRetryable(new AccessError('THROTTLED', 'slow down'))).toBe(true);
    expect(isRetryable(new AccessError('FORBIDDEN', 'no'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isRetryable('a string')).toBe(false);
  });

  it('parses step input and names the bad fields', () => {
    const schema = z.object({ scanId: z.string().min(1), n: z.number() });
    expect(parseStepInput(schema, { scanId: 's', n: 1 })).toEqual({ scanId: 's', n: 1 });
    expect(() => parseStepInput(schema, { scanId: '', n: 'x' })).toThrow(/invalid step input: scanId: .*; n: /);
  });
});

describe('pipeline settings', () => {
  const base = { HARDLINE_TABLE: 'hardline-findings' };

  it('defaults: account mode, distributed map, all frameworks, 90 days, the built-in configuration', () => {
    const s = pipelineSettings(base);
    expect(s).toMatchObject({
      orgMode: 'account',
      mapMode: 'distributed',
      framework: 'all',
      retentionDays: 90,
      memberRoleName: 'hardline-read',
      reachPrivateEndpoints: false,
      regions: [],
    });
    expect(s.config.defaultExemptions).toBe(true);
  });

  it('reads every variable the construct sets', () => {
    const s = pipelineSettings({
      ...base,
      HARDLINE_REGIONS: 'eu-west-1, us-east-1,eu-west-1',
      HARDLINE_ORG_MODE: 'organization',
      HARDLINE_EXTERNAL_ID: 'org-scan-2026',
      HARDLINE_REACH_PRIVATE_ENDPOINTS: 'true',
      HARDLINE_CONFIG: JSON.stringify({ allowedRegistries: ['registry.example.com/'] }),
      HARDLINE_RETENTION_DAYS: '30',
    });
    expect(s).toMatchObject({
      regions: ['eu-west-1', 'us-east-1'],
      orgMode: 'organization',
      externalId: 'org-scan-2026',
      reachPrivateEndpoints: true,
      retentionDays: 30,
    });
    expect(s.config.allowedRegistries).toEqual(['registry.example.com/']);
  });

  it('a wrong value is a configuration error naming the variable', () => {
    expect(() => pipelineSettings({})).toThrow(/HARDLINE_TABLE/);
    expect(() => pipelineSettings({ ...base, HARDLINE_REGIONS: 'eu-west-1,mars-1' })).toThrow(/HARDLINE_REGIONS/);
    expect(() => pipelineSettings({ ...base, HARDLINE_ORG_MODE: 'galaxy' })).toThrow(/HARDLINE_ORG_MODE/);
    expect(() => pipelineSettings({ ...base, HARDLINE_CONFIG: '{"allowedRegistries": 3}' })).toThrow(
      /HARDLINE_CONFIG is not a valid hardline configuration/,
    );
    expect(() => pipelineSettings({ ...base, HARDLINE_RETENTION_DAYS: '0' })).toThrow(/HARDLINE_RETENTION_DAYS/);
  });
});
