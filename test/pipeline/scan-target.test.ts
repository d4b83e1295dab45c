import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanClusterStep, scanRegistryStep } from '../../shared/pipeline/scan-target.js';
import type { ScanStepInput } from '../../shared/pipeline/types.js';
import { getRun } from '../../shared/store/run.js';
import { K8sApiServer } from '../support/k8s-api-server.js';
import {
  awsWorld,
  DENIED_ACCOUNT,
  MEMBER_ACCOUNT,
  mocks,
  PRIVILEGED_DEPLOYMENT,
  resetMocks,
  startTestPipeline,
  type TestPipeline,
} from './support.js';

let world: TestPipeline;
let api: K8sApiServer;
beforeAll(async () => {
  world = await startTestPipeline();
  api = await K8sApiServer.start();
  api.addCluster('prod', {
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } },
      PRIVILEGED_DEPLOYMENT,
    ],
  });
});
afterAll(async () => {
  await api.close();
  await world.dispose();
});
beforeEach(() => resetMocks());

let n = 0;
function step(target: ScanStepInput['item']['target'], failure?: ScanStepInput['item']['failure']): ScanStepInput {
  n++;
  return {
    scanId: `scan-${n}`,
    startedAt: new Date(Date.parse('2026-11-24T03:00:00Z') + n * 60_000).toISOString(),
    knownAccounts: [MEMBER_ACCOUNT],
    item: { target, ...(failure ? { failure } : {}) },
  };
}
const cluster = (name: string, accountId = MEMBER_ACCOUNT) => ({ kind: 'cluster' as const, accountId, region: 'eu-west-1', name });
const registry = (accountId = MEMBER_ACCOUNT) => ({
  kind: 'registry' as const,
  accountId,
  region: 'eu-west-1',
  name: `${accountId}.dkr.ecr.eu-west-1.amazonaws.com`,
});

describe('scan-cluster step', () => {
  it('reads EKS and the Kubernetes API through the member role, evaluates, and saves the target as part of the run', async () => {
    awsWorld([{ name: 'prod', endpoint: api.url('prod'), caData: api.caData }]);
    const input = step(cluster('prod'));
    const out = await scanClusterStep(input, world.deps());

    expect(out).toMatchObject({
      status: 'OK',
      recorded: true,
      target: { name: 'prod', arn: `arn:aws:eks:eu-west-1:${MEMBER_ACCOUNT}:cluster/prod` },
    });
    expect(out.resources).toBeGreaterThanOrEqual(2);
    expect(out.summary!.bySeverity.critical + out.summary!.bySeverity.high).toBeGreaterThan(0);
    expect(out.changes!.opened).toBeGreaterThan(0);
    // The API server saw the EKS token signed with the member role's session, never a static secret.
    const seen = api.cluster('prod').requests.filter((r) => r.path.startsWith('/apis/apps/v1'));
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.authorization).toMatch(/^Bearer k8s-aws-v1\./);
    const privileged = await world.store.findings({ control: ['workload.privileged'] }, { limit: 10 });
    expect(privileged.items.map((f) => `${f.resource.namespace}/${f.resource.name}/${f.state}`)).toContain('shop/web/OPEN');
    // A part of a run never completes the run: summarize does that once.
    expect(await getRun(world.store.ctx, input.scanId)).toBeUndefined();
  });

  it('a private-only endpoint is UNKNOWN for every Kubernetes control (a gap with the reason), never PASS', async () => {
    awsWorld([{ name: 'private', endpoint: 'https://10.0.0.1', caData: api.caData, publicEndpoint: false }]);
    const out = await scanClusterStep(step(cluster('private')), world.deps());
    expect(out.status).toBe('PARTIAL');
    expect(out.reason).toMatch(/could not read/);
    const unknown = await world.store.findings({ control: ['rbac.cluster-admin-binding'], cluster: ['private'] }, { limit: 10 });
    expect(unknown.items.length).toBeGreaterThan(0);
    for (const f of unknown.items) {
      expect(f.status).toBe('UNKNOWN');
      expect(f.message).toMatch(/private|unreachable/i);
    }
  });

  it('the same private endpoint is read when the function runs in the VPC (HARDLINE_REACH_PRIVATE_ENDPOINTS)', async () => {
    awsWorld([{ name: 'prod', endpoint: api.url('prod'), caData: api.caData, publicEndpoint: false }]);
    const out = await scanClusterStep(step(cluster('prod')), world.deps({ HARDLINE_REACH_PRIVATE_ENDPOINTS: 'true' }));
    expect(out.status).toBe('OK');
  });

  it('a private-only endpoint in a VPC this function has no route to is private-no-route from DescribeCluster alone: no connection, no Kubernetes request', async () => {
    api.cluster('prod').requests.length = 0;
    awsWorld([{ name: 'prod', endpoint: api.url('prod'), caData: api.caData, publicEndpoint: false, vpcId: 'vpc-0bbb2222' }]);
    const out = await scanClusterStep(
      step(cluster('prod')),
      world.deps({ HARDLINE_REACH_PRIVATE_ENDPOINTS: 'true', HARDLINE_REACHABLE_VPCS: 'vpc-0aaa1111' }),
    );
    expect(out.status).toBe('PARTIAL');
    expect(api.cluster('prod').requests).toEqual([]);
    const unknown = await world.store.findings({ control: ['rbac.wildcard'], cluster: ['prod'] }, { limit: 10 });
    expect(unknown.items.map((f) => f.status)).toContain('UNKNOWN');
    expect(unknown.items.find((f) => f.status === 'UNKNOWN')!.message).toMatch(
      /private-no-route.*private in vpc-0bbb2222.*reaches only vpc-0aaa1111/,
    );
    // Listed as reachable, the same cluster is read.
    const read = await scanClusterStep(
      step(cluster('prod')),
      world.deps({ HARDLINE_REACH_PRIVATE_ENDPOINTS: 'true', HARDLINE_REACHABLE_VPCS: 'vpc-0aaa1111,vpc-0bbb2222' }),
    );
    expect(read.status).toBe('OK');
  });

  it('an API server that does not accept connections fails at the connect check, before any Kubernetes request is retried', async () => {
    const closed = await K8sApiServer.start();
    const url = closed.url('gone');
    await closed.close();
    awsWorld([{ name: 'gone', endpoint: url, caData: api.caData }]);
    const out = await scanClusterStep(step(cluster('gone')), world.deps({ HARDLINE_CONNECT_TIMEOUT_MS: '2000' }));
    expect(out.status).toBe('PARTIAL');
    const unknown = await world.store.findings({ control: ['rbac.wildcard'], cluster: ['gone'] }, { limit: 10 });
    expect(unknown.items.find((f) => f.status === 'UNKNOWN')!.message).toMatch(
      /unreachable — cluster gone: cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED.*publicAccessCidrs/,
    );
  });

  it('a denied AssumeRole records the target UNKNOWN with the reason and reads nothing', async () => {
    awsWorld([]);
    const out = await scanClusterStep(step(cluster('prod', DENIED_ACCOUNT)), world.deps());
    expect(out).toMatchObject({
      status: 'UNKNOWN',
      recorded: true,
      reason: expect.stringMatching(/cannot assume the member role hardline-read: AccessDenied/),
    });
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 0);
    const targets = await world.store.targets({}, { limit: 50 });
    expect(targets.items.find((t) => t.accountId === DENIED_ACCOUNT)).toMatchObject({ lastStatus: 'UNKNOWN' });
  });

  it('a discovery failure carried by the item is recorded as it is, without calling AWS', async () => {
    const out = await scanClusterStep(step(cluster('*'), { status: 'UNKNOWN', reason: 'region ap-south-2 is not enabled' }), world.deps());
    expect(out).toMatchObject({ status: 'UNKNOWN', reason: 'region ap-south-2 is not enabled', recorded: true });
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  it('rejects a registry target (the state machine routes by kind)', async () => {
    await expect(scanClusterStep(step(registry()), world.deps())).rejects.toThrow(/scan-cluster got a registry target/);
  });
});

describe('scan-registry step', () => {
  it('reads the registry and saves its ECR findings', async () => {
    awsWorld([]);
    const out = await scanRegistryStep(step(registry()), world.deps());
    expect(out).toMatchObject({ status: 'OK', recorded: true, target: { kind: 'registry' } });
    expect(mocks.ecr).toHaveReceivedCommand(DescribeRepositoriesCommand);
    const mutable = await world.store.findings({ control: ['ecr.tag-immutability'] }, { limit: 10 });
    expect(mutable.items.map((f) => f.resource.name)).toContain('shop/web');
  });

  it('DescribeRepositories denied: UNKNOWN, not an empty registry that passes', async () => {
    awsWorld([]);
    mocks.ecr.on(DescribeRepositoriesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const out = await scanRegistryStep(step(registry()), world.deps());
    expect(out.status).toBe('UNKNOWN');
    expect(out.summary!.byStatus.PASS).toBe(0);
  });
});
