import { ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { ListAccountsCommand } from '@aws-sdk/client-organizations';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ResultSet } from '../../shared/engine/results.js';
import { summarize } from '../../shared/engine/report.js';
import { discoverTargets, INLINE_MAX_TARGETS, INLINE_TARGETS_BUDGET_BYTES, targetsKeyOf } from '../../shared/pipeline/discover.js';
import { outcomeOf } from '../../shared/pipeline/scan-target.js';
import { sumChanges } from '../../shared/pipeline/summarize.js';
import type { DiscoveredTarget } from '../../shared/pipeline/types.js';
import { getRun } from '../../shared/store/run.js';
import {
  awsWorld,
  BUCKET,
  DENIED_ACCOUNT,
  fakeS3,
  MEMBER_ACCOUNT,
  mocks,
  resetMocks,
  SCANNER_ACCOUNT,
  startTestPipeline,
  type TestPipeline,
} from './support.js';

let world: TestPipeline;
beforeAll(async () => (world = await startTestPipeline()));
afterAll(async () => world.dispose());
beforeEach(() => resetMocks());

const started = '2026-11-24T03:00:00.000Z';
const names = (items: readonly DiscoveredTarget[]) =>
  items
    .map((i) => `${i.target.kind}:${i.target.accountId}/${i.target.region}/${i.target.name}${i.failure ? ` ${i.failure.status}` : ''}`)
    .sort();

describe('discover', () => {
  it('account mode: assumes the member role with the ExternalId, lists clusters and the registry, writes the targets to S3 and opens the run', async () => {
    awsWorld([{ name: 'prod' }, { name: 'staging' }]);
    const s3 = fakeS3();
    const out = await discoverTargets({ scanId: 'run-1', startedAt: started }, world.deps());

    expect(out).toMatchObject({
      scanId: 'run-1',
      startedAt: started,
      targetCount: 3,
      knownAccounts: [MEMBER_ACCOUNT],
      targetsKey: targetsKeyOf('run-1'),
    });
    expect(out.items).toBeUndefined();
    const written = JSON.parse(s3.get(`${BUCKET}/${targetsKeyOf('run-1')}`)!) as DiscoveredTarget[];
    expect(names(written)).toEqual([
      `cluster:${MEMBER_ACCOUNT}/eu-west-1/prod`,
      `cluster:${MEMBER_ACCOUNT}/eu-west-1/staging`,
      `registry:${MEMBER_ACCOUNT}/eu-west-1/${MEMBER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
    ]);
    expect(mocks.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${MEMBER_ACCOUNT}:role/hardline-read`,
      ExternalId: 'hardline-test-external-id',
    });
    expect(mocks.org).toHaveReceivedCommandTimes(ListAccountsCommand, 0);
    const run = await getRun(world.store.ctx, 'run-1');
    expect(run).toMatchObject({ entity: 'scan', status: 'RUNNING', startedAt: started, framework: 'all' });
  });

  it('organisation mode: every ACTIVE account; a denied AssumeRole and a disabled region become targets that carry their failure', async () => {
    awsWorld([{ name: 'prod' }], { regions: ['eu-west-1'] });
    mocks.org.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: SCANNER_ACCOUNT, Status: 'ACTIVE' },
        { Id: MEMBER_ACCOUNT, Status: 'ACTIVE' },
        { Id: DENIED_ACCOUNT, Status: 'ACTIVE' },
        { Id: '999900001111', Status: 'SUSPENDED' },
      ],
    });
    // ap-south-2 is an opt-in region none of the accounts enabled.
    mocks.account.on(ListRegionsCommand).resolves({ Regions: [{ RegionName: 'eu-west-1' }, { RegionName: 'us-east-1' }] });
    fakeS3();
    const deps = world.deps({
      HARDLINE_ORG_MODE: 'organization',
      HARDLINE_ACCOUNT_ID: undefined,
      HARDLINE_REGIONS: 'eu-west-1,ap-south-2',
    });
    const out = await discoverTargets({ scanId: 'run-org', startedAt: started }, deps);

    expect(out.knownAccounts).toEqual([SCANNER_ACCOUNT, MEMBER_ACCOUNT, DENIED_ACCOUNT]);
    const items = JSON.parse(mocks.s3.commandCalls(PutObjectCommand)[0]!.args[0].input.Body as string) as DiscoveredTarget[];
    const denied = items.filter((i) => i.target.accountId === DENIED_ACCOUNT);
    expect(denied).toHaveLength(4); // 2 regions × (all clusters + registry)
    for (const d of denied) {
      expect(d.failure).toMatchObject({ status: 'UNKNOWN' });
      expect(d.failure!.reason).toMatch(/cannot assume the member role hardline-read.*AccessDenied/);
    }
    const offRegion = items.filter((i) => i.target.accountId === MEMBER_ACCOUNT && i.target.region === 'ap-south-2');
    expect(offRegion.map((i) => i.failure?.reason)).toEqual([
      expect.stringMatching(/region ap-south-2 is not enabled/),
      expect.stringMatching(/region ap-south-2 is not enabled/),
    ]);
    const scannable = items.filter((i) => !i.failure);
    expect(names(scannable)).toEqual([
      `cluster:${SCANNER_ACCOUNT}/eu-west-1/prod`,
      `cluster:${MEMBER_ACCOUNT}/eu-west-1/prod`,
      `registry:${SCANNER_ACCOUNT}/eu-west-1/${SCANNER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
      `registry:${MEMBER_ACCOUNT}/eu-west-1/${MEMBER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
    ]);
    // The scanner account is read through its member role too, never with the Lambda's own role.
    expect(mocks.sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${SCANNER_ACCOUNT}:role/hardline-read` });
    expect(out.targetCount).toBe(items.length);
  });

  it("a ListClusters failure marks the region's clusters, the registry is still listed", async () => {
    awsWorld([]);
    mocks.eks.on(ListClustersCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const out = await discoverTargets(
      { scanId: 'run-throttled', startedAt: started },
      world.deps({ HARDLINE_MAP_MODE: 'inline', HARDLINE_RUNS_BUCKET: undefined }),
    );
    expect(out.targetsKey).toBeUndefined();
    expect(out.items).toEqual([
      {
        target: { kind: 'cluster', accountId: MEMBER_ACCOUNT, region: 'eu-west-1', name: '*' },
        failure: { status: 'UNKNOWN', reason: expect.stringMatching(/ListClusters in 444455556666\/eu-west-1: ThrottlingException/) },
      },
      {
        target: {
          kind: 'registry',
          accountId: MEMBER_ACCOUNT,
          region: 'eu-west-1',
          name: `${MEMBER_ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`,
        },
      },
    ]);
  });

  it('region enablement falls back to EC2 DescribeRegions when account:ListRegions is denied', async () => {
    awsWorld([{ name: 'prod' }]);
    mocks.account.on(ListRegionsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    mocks.ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1' }] });
    const out = await discoverTargets({ scanId: 'run-ec2', startedAt: started }, world.deps({ HARDLINE_MAP_MODE: 'inline' }));
    expect(out.items!.every((i) => i.failure?.reason.includes('ec2:DescribeRegions'))).toBe(true);
  });

  it('the organisation cannot be listed: the run fails with the reason (nothing to scan is not "no findings")', async () => {
    mocks.org
      .on(ListAccountsCommand)
      .rejects(Object.assign(new Error('not a management account'), { name: 'AWSOrganizationsNotInUseException' }));
    await expect(
      discoverTargets({ scanId: 'run-noorg', startedAt: started }, world.deps({ HARDLINE_ORG_MODE: 'organization' })),
    ).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/cannot list the organisation's accounts.*AWSOrganizationsNotInUseException/),
    });
  });

  it('inline mode refuses more targets than the state can carry, naming the fix', async () => {
    awsWorld([]);
    mocks.eks
      .on(ListClustersCommand)
      .resolves({ clusters: Array.from({ length: 1200 }, (_, i) => `cluster-with-a-long-name-${String(i).padStart(5, '0')}`) });
    const deps = world.deps({ HARDLINE_MAP_MODE: 'inline' });
    await expect(discoverTargets({ scanId: 'run-big', startedAt: started }, deps)).rejects.toThrow(
      /do not fit the inline map; deploy with mapMode 'distributed'/,
    );
    // Targets plus one outcome per target (with its counts) must fit the 256 KB state.
    const outcome = outcomeOf(
      {
        kind: 'cluster',
        accountId: MEMBER_ACCOUNT,
        region: 'ap-southeast-2',
        name: 'x'.repeat(100),
        arn: `arn:aws:eks:ap-southeast-2:${MEMBER_ACCOUNT}:cluster/${'x'.repeat(100)}`,
        status: 'PARTIAL',
        reason: 'could not read ClusterRole, Role, NetworkPolicy, ConfigMap, Namespace, …',
        resources: 123456,
        gaps: 99,
      },
      true,
      { summary: summarize(ResultSet.empty()), changes: sumChanges([]) },
    );
    expect(INLINE_TARGETS_BUDGET_BYTES + INLINE_MAX_TARGETS * JSON.stringify(outcome).length).toBeLessThan(250 * 1024);
  });

  it('missing settings are configuration errors that name the variable', async () => {
    await expect(discoverTargets({ scanId: 'r', startedAt: started }, world.deps({ HARDLINE_REGIONS: undefined }))).rejects.toThrow(
      /HARDLINE_REGIONS is not set/,
    );
    await expect(discoverTargets({ scanId: 'r', startedAt: started }, world.deps({ HARDLINE_RUNS_BUCKET: undefined }))).rejects.toThrow(
      /HARDLINE_RUNS_BUCKET is required/,
    );
  });
});
