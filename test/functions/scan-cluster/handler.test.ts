import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TargetOutcome } from '../../../shared/pipeline/types.js';
import { awsWorld, MEMBER_ACCOUNT, pipelineEnv, resetMocks, startTestPipeline, type TestPipeline } from '../../pipeline/support.js';
import { K8sApiServer } from '../../support/k8s-api-server.js';

type Handler = (event: unknown, context: Context) => Promise<TargetOutcome>;
let world: TestPipeline;
let api: K8sApiServer;
let handler: Handler;

beforeAll(async () => {
  world = await startTestPipeline();
  api = await K8sApiServer.start();
  api.addCluster('prod', {
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'debug', namespace: 'payments' },
        spec: { hostPID: true, containers: [{ name: 'sh', image: 'busybox' }] },
      },
    ],
  });
  for (const [k, v] of Object.entries(pipelineEnv(world.endpoint))) vi.stubEnv(k, v);
  handler = (await import('../../../functions/scan-cluster/handler.js')).handler as unknown as Handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await api.close();
  await world.dispose();
});
beforeEach(() => resetMocks());

const context = {
  functionName: 'hardline-scan-cluster',
  awsRequestId: 'req-2',
  getRemainingTimeInMillis: () => 600_000,
} as unknown as Context;
// The map's ItemSelector: run fields plus the item read from S3.
const event = (name: string) => ({
  scanId: 'run-42',
  startedAt: '2026-11-24T03:00:00.000Z',
  knownAccounts: [MEMBER_ACCOUNT],
  item: { target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name } },
});

describe('scan-cluster handler', () => {
  it('scans one cluster through the live collector and returns its outcome for the map', async () => {
    awsWorld([{ name: 'prod', endpoint: api.url('prod'), caData: api.caData }]);
    const out = await handler(event('prod'), context);
    expect(out).toMatchObject({ status: 'OK', recorded: true, target: { kind: 'cluster', name: 'prod' } });
    const hostPid = await world.store.findings({ control: ['workload.host-pid'] }, { limit: 5 });
    expect(hostPid.items.map((f) => `${f.resource.kind}/${f.resource.name}:${f.scanId}`)).toEqual(['Pod/debug:run-42']);
  });

  it('an unreachable API server is a PARTIAL target with UNKNOWN Kubernetes controls, not a failed step', async () => {
    awsWorld([{ name: 'gone', endpoint: 'https://127.0.0.1:9', caData: api.caData }]);
    const out = await handler(event('gone'), context);
    expect(out.status).toBe('PARTIAL');
    expect(out.summary!.byStatus.UNKNOWN).toBeGreaterThan(0);
  });

  it('a registry item is refused (InputError): the state machine routes by kind', async () => {
    const bad = { ...event('x'), item: { target: { kind: 'registry', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: 'r' } } };
    await expect(handler(bad, context)).rejects.toMatchObject({ name: 'InputError' });
  });
});
