import { DescribeClusterCommand, DescribeNodegroupCommand, ListClustersCommand, ListNodegroupsCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discoverTargets } from '../../shared/pipeline/discover.js';
import type { RescanExecutionInput } from '../../shared/pipeline/rescan-input.js';
import { scanClusterStep, scanRegistryStep } from '../../shared/pipeline/scan-target.js';
import { summarizeRun } from '../../shared/pipeline/summarize.js';
import type { DiscoverOutput, RunSummary, TargetOutcome } from '../../shared/pipeline/types.js';
import { MAX_FOLLOW_UPS } from '../../shared/pipeline/follow-up.js';
import { targetId } from '../../shared/store/keys.js';
import { getTarget } from '../../shared/store/target-marker.js';
import { K8sApiServer } from '../support/k8s-api-server.js';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import {
  awsWorld,
  denied,
  MEMBER_ACCOUNT,
  mocks,
  PRIVILEGED_DEPLOYMENT,
  orgAccounts,
  resetMocks,
  startTestPipeline,
  type TestPipeline,
} from './support.js';

/**
 * A rescan through the pipeline's own steps (inline map): discover with the execution input
 * looks only at the named targets — no listing — and tells deleted, settling and scannable apart;
 * summarize judges no absence from it; concurrent runs of one target are ordered by the claim.
 */
let world: TestPipeline;
let api: K8sApiServer;
let n = 0;
const at = () => new Date(Date.parse('2026-12-01T03:00:00Z') + ++n * 3_600_000).toISOString();
const spec = (name: string, publicEndpoint = true) => ({ name, endpoint: api.url(name), caData: api.caData, publicEndpoint });
const tid = (name: string) => targetId({ kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name });
const cluster = (name: string) => ({ kind: 'cluster' as const, accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name });

beforeAll(async () => {
  world = await startTestPipeline();
  api = await K8sApiServer.start();
  for (const name of ['alpha', 'beta', 'gone']) api.addCluster(name, { objects: [PRIVILEGED_DEPLOYMENT] });
});
afterAll(async () => {
  await api.close();
  await world.dispose();
});
beforeEach(() => resetMocks());

/** One execution: discover (with the execution input) → scan steps → summarize. */
async function execution(
  request: RescanExecutionInput | undefined,
  opts: { startedAt?: string; queue?: { body: string; delay: number }[] } = {},
): Promise<{ found: DiscoverOutput; summary: RunSummary }> {
  const deps = world.deps({ HARDLINE_MAP_MODE: 'inline' });
  if (opts.queue) deps.rescanQueue = { send: async (body, delay) => void opts.queue!.push({ body, delay }) };
  const start = { scanId: `targeted-${++n}`, startedAt: opts.startedAt ?? at() };
  const found = await discoverTargets({ ...start, ...(request ? { request } : {}) }, deps);
  const outcomes: TargetOutcome[] = [];
  for (const item of found.items!) {
    if (item.failure) {
      outcomes.push({
        target: item.target,
        status: item.failure.status,
        reason: item.failure.reason,
        resources: 0,
        gaps: 0,
        recorded: false,
      });
      continue;
    }
    const input = { ...start, knownAccounts: found.knownAccounts, item };
    outcomes.push(await (item.target.kind === 'cluster' ? scanClusterStep(input, deps) : scanRegistryStep(input, deps)));
  }
  return { found, summary: await summarizeRun({ ...start, ...found, items: found.items!, map: outcomes }, deps) };
}

describe('a rescan through the pipeline', () => {
  it('scans the named targets only, lists nothing, and judges no other cluster absent', async () => {
    awsWorld([spec('alpha'), spec('beta'), spec('gone')]);
    await execution(undefined);
    // beta is no longer listed; a rescan of alpha must not count that.
    resetMocks();
    awsWorld([spec('alpha')]);
    // With the region's registry in it, a rescan looks like a listing of that region naming alpha alone.
    const { found, summary } = await execution({
      targets: [cluster('alpha'), { kind: 'registry', accountId: MEMBER_ACCOUNT, region: 'eu-west-1' }],
    });
    expect(found).toMatchObject({ targeted: true, targetCount: 2 });
    expect(found.items!.map((i) => i.target.kind)).toEqual(['cluster', 'registry']);
    expect(mocks.eks.commandCalls(ListClustersCommand)).toHaveLength(0);
    expect(summary).toMatchObject({ targeted: true, targets: 2, deletedTargets: { absent: 0, deleted: 0, resolvedFindings: 0 } });
    expect((await getTarget(world.store.ctx, tid('beta')))!.absentRuns).toBeUndefined();
  });

  it('targets outside the deployment (another account, an unscanned region) are neither scanned nor recorded', async () => {
    awsWorld([spec('alpha')]);
    const { found } = await execution({
      targets: [
        { ...cluster('alpha'), accountId: '999988887777' },
        { kind: 'registry', accountId: MEMBER_ACCOUNT, region: 'ap-south-1' },
      ],
    });
    expect(found.items).toEqual([]);
    expect(found.rejectedTargets).toEqual([`cluster|999988887777|eu-west-1|alpha`, `registry|${MEMBER_ACCOUNT}|ap-south-1|`]);
    expect(mocks.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('a denied AssumeRole makes the named target UNKNOWN with the reason, as in a full run', async () => {
    awsWorld([spec('alpha')]);
    mocks.sts.on(AssumeRoleCommand).rejects(denied('not authorized to perform: sts:AssumeRole'));
    const { found, summary } = await execution({ targets: [cluster('alpha')] });
    expect(found.items).toEqual([
      { target: cluster('alpha'), failure: { status: 'UNKNOWN', reason: expect.stringContaining('cannot assume the member role') } },
    ]);
    expect(summary.byTargetStatus.UNKNOWN).toBe(1);
  });

  it('a cluster UPDATING, or with a nodegroup UPDATING, goes back to the queue with the attempt counted; out of attempts it is scanned as it is', async () => {
    awsWorld([spec('alpha')]);
    mocks.eks.on(DescribeClusterCommand, { name: 'alpha' }).resolves({ cluster: { name: 'alpha', status: 'UPDATING' } });
    const queue: { body: string; delay: number }[] = [];
    const first = await execution({ targets: [cluster('alpha')], reason: 'UpdateClusterConfig' }, { queue });
    expect(first.found).toMatchObject({ targetCount: 0, settlingTargets: 1 });
    expect(queue).toHaveLength(1);
    expect(queue[0]!.delay).toBe(30);
    expect(JSON.parse(queue[0]!.body)).toEqual({
      'detail-type': 'Rescan Requested',
      source: 'hardline.rescan',
      detail: { targets: [cluster('alpha')], attempt: 1, reason: 'UpdateClusterConfig; cluster alpha is UPDATING: follow-up 1' },
    });
    const last = await execution({ targets: [cluster('alpha')], attempt: MAX_FOLLOW_UPS }, { queue });
    expect(last.found.items!.map((i) => i.target.name)).toEqual(['alpha']);
    expect(queue).toHaveLength(1);

    resetMocks();
    awsWorld([spec('alpha')]);
    mocks.eks.on(ListNodegroupsCommand).resolves({ nodegroups: ['workers'] });
    mocks.eks.on(DescribeNodegroupCommand).resolves({ nodegroup: { nodegroupName: 'workers', status: 'UPDATING' } });
    const ng = await execution({ targets: [cluster('alpha')] }, { queue });
    expect(ng.found.settlingTargets).toBe(1);
    expect(JSON.parse(queue[1]!.body).detail.reason).toMatch(/nodegroup alpha\/workers is UPDATING/);
  });

  it('DescribeCluster ResourceNotFound → its findings resolve at once as target-deleted; a cluster never saved is nothing to resolve', async () => {
    awsWorld([spec('alpha'), spec('beta'), spec('gone')]);
    await execution(undefined);
    const open = (await world.store.findings({ cluster: ['gone'], state: ['OPEN'] }, { limit: 100 })).items;
    expect(open.length).toBeGreaterThan(0);
    resetMocks();
    awsWorld([spec('alpha'), spec('beta')]);
    mocks.eks
      .on(DescribeClusterCommand, { name: 'gone' })
      .rejects(Object.assign(new Error('No cluster found for name: gone.'), { name: 'ResourceNotFoundException' }));
    mocks.eks
      .on(DescribeClusterCommand, { name: 'never' })
      .rejects(Object.assign(new Error('No cluster found for name: never.'), { name: 'ResourceNotFoundException' }));
    const { found, summary } = await execution({ targets: [cluster('gone'), cluster('never')] });
    expect(found.items).toEqual([]);
    expect(found.deletedTargets!.map((t) => t.name)).toEqual(['gone', 'never']);
    expect(summary.deletedTargets).toEqual({ absent: 0, deleted: 1, resolvedFindings: open.length });
    const after = (await world.store.findings({ cluster: ['gone'], state: ['OPEN', 'RESOLVED'] }, { limit: 100 })).items;
    expect(after.map((f) => `${f.state}/${f.resolvedReason}`)).toEqual(open.map(() => 'RESOLVED/target-deleted'));
    expect((await world.store.findings({ cluster: ['alpha'], state: ['OPEN'] }, { limit: 100 })).items.length).toBeGreaterThan(0);
  });

  it('organisation mode: a burst of rescans lists the accounts once per quarter hour, not once each', async () => {
    awsWorld([spec('alpha')]);
    orgAccounts([MEMBER_ACCOUNT, '123412341234']);
    let clock = Date.parse('2026-12-10T10:00:00Z');
    const deps = world.deps(
      { HARDLINE_MAP_MODE: 'inline', HARDLINE_ORG_MODE: 'organization', HARDLINE_ACCOUNT_ID: undefined },
      () => new Date(clock),
    );
    const rescan = async () => {
      const startedAt = new Date(clock).toISOString();
      return discoverTargets(
        {
          scanId: `org-rescan-${++n}`,
          startedAt,
          request: { targets: [{ kind: 'registry', accountId: MEMBER_ACCOUNT, region: 'eu-west-1' }] },
        },
        deps,
      );
    };
    for (let i = 0; i < 5; i++) {
      expect((await rescan()).knownAccounts.sort()).toEqual(['123412341234', MEMBER_ACCOUNT]);
      clock += 60_000;
    }
    expect(mocks.org.commandCalls(ListAccountsCommand)).toHaveLength(1);
    clock += 15 * 60_000;
    await rescan();
    expect(mocks.org.commandCalls(ListAccountsCommand)).toHaveLength(2);
  });

  it('concurrent runs of one cluster: the one that started later wins, whichever saves last; the older save changes nothing', async () => {
    const t1 = at();
    const t2 = at();
    // The later run sees the endpoint restricted and saves first.
    awsWorld([spec('beta', false)]);
    const later = await execution({ targets: [cluster('beta')] }, { startedAt: t2 });
    expect(later.summary.changes.supersededTargets).toBe(0);
    const afterLater = (
      await world.store.findings({ cluster: ['beta'], control: ['eks.endpoint-public-access'], state: ['OPEN', 'RESOLVED'] }, { limit: 10 })
    ).items;
    // The earlier run (a scheduled run still going, or a slower rescan) read the public endpoint and saves after it.
    resetMocks();
    awsWorld([spec('beta', true)]);
    const earlier = await execution({ targets: [cluster('beta')] }, { startedAt: t1 });
    expect(earlier.summary.changes.supersededTargets).toBe(1);
    expect(earlier.summary.changes.opened + earlier.summary.changes.resolved + earlier.summary.changes.reopened).toBe(0);
    const afterEarlier = (
      await world.store.findings({ cluster: ['beta'], control: ['eks.endpoint-public-access'], state: ['OPEN', 'RESOLVED'] }, { limit: 10 })
    ).items;
    expect(afterEarlier).toEqual(afterLater);
    expect((await getTarget(world.store.ctx, tid('beta')))!.lastScanStartedAt).toBe(t2);
  });
});
