import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { streamRecordSchema } from '../../shared/events/stream.js';
import { eventForRecord } from '../../shared/events/transitions.js';
import { discoverTargets } from '../../shared/pipeline/discover.js';
import { scanClusterStep, scanRegistryStep } from '../../shared/pipeline/scan-target.js';
import { summarizeRun } from '../../shared/pipeline/summarize.js';
import type { RunSummary, TargetOutcome } from '../../shared/pipeline/types.js';
import type { FindingItem } from '../../shared/store/items.js';
import { targetId } from '../../shared/store/keys.js';
import { getTarget } from '../../shared/store/target-marker.js';
import { eventValidator } from '../events/schema-validator.js';
import { streamRecord } from '../events/stream-records.js';
import { K8sApiServer } from '../support/k8s-api-server.js';
import {
  awsWorld,
  denied,
  MEMBER_ACCOUNT,
  mocks,
  PRIVILEGED_DEPLOYMENT,
  resetMocks,
  startTestPipeline,
  type ClusterSpec,
  type TestPipeline,
} from './support.js';

/**
 * Deleted clusters through the pipeline's own steps (discover → scan steps → summarize, inline
 * map): a cluster missing from one listing is only absent; missing from the next one too, its
 * findings resolve with reason target-deleted. A run that cannot read the account proves nothing.
 */
let world: TestPipeline;
let api: K8sApiServer;

beforeAll(async () => {
  world = await startTestPipeline();
  api = await K8sApiServer.start();
  for (const name of ['stays', 'doomed', 'flaky']) api.addCluster(name, { objects: [PRIVILEGED_DEPLOYMENT] });
});
afterAll(async () => {
  await api.close();
  await world.dispose();
});
beforeEach(() => resetMocks());

const spec = (name: string): ClusterSpec => ({ name, endpoint: api.url(name), caData: api.caData });
const tid = (name: string) => targetId({ kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name });
let runs = 0;

/** One scheduled run over the clusters the account lists now; `deny` makes its AssumeRole fail. */
async function run(clusters: string[], opts: { deny?: boolean; noRepositories?: boolean } = {}): Promise<RunSummary> {
  runs++;
  awsWorld(clusters.map(spec));
  if (opts.noRepositories) mocks.ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [] });
  if (opts.deny) mocks.sts.on(AssumeRoleCommand).rejects(denied('not authorized to perform: sts:AssumeRole'));
  const deps = world.deps({ HARDLINE_MAP_MODE: 'inline' });
  const start = { scanId: `deletion-${runs}`, startedAt: new Date(Date.parse('2026-11-20T03:00:00Z') + runs * 86_400_000).toISOString() };
  const found = await discoverTargets(start, deps);
  const outcomes: TargetOutcome[] = [];
  for (const item of found.items!) {
    const input = { ...start, knownAccounts: found.knownAccounts, item };
    outcomes.push(await (item.target.kind === 'cluster' ? scanClusterStep(input, deps) : scanRegistryStep(input, deps)));
  }
  return summarizeRun({ ...start, targetCount: found.targetCount, items: found.items!, map: outcomes }, deps);
}

const findingsOf = async (name: string) =>
  (await world.store.findings({ cluster: [name], state: ['OPEN', 'RESOLVED'] }, { limit: 100 })).items;

describe('deleted clusters', () => {
  it('absent from one listing: nothing resolves; absent from the second in a row: every open finding resolves with reason target-deleted', async () => {
    await run(['stays', 'doomed', 'flaky']);
    const open = (await findingsOf('doomed')).filter((f) => f.state === 'OPEN');
    expect(open.length).toBeGreaterThan(0);

    const first = await run(['stays', 'flaky']);
    expect(first.deletedTargets).toEqual({ absent: 1, deleted: 0, resolvedFindings: 0 });
    expect((await findingsOf('doomed')).every((f) => f.state === 'OPEN')).toBe(true);
    expect(await getTarget(world.store.ctx, tid('doomed'))).toMatchObject({ absentRuns: 1, absentSince: expect.any(String) });

    const second = await run(['stays', 'flaky']);
    expect(second.deletedTargets).toEqual({ absent: 0, deleted: 1, resolvedFindings: open.length });
    expect(second.changes.resolved).toBeGreaterThanOrEqual(open.length);
    const after = await findingsOf('doomed');
    expect(after.map((f) => `${f.state}/${f.resolvedReason}`)).toEqual(open.map(() => 'RESOLVED/target-deleted'));
    const marker = await getTarget(world.store.ctx, tid('doomed'));
    expect(marker).toMatchObject({ deletedAt: expect.any(String), counts: { byState: { OPEN: 0 } } });
    // The history says why, and the clusters that stayed are untouched.
    const history = await world.store.finding(open[0]!.findingId);
    expect(history!.history.at(-1)).toMatchObject({ event: 'RESOLVED', reason: 'target-deleted' });
    expect((await findingsOf('stays')).every((f) => f.state === 'OPEN')).toBe(true);
    // A deleted cluster no longer counts in the fleet's coverage.
    const coverage = (await world.store.summary()).coverage;
    expect(coverage.clusters).toBe(2);
    // A third run does not resolve anything twice.
    expect((await run(['stays', 'flaky'])).deletedTargets).toEqual({ absent: 0, deleted: 0, resolvedFindings: 0 });
  });

  it('the stream turns the change into a Finding Resolved event with resolvedReason, valid against the published schema', async () => {
    const [resolved] = await findingsOf('doomed');
    const after = (
      await world.store.ctx.doc.send(
        new GetCommand({ TableName: world.store.ctx.table, Key: { PK: `FINDING#${resolved!.findingId}`, SK: 'CURRENT' } }),
      )
    ).Item as FindingItem;
    const before: FindingItem = { ...after, state: 'OPEN', version: after.version - 1 };
    delete before.resolvedAt;
    delete before.resolvedReason;
    const event = eventForRecord(streamRecordSchema.parse(streamRecord(after, before)));
    expect(event).toMatchObject({
      detailType: 'Finding Resolved',
      detail: { resolvedReason: 'target-deleted', state: 'RESOLVED', previousState: 'OPEN' },
    });
    const validate = eventValidator('Finding Resolved');
    const delivered = {
      version: '0',
      id: 'x',
      'detail-type': 'Finding Resolved',
      source: 'hardline',
      account: '999988887777',
      time: '2026-11-30T12:00:00Z',
      region: 'eu-west-1',
      resources: event!.resources,
      detail: event!.detail,
    };
    expect(validate(delivered), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a run that cannot read the account ends the streak; a cluster listed again ends it too', async () => {
    expect((await run(['stays'])).deletedTargets.absent).toBe(1); // flaky is absent once
    await run(['stays'], { deny: true });
    expect((await getTarget(world.store.ctx, tid('flaky')))!.absentRuns).toBeUndefined();
    // Absent again: that is the first absence of a new streak, so nothing resolves.
    const again = await run(['stays']);
    expect(again.deletedTargets).toEqual({ absent: 1, deleted: 0, resolvedFindings: 0 });
    expect((await findingsOf('flaky')).every((f) => f.state === 'OPEN')).toBe(true);
    await run(['stays', 'flaky']);
    expect((await getTarget(world.store.ctx, tid('flaky')))!.absentRuns).toBeUndefined();
    expect((await run(['stays'])).deletedTargets.absent).toBe(1);
  });

  it('a failed ListClusters is not a listing: nothing counts as absent', async () => {
    awsWorld([spec('stays')]);
    const before = (await getTarget(world.store.ctx, tid('flaky')))!.absentRuns;
    mocks.eks.on(ListClustersCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    runs++;
    const deps = world.deps({ HARDLINE_MAP_MODE: 'inline' });
    const start = { scanId: `deletion-${runs}`, startedAt: new Date(Date.parse('2026-11-20T03:00:00Z') + runs * 86_400_000).toISOString() };
    const found = await discoverTargets(start, deps);
    expect(found.items!.some((i) => i.target.name === '*')).toBe(true);
    const out = await summarizeRun({ ...start, items: found.items!, map: [] }, deps);
    expect(out.deletedTargets).toEqual({ absent: 0, deleted: 0, resolvedFindings: 0 });
    expect((await getTarget(world.store.ctx, tid('flaky')))!.absentRuns).toBeUndefined();
    expect(before).toBe(1);
  });

  it('a deleted repository resolves with the next complete registry read: a resource gone, not a target', async () => {
    await run(['stays']);
    const registry = (await world.store.findings({ control: ['ecr.tag-immutability'], state: ['OPEN'] }, { limit: 10 })).items;
    expect(registry.map((f) => f.resource.name)).toEqual(['shop/web']);
    await run(['stays'], { noRepositories: true });
    const after = await world.store.finding(registry[0]!.findingId);
    expect(after!.finding).toMatchObject({ state: 'RESOLVED' });
    expect(after!.finding.resolvedReason).toBeUndefined();
  });
});
