import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { REPORT_FORMATS } from '../../shared/report/format.js';
import { apiClient } from '../api/support.js';
import { runMainInProcess } from '../support/cli-async.js';
import { simulateFleet, type FleetResult } from '../support/fleet/fleet.js';
import { leaksIn, PLANTED, plantedObjects } from './planted.js';

/**
 * Secret hygiene: credentials planted in env values, ConfigMaps, annotations, labels, image
 * references, names and an AWS error message must appear in no output — not in any report format,
 * the embedded store, the pipeline's store items (read raw), the map results Step Functions
 * carries, the events as sent to PutEvents, the API's answers, nor any log line.
 */
const outputs = new Map<string, string>();
const record = (where: string, text: string) => outputs.set(where, (outputs.get(where) ?? '') + text);
let dir: string;

describe('secret hygiene: the CLI over manifests', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hardline-hygiene-'));
    writeFileSync(
      join(dir, 'leaky.yaml'),
      plantedObjects()
        .map((o) => stringify(o))
        .join('---\n'),
    );
    const env = { HARDLINE_STORE_DIR: join(dir, 'store') };
    for (const format of REPORT_FORMATS) {
      const r = await runMainInProcess(['scan', join(dir, 'leaky.yaml'), '--format', format, '--fail-on', 'critical'], env);
      record(`cli scan --format ${format}`, r.stdout + r.stderr);
    }
    const saved = await runMainInProcess(['scan', join(dir, 'leaky.yaml'), '--save', '--format', 'table', '--verbose'], env);
    record('cli scan --save', saved.stdout + saved.stderr);
    for (const format of ['table', 'json']) {
      const r = await runMainInProcess(['findings', '--format', format], env);
      record(`cli findings --format ${format}`, r.stdout + r.stderr);
    }
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the planted objects (the credential controls fire)', () => {
    const json = outputs.get('cli scan --format json') ?? '';
    expect(json).toContain('workload.credentials-in-env');
    expect(json).toContain('config.credentials-in-configmap');
    expect(json).toContain('[REDACTED]');
  });

  it('the credential control flags each planted kind: password= and secret= assignments, connection strings, image and host-path credentials', () => {
    const report = JSON.parse(outputs.get('cli scan --format json') ?? '{}') as {
      results: { controlId: string; status: string; resource: { container?: string }; evidence?: Record<string, unknown> }[];
    };
    const hits = report.results.filter((r) => r.controlId === 'workload.credentials-in-env' && r.status === 'FAIL');
    const variables = hits.flatMap((r) => (r.evidence?.['variables'] as string[] | undefined) ?? []);
    expect(variables).toEqual(
      expect.arrayContaining([
        'JAVA_OPTS',
        'DB_CONN',
        'OAUTH',
        'AZURE_CLIENT_SECRET',
        'STORAGE',
        'BLOB_URL',
        'GOOGLE_APPLICATION_CREDENTIALS',
        'MAPS',
        'DEPLOY_KEY_PEM',
        'SSH_IDENTITY',
        'PPK',
        'MAIL_OPTS',
      ]),
    );
    expect(hits.some((r) => typeof r.evidence?.['image'] === 'string')).toBe(true);
    expect(hits.some((r) => (r.evidence?.['volumes'] as string[] | undefined)?.includes('app-config'))).toBe(true);
    const kinds = new Set(hits.flatMap((r) => (r.evidence?.['kinds'] as string[] | undefined) ?? []));
    expect([...kinds]).toEqual(
      expect.arrayContaining([
        'credentials in image reference',
        'password or secret assigned in text',
        'Azure client secret',
        'Azure SAS token',
        'Google API key',
        'private key',
        'PuTTY private key',
      ]),
    );
  });

  it('quoted the planted image references and container names, redacted (the leak checks below are not vacuous)', () => {
    const json = outputs.get('cli scan --format json') ?? '';
    expect(json).toContain('shop.blob.core.windows.net/img?sv=2022-11-02&sp=rl&se=2027-01-01&sig=[REDACTED]');
    expect(json).toContain("container 'c-[REDACTED]'");
    expect(json).toMatch(/image-[0-5]/);
  });

  it.each([
    ...REPORT_FORMATS.map((f) => `cli scan --format ${f}`),
    'cli scan --save',
    'cli findings --format table',
    'cli findings --format json',
  ])('%s prints no planted credential', (where) => {
    expect(outputs.get(where)?.length ?? 0).toBeGreaterThan(0);
    expect(leaksIn(outputs.get(where)!)).toEqual([]);
  });
});

describe('secret hygiene: the pipeline, store, events, API and logs', () => {
  let result: FleetResult;
  const logs: string[] = [];
  const store: string[] = [];
  const api: string[] = [];

  beforeAll(async () => {
    // Every write to stdout/stderr (Powertools writes there) and every console call, kept here instead of printed.
    const capture = (target: object, name: string) => {
      const methods = target as Record<string, (...a: unknown[]) => unknown>;
      const original = methods[name]!;
      methods[name] = (...args: unknown[]) => {
        logs.push(
          args.map((a) => (typeof a === 'string' ? a : a instanceof Uint8Array ? Buffer.from(a).toString() : JSON.stringify(a))).join(' '),
        );
        return true;
      };
      return () => (methods[name] = original);
    };
    const restores = [
      capture(process.stdout, 'write'),
      capture(process.stderr, 'write'),
      ...['log', 'info', 'warn', 'error', 'debug'].map((m) => capture(console, m)),
    ];
    try {
      result = await simulateFleet(
        {
          accounts: 1,
          regions: ['eu-west-1'],
          clustersPerRegion: 4,
          mapConcurrency: 4,
          registryTimeoutMs: 3_000,
          logLevel: 'DEBUG',
          extraObjects: () => plantedObjects(),
          describeClusterError: (c) =>
            c.name.endsWith('03')
              ? `User ${PLANTED.awsAccessKeyId.value} with session ${PLANTED.jwt.value} is not authorized (see ${PLANTED.urlCredentials.value})`
              : c.name.endsWith('02')
                ? `Role assumed with ${PLANTED.azureClientSecret.value} and ${PLANTED.googleApiKey.value} is not authorized for ${PLANTED.azureSas.value}; key ${PLANTED.privateKeyFourDashes.value} ${PLANTED.puttyKey.value}`
                : undefined,
        },
        async ({ store: findings, raw, table }) => {
          let start: Record<string, AttributeValue> | undefined;
          do {
            const page = await raw.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
            for (const item of page.Items ?? []) store.push(JSON.stringify(item));
            start = page.LastEvaluatedKey;
          } while (start);
          const call = apiClient(findings);
          let cursor = '';
          const ids: string[] = [];
          do {
            const page = await call('GET', '/findings', `limit=100${cursor ? `&cursor=${cursor}` : ''}`);
            api.push(page.raw.body ?? '');
            const body = page.json as { items: { findingId: string }[]; nextCursor?: string };
            ids.push(...body.items.map((f) => f.findingId));
            cursor = body.nextCursor ?? '';
          } while (cursor);
          for (const id of ids) api.push((await call('GET', `/findings/${id}`)).raw.body ?? '');
          for (const path of ['/clusters', '/summary', '/scans/fleet-run-1', '/scans/fleet-run-2', '/exemptions'])
            api.push((await call('GET', path, path === '/clusters' ? 'limit=500' : '')).raw.body ?? '');
        },
      );
    } finally {
      for (const restore of restores) restore();
    }
  }, 180_000);

  it('scanned the planted objects and the failing cluster (the outputs are not empty)', () => {
    expect(store.some((s) => s.includes('workload.credentials-in-env'))).toBe(true);
    expect(store.some((s) => s.includes('[REDACTED]'))).toBe(true);
    expect(result.bus.accepted.length).toBeGreaterThan(0);
    expect(logs.join('\n')).toMatch(/"level":"(DEBUG|INFO)"/);
    expect(api.length).toBeGreaterThan(10);
    // The error that quotes other clouds' credentials reached the target's reason, redacted.
    expect(JSON.stringify(result.runs.map((r) => r.execution.outcomes))).toContain(
      'Role assumed with [REDACTED] and [REDACTED] is not authorized',
    );
  });

  it('store items (read raw from the table) hold no planted credential', () => {
    expect(leaksIn(store.join('\n'))).toEqual([]);
  });

  it('events as sent to PutEvents hold none', () => {
    expect(leaksIn(result.bus.accepted.map((e) => JSON.stringify(e.entry)).join('\n'))).toEqual([]);
  });

  it('API answers hold none', () => {
    expect(leaksIn(api.join('\n'))).toEqual([]);
  });

  it('what Step Functions carries (map items and results in S3, step errors) holds none', () => {
    expect(leaksIn([...result.s3.values()].join('\n'))).toEqual([]);
    expect(leaksIn(JSON.stringify(result.runs.map((r) => [r.execution.outcomes, r.execution.summary, r.execution.stepErrors])))).toEqual(
      [],
    );
  });

  it('log lines hold none', () => {
    expect(leaksIn(logs.join('\n'))).toEqual([]);
  });
});
