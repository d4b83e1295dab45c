import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetRegistryScanningConfigurationCommand,
} from '@aws-sdk/client-ecr';
import { DescribeClusterCommand, EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { Inspector2Client } from '@aws-sdk/client-inspector2';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AwsClientFactory } from '../../../shared/collectors/aws/clients.js';
import { listActiveAccounts } from '../../../shared/collectors/aws/organizations.js';
import { enabledRegions } from '../../../shared/collectors/aws/regions.js';
import { SessionCache, sessionNameFor } from '../../../shared/collectors/aws/sessions.js';
import { collectAwsTargets } from '../../../shared/collectors/aws/targets.js';

const eksMock = mockClient(EKSClient);
const ecrMock = mockClient(ECRClient);
const ec2Mock = mockClient(EC2Client);
const orgMock = mockClient(OrganizationsClient);
const stsMock = mockClient(STSClient);
const accountMock = mockClient(AccountClient);
const guardDutyMock = mockClient(GuardDutyClient);
const denied = (what = 'x') => Object.assign(new Error(`not authorized to perform: ${what}`), { name: 'AccessDeniedException' });

beforeEach(() => {
  for (const m of [eksMock, ecrMock, ec2Mock, orgMock, stsMock, accountMock, guardDutyMock]) m.reset();
  guardDutyMock.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
  ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [] });
});

/** A factory whose clients remember which account they belong to (the mocks answer per account through `clientAccount`). */
function factory(): AwsClientFactory & { built: string[] } {
  const built: string[] = [];
  const tag = <T extends object>(client: T, account: string, region: string): T => {
    built.push(`${client.constructor.name}:${account}:${region}`);
    clientAccount.set(client, account);
    return client;
  };
  return {
    built,
    eks: (a, r) => tag(new EKSClient({ region: r }), a, r),
    ecr: (a, r) => tag(new ECRClient({ region: r }), a, r),
    ec2: async (a, r) => tag(new EC2Client({ region: r }), a, r),
    inspector: (a, r) => tag(new Inspector2Client({ region: r }), a, r),
    guardDuty: (a, r) => tag(new GuardDutyClient({ region: r }), a, r),
    logs: (a, r) => tag(new CloudWatchLogsClient({ region: r }), a, r),
    iam: (a, r) => tag(new IAMClient({ region: r }), a, r),
    account: (a) => tag(new AccountClient({ region: 'us-east-1' }), a, 'us-east-1'),
    credentials: () => undefined,
  };
}
const clientAccount = new WeakMap<object, string>();

describe('listActiveAccounts', () => {
  it('walks every page and keeps only ACTIVE accounts', async () => {
    orgMock
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({
        Accounts: [
          { Id: '111122223333', Status: 'ACTIVE', Name: 'security' },
          { Id: '222233334444', Status: 'SUSPENDED' },
        ],
        NextToken: 'p2',
      })
      .on(ListAccountsCommand, { NextToken: 'p2' })
      .resolves({
        Accounts: [
          { Id: '444455556666', Status: 'ACTIVE' },
          { Id: '555566667777', Status: 'PENDING_CLOSURE' },
        ],
      });
    expect(await listActiveAccounts(new OrganizationsClient({ region: 'us-east-1' }))).toEqual([
      { id: '111122223333', name: 'security' },
      { id: '444455556666' },
    ]);
    expect(orgMock).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
  });
});

describe('SessionCache', () => {
  const creds = (exp: Date) => ({
    Credentials: { AccessKeyId: 'ASIAEXAMPLEEXAMPLE00', SecretAccessKey: 's', SessionToken: 't', Expiration: exp },
  });

  it('assumes the member role once per account with ExternalId and a hardline session name', async () => {
    stsMock.on(AssumeRoleCommand).resolves(creds(new Date('2026-11-30T13:00:00Z')));
    const cache = new SessionCache(
      new STSClient({ region: 'us-east-1' }),
      { roleName: 'hardline-read', externalId: 'ext-123', sessionName: sessionNameFor('scan-42'), partition: 'aws-us-gov' },
      () => new Date('2026-11-30T12:00:00Z'),
    );
    await Promise.all([cache.credentials('444455556666'), cache.credentials('444455556666'), cache.provider('444455556666')()]);
    expect(stsMock).toHaveReceivedCommandOnce(AssumeRoleCommand);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws-us-gov:iam::444455556666:role/hardline-read',
      ExternalId: 'ext-123',
      RoleSessionName: 'hardline-scan-42',
    });
  });

  it('renews a session about to expire, and does not cache a failure', async () => {
    let now = new Date('2026-11-30T12:00:00Z');
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(creds(new Date('2026-11-30T12:30:00Z')))
      .resolves(creds(new Date('2026-11-30T14:00:00Z')));
    const cache = new SessionCache(new STSClient({ region: 'us-east-1' }), { roleName: 'r', sessionName: 'hardline-x' }, () => now);
    await cache.credentials('444455556666');
    now = new Date('2026-11-30T12:27:00Z'); // 3 minutes left: inside the refresh margin
    expect((await cache.credentials('444455556666')).expiration?.toISOString()).toBe('2026-11-30T14:00:00.000Z');
    expect(stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);

    stsMock.reset();
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDenied' }))
      .resolves(creds(new Date('2026-11-30T14:00:00Z')));
    await expect(cache.credentials('777788889999')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(cache.credentials('777788889999')).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLEEXAMPLE00' });
  });

  it('keeps session names within what STS accepts', () => {
    expect(sessionNameFor('2026-11-30T12:00:00.000Z/weird id')).toMatch(/^hardline-[\w+=,.@-]{1,55}$/);
    expect(sessionNameFor('x'.repeat(100))).toHaveLength(64);
  });
});

describe('enabledRegions', () => {
  it('uses account:ListRegions (ENABLED and ENABLED_BY_DEFAULT)', async () => {
    accountMock.on(ListRegionsCommand).resolves({
      Regions: [
        { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
        { RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' },
      ],
    });
    const r = await enabledRegions({
      account: new AccountClient({ region: 'us-east-1' }),
      ec2: async () => new EC2Client({ region: 'us-east-1' }),
    });
    expect(r).toEqual({ known: true, enabled: new Set(['eu-west-1', 'af-south-1']), source: 'account:ListRegions' });
    expect(accountMock).toHaveReceivedCommandWith(ListRegionsCommand, { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] });
  });

  it('falls back to EC2 DescribeRegions, and says "unknown" when both are denied', async () => {
    accountMock.on(ListRegionsCommand).rejects(denied('account:ListRegions'));
    ec2Mock.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'eu-west-1' }] });
    const clients = { account: new AccountClient({ region: 'us-east-1' }), ec2: async () => new EC2Client({ region: 'us-east-1' }) };
    expect(await enabledRegions(clients)).toMatchObject({ known: true, source: 'ec2:DescribeRegions' });
    ec2Mock.on(DescribeRegionsCommand).rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation' }));
    expect(await enabledRegions(clients)).toMatchObject({ known: false, reason: expect.stringContaining('account:ListRegions') });
  });
});

describe('collectAwsTargets', () => {
  function members(): void {
    eksMock.on(ListClustersCommand).callsFake(async (_i, getClient) => {
      const account = clientAccount.get(getClient());
      if (account === '222233334444') throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return { clusters: account === '111122223333' ? ['good', 'broken'] : ['solo'] };
    });
    eksMock.on(DescribeClusterCommand).callsFake(async (input: { name: string }) => ({
      cluster: { name: input.name, version: '1.33', accessConfig: { authenticationMode: 'API' } },
    }));
    eksMock
      .on(DescribeClusterCommand, { name: 'broken' })
      .rejects(Object.assign(new Error('Internal'), { name: 'ServerException', $fault: 'server' }));
    ecrMock
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [] })
      .on(GetRegistryScanningConfigurationCommand)
      .resolves({ scanningConfiguration: { scanType: 'BASIC', rules: [] } });
  }

  it('gives every (account, region, cluster | registry) its own verdict: a denied role, a disabled region, throttling and a broken cluster never stop the rest', async () => {
    members();
    accountMock.on(ListRegionsCommand).callsFake(async (_i, getClient) => ({
      Regions: [{ RegionName: 'eu-west-1' }, ...(clientAccount.get(getClient()) === '444455556666' ? [] : [{ RegionName: 'ap-east-1' }])],
    }));
    const clients = factory();
    const out = await collectAwsTargets(['111122223333', '222233334444', '333344445555', '444455556666'], {
      clients,
      regions: ['eu-west-1', 'ap-east-1'],
      checkRegionEnablement: true,
      openSession: async (a) => {
        if (a === '333344445555')
          throw Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' });
      },
    });
    const view = out.map((t) =>
      'inventory' in t
        ? `${t.inventory.target.accountId}/${t.inventory.target.region}/${t.inventory.target.kind}/${t.inventory.target.name}: OK`
        : `${t.target.accountId}/${t.target.region}/${t.target.kind}/${t.target.name}: ${t.failure.status}`,
    );
    expect(view.sort()).toEqual(
      [
        '111122223333/eu-west-1/cluster/good: OK',
        '111122223333/eu-west-1/cluster/broken: ERROR',
        '111122223333/eu-west-1/registry/111122223333.dkr.ecr.eu-west-1.amazonaws.com: OK',
        '111122223333/ap-east-1/cluster/good: OK',
        '111122223333/ap-east-1/cluster/broken: ERROR',
        '111122223333/ap-east-1/registry/111122223333.dkr.ecr.ap-east-1.amazonaws.com: OK',
        '222233334444/eu-west-1/cluster/*: UNKNOWN',
        '222233334444/eu-west-1/registry/222233334444.dkr.ecr.eu-west-1.amazonaws.com: OK',
        '222233334444/ap-east-1/cluster/*: UNKNOWN',
        '222233334444/ap-east-1/registry/222233334444.dkr.ecr.ap-east-1.amazonaws.com: OK',
        '333344445555/eu-west-1/cluster/*: UNKNOWN',
        '333344445555/eu-west-1/registry/333344445555.dkr.ecr.eu-west-1.amazonaws.com: UNKNOWN',
        '333344445555/ap-east-1/cluster/*: UNKNOWN',
        '333344445555/ap-east-1/registry/333344445555.dkr.ecr.ap-east-1.amazonaws.com: UNKNOWN',
        '444455556666/eu-west-1/cluster/solo: OK',
        '444455556666/eu-west-1/registry/444455556666.dkr.ecr.eu-west-1.amazonaws.com: OK',
        '444455556666/ap-east-1/cluster/*: UNKNOWN',
        '444455556666/ap-east-1/registry/444455556666.dkr.ecr.ap-east-1.amazonaws.com: UNKNOWN',
      ].sort(),
    );
    const reasons = Object.fromEntries(
      out.flatMap((t) => ('failure' in t ? [[`${t.target.accountId}/${t.target.region}/${t.target.kind}`, t.failure.reason]] : [])),
    );
    expect(reasons['222233334444/eu-west-1/cluster']).toMatch(/ListClusters.*ThrottlingException/);
    expect(reasons['333344445555/eu-west-1/registry']).toMatch(/cannot assume the scanner role.*AccessDenied/);
    expect(reasons['444455556666/ap-east-1/cluster']).toMatch(/region ap-east-1 is not enabled in account 444455556666/);
    expect(reasons['111122223333/eu-west-1/cluster']).toMatch(/DescribeCluster broken/);
    // A role that cannot be assumed is not probed any further.
    expect(clients.built.filter((b) => b.includes('333344445555'))).toEqual([]);
  });

  it('bounds the targets in flight per account', async () => {
    let inFlight = 0;
    let peak = 0;
    eksMock.on(ListClustersCommand).resolves({ clusters: Array.from({ length: 12 }, (_, i) => `c${i}`) });
    eksMock.on(DescribeClusterCommand).callsFake(async (input: { name: string }) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      throw denied(`eks:DescribeCluster ${input.name}`);
    });
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [] });
    const out = await collectAwsTargets(['111122223333'], { clients: factory(), regions: ['eu-west-1'], targetConcurrency: 3 });
    expect(out.filter((t) => 'failure' in t && t.failure.status === 'UNKNOWN')).toHaveLength(12);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });
});
