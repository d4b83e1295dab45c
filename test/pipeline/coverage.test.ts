import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanClusterStep } from '../../shared/pipeline/scan-target.js';
import { summarizeRun } from '../../shared/pipeline/summarize.js';
import type { DiscoveredTarget, ScanStepInput, TargetOutcome } from '../../shared/pipeline/types.js';
import { targetId } from '../../shared/store/keys.js';
import { openRun } from '../../shared/store/run.js';
import { getTarget } from '../../shared/store/target-marker.js';
import { apiClient } from '../api/support.js';
import { K8sApiServer } from '../support/k8s-api-server.js';
import { awsWorld, MEMBER_ACCOUNT, resetMocks, startTestPipeline, type TestPipeline } from './support.js';

/**
 * Fleet coverage end to end: real scan-cluster steps against fake API servers that answer 401
 * (never onboarded), 403 on RBAC (ClusterRole incomplete), or that cannot be reached, then
 * summarize (the run's coverage), the target markers and GET /summary, /clusters.
 */
let world: TestPipeline;
let api: K8sApiServer;
const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } };

beforeAll(async () => {
  world = await startTestPipeline();
  api = await K8sApiServer.start();
  api.addCluster('good', { objects: [ns] });
  // Only a token this scanner never has is accepted: every request is 401, as before onboarding.
  api.addCluster('never-onboarded', { objects: [ns], token: 'someone-else' });
  api.addCluster('rbac-denied', { objects: [ns] }).addFault({ path: /^\/apis\/rbac\.authorization\.k8s\.io\/v1\/.+/, status: 403 });
});
afterAll(async () => {
  await api.close();
  await world.dispose();
});
beforeEach(() => resetMocks());

const run = { scanId: 'coverage-1', startedAt: '2026-11-24T03:00:00.000Z' };
const cluster = (name: string): DiscoveredTarget => ({ target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name } });
const step = (item: DiscoveredTarget): ScanStepInput => ({ ...run, knownAccounts: [MEMBER_ACCOUNT], item });
const roleArn = `arn:aws:iam::${MEMBER_ACCOUNT}:role/hardline-read`;

describe('fleet coverage', () => {
  const outcomes: TargetOutcome[] = [];
  beforeAll(async () => {
    awsWorld([
      { name: 'good', endpoint: api.url('good'), caData: api.caData },
      { name: 'never-onboarded', endpoint: api.url('never-onboarded'), caData: api.caData },
      { name: 'rbac-denied', endpoint: api.url('rbac-denied'), caData: api.caData },
      { name: 'private', endpoint: 'https://10.0.0.1', caData: api.caData, publicEndpoint: false },
    ]);
    await openRun(world.store.ctx, { ...run, framework: 'all' });
    for (const name of ['good', 'never-onboarded', 'rbac-denied', 'private'])
      outcomes.push(await scanClusterStep(step(cluster(name)), world.deps()));
  });

  it('each cluster target records whether its Kubernetes API was read, and the map result carries the state only', () => {
    expect(Object.fromEntries(outcomes.map((o) => [o.target.name, o.kubernetesAccess]))).toEqual({
      good: { state: 'read' },
      'never-onboarded': { state: 'unauthorized' },
      'rbac-denied': { state: 'forbidden-partial' },
      private: { state: 'private-no-route' },
    });
  });

  it('the target marker keeps state, reason and the exact onboarding step for the configured mode', async () => {
    const marker = async (name: string) => (await getTarget(world.store.ctx, targetId(cluster(name).target)))!.kubernetesAccess!;
    const never = await marker('never-onboarded');
    expect(never.reason).toMatch(/401|[Uu]nauthorized/);
    expect(never.step).toContain(
      `aws eks create-access-entry --region eu-west-1 --cluster-name never-onboarded --principal-arn ${roleArn} --kubernetes-groups hardline-readers`,
    );
    expect(never.step).toContain('apply -f deploy/hardline-readers.yaml');
    expect((await marker('rbac-denied')).reason).toMatch(/ClusterRole/);
    expect((await marker('good')).step).toBeUndefined();

    // eks-policy mode: the step associates the view policy instead of naming a group.
    awsWorld([{ name: 'never-onboarded', endpoint: api.url('never-onboarded'), caData: api.caData }]);
    await scanClusterStep(
      { ...step(cluster('never-onboarded')), scanId: 'coverage-policy', startedAt: '2026-11-24T04:00:00.000Z' },
      world.deps({ HARDLINE_ONBOARDING_MODE: 'eks-policy' }),
    );
    const policy = await marker('never-onboarded');
    expect(policy.step).toContain(
      `aws eks associate-access-policy --region eu-west-1 --cluster-name never-onboarded --principal-arn ${roleArn} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy --access-scope type=cluster`,
    );
    expect(policy.step).not.toContain('--kubernetes-groups');
  });

  it('summarize reports the run coverage (readable / discovered), counting clusters the run could not scan at all', async () => {
    const denied: DiscoveredTarget = {
      target: { kind: 'cluster', accountId: '777788889999', region: 'eu-west-1', name: '*' },
      failure: { status: 'UNKNOWN', reason: 'account 777788889999: cannot assume the member role hardline-read: access denied' },
    };
    const off: DiscoveredTarget = {
      target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'ap-east-1', name: '*' },
      failure: { status: 'UNKNOWN', reason: `region ap-east-1 is not enabled in account ${MEMBER_ACCOUNT} (account:ListRegions)` },
    };
    const items = [...['good', 'never-onboarded', 'rbac-denied', 'private'].map(cluster), denied, off];
    // Discovery's failures go through the map like any item: the scan step records them.
    const recorded = [...outcomes, await scanClusterStep(step(denied), world.deps()), await scanClusterStep(step(off), world.deps())];
    const out = await summarizeRun({ ...run, targetCount: items.length, items, map: recorded }, world.deps());
    // A region that is not enabled holds no cluster: it is not counted.
    expect(out.coverage).toEqual({
      clusters: 5,
      readable: 1,
      ratio: 0.2,
      byState: { read: 1, unauthorized: 1, 'forbidden-partial': 1, 'private-no-route': 1, 'not-scanned': 1 },
    });
    const deniedMarker = await getTarget(world.store.ctx, targetId(denied.target));
    expect(deniedMarker!.kubernetesAccess).toMatchObject({
      state: 'not-scanned',
      step: expect.stringContaining('deploy the member read role to account 777788889999'),
    });
  });

  it('GET /summary lists the unreadable clusters with reason and step; GET /clusters carries the coverage', async () => {
    const call = apiClient(world.store);
    const summary = (await call('GET', '/summary')).json as {
      coverage: { clusters: number; readable: number; ratio: number; unreadable: { name: string; state: string; step?: string }[] };
    };
    expect(summary.coverage).toMatchObject({ clusters: 5, readable: 1, ratio: 0.2 });
    expect(summary.coverage.unreadable.map((u) => `${u.name}:${u.state}`).sort()).toEqual([
      '*:not-scanned',
      'never-onboarded:unauthorized',
      'private:private-no-route',
      'rbac-denied:forbidden-partial',
    ]);
    expect(summary.coverage.unreadable.every((u) => typeof u.step === 'string' && u.step.length > 20)).toBe(true);

    const clusters = (await call('GET', '/clusters', 'kind=cluster')).json as {
      items: { name: string; kubernetesAccess?: { state: string } }[];
      coverage: unknown;
    };
    expect(clusters.coverage).toMatchObject({ clusters: 5, readable: 1, unreadable: 4, byState: { unauthorized: 1 } });
    expect(clusters.items.find((c) => c.name === 'rbac-denied')?.kubernetesAccess?.state).toBe('forbidden-partial');
    const oneAccount = (await call('GET', '/clusters', `account=${MEMBER_ACCOUNT}`)).json as { coverage: { clusters: number } };
    expect(oneAccount.coverage.clusters).toBe(4);
  });
});
