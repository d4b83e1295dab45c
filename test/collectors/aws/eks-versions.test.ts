import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectEksCluster } from '../../../shared/collectors/aws/eks-cluster.js';
import { clusterVersionsFor, describeClusterVersions, type ClusterVersionCache } from '../../../shared/collectors/aws/eks-versions.js';

const eksMock = mockClient(EKSClient);
mockClient(EC2Client);
mockClient(GuardDutyClient).on(ListDetectorsCommand).resolves({ DetectorIds: [] });
const eks = new EKSClient({ region: 'eu-west-1' });
const utc = (d: string) => new Date(`${d}T00:00:00Z`);

function versionsAnswer(): void {
  eksMock
    .on(DescribeClusterVersionsCommand, { nextToken: undefined })
    .resolves({
      clusterVersions: [
        {
          clusterVersion: '1.36',
          clusterType: 'eks',
          releaseDate: utc('2026-05-20'),
          endOfStandardSupportDate: utc('2027-07-20'),
          endOfExtendedSupportDate: utc('2028-07-20'),
          status: 'standard-support',
        },
        // A version without dates (not yet scheduled) is left out rather than guessed.
        { clusterVersion: '1.37', clusterType: 'eks', status: 'standard-support' },
      ],
      nextToken: 'more',
    })
    .on(DescribeClusterVersionsCommand, { nextToken: 'more' })
    .resolves({
      clusterVersions: [
        {
          clusterVersion: '1.28',
          releaseDate: utc('2023-09-26'),
          endOfStandardSupportDate: utc('2024-11-26'),
          endOfExtendedSupportDate: utc('2025-11-26'),
          status: 'unsupported',
        },
      ],
    });
}

beforeEach(() => eksMock.reset());

describe('EKS versions from DescribeClusterVersions', () => {
  it('reads every page (all statuses) into the table shape, dates as UTC days', async () => {
    versionsAnswer();
    expect(await describeClusterVersions(eks)).toEqual([
      { version: '1.36', release: '2026-05-20', endOfStandardSupport: '2027-07-20', endOfExtendedSupport: '2028-07-20' },
      { version: '1.28', release: '2023-09-26', endOfStandardSupport: '2024-11-26', endOfExtendedSupport: '2025-11-26' },
    ]);
    expect(eksMock).toHaveReceivedCommandWith(DescribeClusterVersionsCommand, { clusterType: 'eks', includeAll: true });
  });

  it('asks once per cache; a failure is not cached and leaves the table to decide', async () => {
    const cache: ClusterVersionCache = {};
    eksMock
      .on(DescribeClusterVersionsCommand)
      .rejects(Object.assign(new Error('not authorized to perform: eks:DescribeClusterVersions'), { name: 'AccessDeniedException' }));
    expect(await clusterVersionsFor(eks, cache)).toBeUndefined();
    expect(cache.versions).toBeUndefined();
    eksMock.reset();
    versionsAnswer();
    await Promise.all([clusterVersionsFor(eks, cache), clusterVersionsFor(eks, cache), clusterVersionsFor(eks, cache)]);
    expect((await clusterVersionsFor(eks, cache))?.map((v) => v.version)).toEqual(['1.36', '1.28']);
    expect(eksMock).toHaveReceivedCommandTimes(DescribeClusterVersionsCommand, 2); // the two pages, once
  });

  it('the cluster collection carries them to the control; without them the inventory has none (no gap: the table decides)', async () => {
    eksMock
      .on(DescribeClusterCommand)
      .resolves({ cluster: { name: 'prod', version: '1.36', resourcesVpcConfig: {} } })
      .on(ListNodegroupsCommand)
      .resolves({ nodegroups: [] })
      .on(ListAddonsCommand)
      .resolves({ addons: [] })
      .on(ListAccessEntriesCommand)
      .resolves({ accessEntries: [] });
    versionsAnswer();
    const others = {
      ec2: async () => new EC2Client({ region: 'eu-west-1' }),
      guardDuty: new GuardDutyClient({ region: 'eu-west-1' }),
      logs: new CloudWatchLogsClient({ region: 'eu-west-1' }),
      iam: new IAMClient({ region: 'eu-west-1' }),
    };
    const got = await collectEksCluster({ eks, ...others }, 'prod', { clusterVersionCache: {} });
    expect(got.eks.clusterVersions?.map((v) => v.version)).toEqual(['1.36', '1.28']);
    eksMock.on(DescribeClusterVersionsCommand).rejects(new Error('boom'));
    const without = await collectEksCluster({ eks, ...others }, 'prod', { clusterVersionCache: {} });
    expect(without.eks.clusterVersions).toBeUndefined();
    expect(without.gaps).toEqual([]);
  });
});
