import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeAddonCommand,
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListAssociatedAccessPoliciesCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddonVersionCache } from '../../../shared/collectors/aws/eks-addons.js';
import { collectEksCluster, listClusterNames } from '../../../shared/collectors/aws/eks-cluster.js';

const eksMock = mockClient(EKSClient);
const ec2Mock = mockClient(EC2Client);
const guardDutyMock = mockClient(GuardDutyClient);
const clients = () => ({
  eks: new EKSClient({ region: 'eu-west-1' }),
  ec2: async () => new EC2Client({ region: 'eu-west-1' }),
  guardDuty: new GuardDutyClient({ region: 'eu-west-1' }),
  logs: new CloudWatchLogsClient({ region: 'eu-west-1' }),
  iam: new IAMClient({ region: 'eu-west-1' }),
});
const denied = () => Object.assign(new Error('User is not authorized to perform: eks:ListNodegroups'), { name: 'AccessDeniedException' });
const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

function healthyCluster(): void {
  eksMock
    .on(DescribeClusterCommand)
    .resolves({
      cluster: {
        name: 'prod',
        arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
        version: '1.31',
        createdAt: new Date('2024-01-01T00:00:00Z'),
        endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
        certificateAuthority: { data: 'LS0tLS1CRUdJTg==' },
        resourcesVpcConfig: { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
      },
    })
    .on(ListNodegroupsCommand, { clusterName: 'prod', nextToken: undefined })
    .resolves({ nodegroups: ['custom-lt'], nextToken: 'p2' })
    .on(ListNodegroupsCommand, { clusterName: 'prod', nextToken: 'p2' })
    .resolves({ nodegroups: ['eks-default'] })
    .on(DescribeNodegroupCommand, { nodegroupName: 'custom-lt' })
    .resolves({ nodegroup: { nodegroupName: 'custom-lt', launchTemplate: { id: 'lt-0aaa', version: '7' } } })
    .on(DescribeNodegroupCommand, { nodegroupName: 'eks-default' })
    .resolves({ nodegroup: { nodegroupName: 'eks-default', remoteAccess: { ec2SshKey: 'ops' } } })
    .on(ListAddonsCommand)
    .resolves({ addons: ['vpc-cni'] })
    .on(DescribeAddonCommand)
    .resolves({ addon: { addonName: 'vpc-cni', addonVersion: 'v1.18.1-eksbuild.1' } })
    .on(DescribeAddonVersionsCommand)
    .resolves({
      addons: [
        {
          addonName: 'vpc-cni',
          addonVersions: [
            { addonVersion: 'v1.18.1-eksbuild.1', compatibilities: [{ clusterVersion: '1.31', defaultVersion: false }] },
            { addonVersion: 'v1.19.2-eksbuild.5', compatibilities: [{ clusterVersion: '1.31', defaultVersion: true }] },
            { addonVersion: 'v1.20.0-eksbuild.1', compatibilities: [{ clusterVersion: '1.32', defaultVersion: true }] },
          ],
        },
      ],
    })
    .on(ListAccessEntriesCommand)
    .resolves({ accessEntries: ['arn:aws:iam::111122223333:role/admin'] })
    .on(ListAssociatedAccessPoliciesCommand)
    .resolves({ associatedAccessPolicies: [{ policyArn: ADMIN, accessScope: { type: 'cluster' } }] });
  ec2Mock
    .on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-0aaa' })
    .resolves({
      LaunchTemplateVersions: [
        {
          LaunchTemplateId: 'lt-0aaa',
          LaunchTemplateName: 'custom',
          VersionNumber: 7,
          LaunchTemplateData: {
            MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
            KeyName: 'ops',
          },
        },
      ],
    })
    .on(DescribeLaunchTemplatesCommand)
    .resolves({ LaunchTemplates: [{ LaunchTemplateId: 'lt-0eks', LaunchTemplateName: 'eks-1234' }] })
    .on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-0eks' })
    .resolves({
      LaunchTemplateVersions: [
        {
          LaunchTemplateId: 'lt-0eks',
          VersionNumber: 3,
          LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 } },
        },
      ],
    });
}

beforeEach(() => {
  eksMock.reset();
  ec2Mock.reset();
  guardDutyMock.reset();
  guardDutyMock.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
});

describe('listClusterNames', () => {
  it('follows nextToken across pages', async () => {
    eksMock
      .on(ListClustersCommand, { nextToken: undefined })
      .resolves({ clusters: ['a', 'b'], nextToken: 'n1' })
      .on(ListClustersCommand, { nextToken: 'n1' })
      .resolves({ clusters: ['c'], nextToken: 'n2' })
      .on(ListClustersCommand, { nextToken: 'n2' })
      .resolves({ clusters: ['d'] });
    expect(await listClusterNames(clients().eks)).toEqual(['a', 'b', 'c', 'd']);
    expect(eksMock).toHaveReceivedCommandTimes(ListClustersCommand, 3);
    // (The SDK paginator reuses one input object, so recorded inputs all show the last token: the pages prove the walk.)
  });

  it('throws on AccessDenied so the caller can mark the region', async () => {
    eksMock.on(ListClustersCommand).rejects(denied());
    await expect(listClusterNames(clients().eks)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('collectEksCluster', () => {
  it('collects the cluster, every nodegroup page with its launch template IMDS settings, add-on versions and access entries', async () => {
    healthyCluster();
    const { eks, gaps, connection } = await collectEksCluster(clients(), 'prod');
    expect(gaps).toEqual([]);
    expect(eks.cluster).toMatchObject({ name: 'prod', version: '1.31', createdAt: '2024-01-01T00:00:00.000Z' });
    expect(eks.cluster).not.toHaveProperty('certificateAuthority');
    expect(connection).toMatchObject({
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      certificateAuthority: 'LS0tLS1CRUdJTg==',
      endpointPublicAccess: true,
    });
    expect(eks.nodegroups?.map((n) => n.name)).toEqual(['custom-lt', 'eks-default']);
    const [custom, eksDefault] = eks.nodegroups!;
    expect(custom!.imds).toEqual({
      httpTokens: 'optional',
      httpPutResponseHopLimit: 2,
      httpEndpoint: 'enabled',
      source: 'launch-template',
    });
    expect(custom!.launchTemplateKeyName).toBe('ops');
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-0aaa', Versions: ['7'] });
    expect(eksDefault!.imds).toEqual({ httpTokens: 'required', httpPutResponseHopLimit: 1, source: 'eks-default' });
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeLaunchTemplatesCommand, {
      Filters: [
        { Name: 'tag:eks:cluster-name', Values: ['prod'] },
        { Name: 'tag:eks:nodegroup-name', Values: ['eks-default'] },
      ],
    });
    expect(eks.addons?.[0]).toMatchObject({
      addonName: 'vpc-cni',
      addonVersion: 'v1.18.1-eksbuild.1',
      versions: {
        clusterVersion: '1.31',
        default: 'v1.19.2-eksbuild.5',
        latest: 'v1.19.2-eksbuild.5',
        compatible: ['v1.19.2-eksbuild.5', 'v1.18.1-eksbuild.1'],
      },
    });
    expect(eksMock).toHaveReceivedCommandWith(DescribeAddonVersionsCommand, { addonName: 'vpc-cni', kubernetesVersion: '1.31' });
    expect(eks.accessEntries).toEqual([
      {
        principalArn: 'arn:aws:iam::111122223333:role/admin',
        associatedAccessPolicies: [{ policyArn: ADMIN, accessScope: { type: 'cluster' } }],
      },
    ]);
  });

  it('turns a denied DescribeCluster into an eks:cluster gap and calls nothing else', async () => {
    eksMock.on(DescribeClusterCommand).rejects(denied());
    const { eks, gaps } = await collectEksCluster(clients(), 'prod');
    expect(eks.cluster).toBeUndefined();
    expect(gaps).toEqual([expect.objectContaining({ source: 'eks:cluster', reason: 'forbidden' })]);
    expect(eksMock).not.toHaveReceivedCommand(ListNodegroupsCommand);
  });

  it('keeps collecting add-ons and access entries when ListNodegroups is denied', async () => {
    healthyCluster();
    eksMock.on(ListNodegroupsCommand).rejects(denied());
    const { eks, gaps } = await collectEksCluster(clients(), 'prod');
    expect(eks.nodegroups).toBeUndefined();
    expect(gaps).toEqual([expect.objectContaining({ source: 'eks:nodegroups', reason: 'forbidden' })]);
    expect(eks.addons).toHaveLength(1);
    expect(eks.accessEntries).toHaveLength(1);
  });

  it('makes every launch template a gap when the EC2 client cannot be loaded (the runtime provides it), and reads the rest', async () => {
    healthyCluster();
    const missing = () => Promise.reject(new Error("Cannot find package '@aws-sdk/client-ec2'"));
    const { eks, gaps } = await collectEksCluster({ ...clients(), ec2: missing }, 'prod');
    expect(eks.nodegroups?.map((n) => [n.name, n.imds])).toEqual([
      ['custom-lt', undefined],
      ['eks-default', undefined],
    ]);
    expect(gaps).toEqual([
      expect.objectContaining({ source: 'eks:launch-templates', message: expect.stringMatching(/^2 reads failed.*client-ec2/) }),
    ]);
    expect(eks.addons).toHaveLength(1);
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it('records a launch-template gap (not a guess) when the IMDS settings cannot be read', async () => {
    healthyCluster();
    ec2Mock
      .on(DescribeLaunchTemplateVersionsCommand, { LaunchTemplateId: 'lt-0aaa' })
      .rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));
    ec2Mock.on(DescribeLaunchTemplatesCommand).resolves({ LaunchTemplates: [] });
    const { eks, gaps } = await collectEksCluster(clients(), 'prod');
    expect(eks.nodegroups?.every((n) => n.imds === undefined)).toBe(true);
    expect(gaps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'eks:launch-templates', reason: 'forbidden' }),
        expect.objectContaining({ source: 'eks:launch-templates', reason: 'not-found' }),
      ]),
    );
  });

  it('skips access entries in CONFIG_MAP mode (aws-auth is the only source) without a gap', async () => {
    healthyCluster();
    eksMock
      .on(DescribeClusterCommand)
      .resolves({ cluster: { name: 'prod', version: '1.31', accessConfig: { authenticationMode: 'CONFIG_MAP' } } });
    const { eks, gaps } = await collectEksCluster(clients(), 'prod');
    expect(eks.accessEntries).toEqual([]);
    expect(gaps).toEqual([]);
    expect(eksMock).not.toHaveReceivedCommand(ListAccessEntriesCommand);
  });

  it('leaves an access entry without policies (and a gap) when ListAssociatedAccessPolicies fails for it', async () => {
    healthyCluster();
    eksMock
      .on(ListAccessEntriesCommand)
      .resolves({ accessEntries: ['arn:aws:iam::111122223333:role/a', 'arn:aws:iam::111122223333:role/b'] });
    eksMock.on(ListAssociatedAccessPoliciesCommand, { principalArn: 'arn:aws:iam::111122223333:role/b' }).rejects(denied());
    const { eks, gaps } = await collectEksCluster(clients(), 'prod');
    expect(eks.accessEntries?.find((e) => e.principalArn.endsWith('/a'))?.associatedAccessPolicies).toHaveLength(1);
    expect(eks.accessEntries?.find((e) => e.principalArn.endsWith('/b'))?.associatedAccessPolicies).toBeUndefined();
    expect(gaps).toEqual([expect.objectContaining({ source: 'eks:access-entries', reason: 'forbidden' })]);
  });

  it('asks DescribeAddonVersions once per add-on and Kubernetes version across clusters, and retries after a failure', async () => {
    healthyCluster();
    const cache: AddonVersionCache = new Map();
    await collectEksCluster(clients(), 'prod', { addonVersionCache: cache });
    await collectEksCluster(clients(), 'prod', { addonVersionCache: cache });
    expect(eksMock).toHaveReceivedCommandTimes(DescribeAddonVersionsCommand, 1);

    eksMock.on(DescribeAddonVersionsCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const fresh: AddonVersionCache = new Map();
    const first = await collectEksCluster(clients(), 'prod', { addonVersionCache: fresh });
    expect(first.gaps).toEqual([expect.objectContaining({ source: 'eks:addons', reason: 'throttled' })]);
    expect(first.eks.addons?.[0]?.versions).toBeUndefined();
    expect(fresh.size).toBe(0);
  });
});
