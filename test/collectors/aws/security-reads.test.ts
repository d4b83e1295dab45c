import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeImageScanFindingsCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectLatestImages, latestContainerImage } from '../../../shared/collectors/aws/ecr-latest-images.js';
import { collectControlPlaneLogGroup } from '../../../shared/collectors/aws/eks-log-group.js';
import { collectSubnets } from '../../../shared/collectors/aws/eks-subnets.js';
import { collectGuardDuty } from '../../../shared/collectors/aws/guardduty.js';
import { collectRolePolicies } from '../../../shared/collectors/aws/iam-roles.js';
import { ScanReadCache } from '../../../shared/collectors/aws/scan-cache.js';
import type { EcrRepository } from '../../../shared/inventory/ecr.js';

const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const denied = (what: string) => Object.assign(new Error(`not authorized to perform: ${what}`), { name: 'AccessDeniedException' });
const encoded = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));

const guardDutyMock = mockClient(GuardDutyClient);
const logsMock = mockClient(CloudWatchLogsClient);
const ec2Mock = mockClient(EC2Client);
const iamMock = mockClient(IAMClient);
const ecrMock = mockClient(ECRClient);

beforeEach(() => {
  for (const m of [guardDutyMock, logsMock, ec2Mock, iamMock, ecrMock]) m.reset();
});

describe('collectGuardDuty', () => {
  const where = { accountId: ACCOUNT, region: REGION };
  const client = () => new GuardDutyClient({ region: REGION });

  it('reads the detector with its features once per account and region, however many clusters ask', async () => {
    guardDutyMock.on(ListDetectorsCommand).resolves({ DetectorIds: ['det1'] });
    guardDutyMock.on(GetDetectorCommand).resolves({
      Status: 'ENABLED',
      ServiceRole: 'x',
      UpdatedAt: 'x',
      Features: [
        { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
        { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' }] },
      ],
    });
    const cache = new ScanReadCache();
    const [a, b] = await Promise.all([collectGuardDuty(client(), where, cache), collectGuardDuty(client(), where, cache)]);
    expect(a).toEqual(b);
    expect(a.gaps).toEqual([]);
    expect(a.guardDuty).toEqual({
      detectorId: 'det1',
      status: 'ENABLED',
      features: [
        { name: 'EKS_AUDIT_LOGS', status: 'ENABLED', additionalConfiguration: [] },
        { name: 'RUNTIME_MONITORING', status: 'ENABLED', additionalConfiguration: [{ name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' }] },
      ],
    });
    expect(guardDutyMock.commandCalls(ListDetectorsCommand)).toHaveLength(1);
    expect(guardDutyMock.commandCalls(GetDetectorCommand)).toHaveLength(1);
  });

  it('no detector is an answer (GuardDuty off), not a gap', async () => {
    guardDutyMock.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const out = await collectGuardDuty(client(), where, new ScanReadCache());
    expect(out).toEqual({ guardDuty: { features: [] }, gaps: [] });
    expect(guardDutyMock.commandCalls(GetDetectorCommand)).toHaveLength(0);
  });

  it('a denied read is a forbidden gap, and is not cached: the next cluster asks again', async () => {
    guardDutyMock.on(ListDetectorsCommand).rejectsOnce(denied('guardduty:ListDetectors')).resolves({ DetectorIds: [] });
    const cache = new ScanReadCache();
    const first = await collectGuardDuty(client(), where, cache);
    expect(first.guardDuty).toBeUndefined();
    expect(first.gaps).toEqual([expect.objectContaining({ source: 'guardduty:detector', reason: 'forbidden' })]);
    const second = await collectGuardDuty(client(), where, cache);
    expect(second).toEqual({ guardDuty: { features: [] }, gaps: [] });
  });
});

describe('collectControlPlaneLogGroup', () => {
  const client = () => new CloudWatchLogsClient({ region: REGION });

  it('picks the exact group among prefix matches, across pages, with its retention', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/eks/prod/cluster', nextToken: undefined })
      .resolves({ logGroups: [{ logGroupName: '/aws/eks/prod/cluster-old', retentionInDays: 1 }], nextToken: 'p2' })
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/eks/prod/cluster', nextToken: 'p2' })
      .resolves({ logGroups: [{ logGroupName: '/aws/eks/prod/cluster', retentionInDays: 400 }] });
    expect(await collectControlPlaneLogGroup(client(), 'prod')).toEqual({
      logGroup: { status: 'present', logGroupName: '/aws/eks/prod/cluster', retentionInDays: 400 },
      gaps: [],
    });
  });

  it('a group without retention (never expire) has no retentionInDays; no group is absent', async () => {
    logsMock
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/eks/a/cluster' })
      .resolves({ logGroups: [{ logGroupName: '/aws/eks/a/cluster' }] });
    logsMock.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/aws/eks/b/cluster' }).resolves({ logGroups: [] });
    expect((await collectControlPlaneLogGroup(client(), 'a')).logGroup).toEqual({ status: 'present', logGroupName: '/aws/eks/a/cluster' });
    expect((await collectControlPlaneLogGroup(client(), 'b')).logGroup).toEqual({ status: 'absent', logGroupName: '/aws/eks/b/cluster' });
  });

  it('a denied DescribeLogGroups is a gap and no answer', async () => {
    logsMock.on(DescribeLogGroupsCommand).rejects(denied('logs:DescribeLogGroups'));
    const out = await collectControlPlaneLogGroup(client(), 'prod');
    expect(out.logGroup).toBeUndefined();
    expect(out.gaps).toEqual([expect.objectContaining({ source: 'logs:log-groups', reason: 'forbidden' })]);
  });
});

describe('collectSubnets', () => {
  const client = () => async () => new EC2Client({ region: REGION });

  it('asks once with a subnet-id filter for the distinct subnets and keeps MapPublicIpOnLaunch', async () => {
    ec2Mock.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: 'subnet-b', MapPublicIpOnLaunch: false, VpcId: 'vpc-1' },
        { SubnetId: 'subnet-a', MapPublicIpOnLaunch: true, VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a' },
      ],
    });
    const out = await collectSubnets(client(), ['subnet-b', 'subnet-a', 'subnet-b']);
    expect(out).toEqual({
      subnets: [
        { subnetId: 'subnet-a', mapPublicIpOnLaunch: true, vpcId: 'vpc-1', availabilityZone: 'eu-west-1a' },
        { subnetId: 'subnet-b', mapPublicIpOnLaunch: false, vpcId: 'vpc-1' },
      ],
      gaps: [],
    });
    const calls = ec2Mock.commandCalls(DescribeSubnetsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.Filters).toEqual([{ Name: 'subnet-id', Values: ['subnet-a', 'subnet-b'] }]);
  });

  it('no nodegroup subnet: no call; a denied call: a gap and no subnets', async () => {
    expect(await collectSubnets(client(), [])).toEqual({ subnets: [], gaps: [] });
    expect(ec2Mock.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    ec2Mock.on(DescribeSubnetsCommand).rejects(denied('ec2:DescribeSubnets'));
    const out = await collectSubnets(client(), ['subnet-a']);
    expect(out.subnets).toBeUndefined();
    expect(out.gaps).toEqual([expect.objectContaining({ source: 'ec2:subnets', reason: 'forbidden' })]);
  });
});

describe('collectRolePolicies', () => {
  const client = () => new IAMClient({ region: REGION });
  const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
  const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
  const readOnlyDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage'], Resource: '*' }] };
  const boundaryDoc = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' } };
  const inlineDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }] };

  function managed(arn: string, doc: unknown): void {
    iamMock.on(GetPolicyCommand, { PolicyArn: arn }).resolves({ Policy: { PolicyName: arn.split('/').pop()!, DefaultVersionId: 'v3' } });
    iamMock.on(GetPolicyVersionCommand, { PolicyArn: arn, VersionId: 'v3' }).resolves({ PolicyVersion: { Document: encoded(doc) } });
  }

  it('reads attached (default version), inline and boundary policies, decoded; a managed policy once per scan', async () => {
    for (const name of ['node-a', 'node-b']) {
      iamMock.on(GetRoleCommand, { RoleName: name }).resolves({
        Role: {
          RoleName: name,
          Path: '/',
          RoleId: 'x',
          Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
          CreateDate: new Date(),
          ...(name === 'node-a' ? { PermissionsBoundary: { PermissionsBoundaryArn: BOUNDARY } } : {}),
        },
      });
      iamMock
        .on(ListAttachedRolePoliciesCommand, { RoleName: name })
        .resolves({ AttachedPolicies: [{ PolicyName: 'RO', PolicyArn: READ_ONLY }] });
      iamMock.on(ListRolePoliciesCommand, { RoleName: name }).resolves({ PolicyNames: name === 'node-a' ? ['push'] : [] });
    }
    iamMock.on(GetRolePolicyCommand, { RoleName: 'node-a', PolicyName: 'push' }).resolves({ PolicyDocument: encoded(inlineDoc) });
    managed(READ_ONLY, readOnlyDoc);
    managed(BOUNDARY, boundaryDoc);
    const arns = [`arn:aws:iam::${ACCOUNT}:role/nodes/node-a`, `arn:aws:iam::${ACCOUNT}:role/node-b`];
    const out = await collectRolePolicies(client(), arns, new ScanReadCache());
    expect(out.gaps).toEqual([]);
    const a = out.roles.find((r) => r.roleName === 'node-a');
    const b = out.roles.find((r) => r.roleName === 'node-b');
    expect(a).toEqual({
      roleArn: arns[0],
      roleName: 'node-a',
      policies: [
        { kind: 'managed', name: 'RO', arn: READ_ONLY, versionId: 'v3', document: readOnlyDoc },
        { kind: 'inline', name: 'push', document: inlineDoc },
      ],
      permissionsBoundary: { kind: 'boundary', name: 'boundary', arn: BOUNDARY, versionId: 'v3', document: boundaryDoc },
      unread: [],
    });
    expect(b!.policies.map((p) => p.name)).toEqual(['RO']);
    expect(iamMock.commandCalls(GetPolicyVersionCommand, { PolicyArn: READ_ONLY })).toHaveLength(1);
  });

  it('keeps what it read and names what it could not (a gap each), so a grant it saw can still fail the role', async () => {
    iamMock.on(GetRoleCommand).resolves({ Role: { RoleName: 'node', Path: '/', RoleId: 'x', Arn: 'x', CreateDate: new Date() } });
    iamMock.on(ListAttachedRolePoliciesCommand).rejects(denied('iam:ListAttachedRolePolicies'));
    iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['push', 'other'] });
    iamMock.on(GetRolePolicyCommand, { PolicyName: 'push' }).resolves({ PolicyDocument: encoded(inlineDoc) });
    iamMock.on(GetRolePolicyCommand, { PolicyName: 'other' }).rejects(denied('iam:GetRolePolicy'));
    const out = await collectRolePolicies(client(), [`arn:aws:iam::${ACCOUNT}:role/node`], new ScanReadCache());
    expect(out.roles[0]!.policies).toEqual([{ kind: 'inline', name: 'push', document: inlineDoc }]);
    expect(out.roles[0]!.unread).toEqual(['ListAttachedRolePolicies', 'inline policy other']);
    expect(out.gaps.every((g) => g.source === 'iam:node-roles' && g.reason === 'forbidden')).toBe(true);
    expect(out.gaps.length).toBeGreaterThan(0);
  });
});

describe('collectLatestImages', () => {
  const at = (s: number) => new Date(s * 1000);
  const D = (c: string) => `sha256:${c.repeat(64)}`;

  it('the newest container image, not a later signature or index; its scan findings read as for running images', async () => {
    ecrMock.on(DescribeImagesCommand, { repositoryName: 'app' }).resolves({
      imageDetails: [
        { imageDigest: D('1'), imageTags: ['1.0'], imagePushedAt: at(100) },
        { imageDigest: D('2'), imageTags: ['1.1'], imagePushedAt: at(200) },
        { imageDigest: D('3'), imageTags: [`sha256-${'2'.repeat(64)}.sig`], imagePushedAt: at(300) },
        { imageDigest: D('4'), imageManifestMediaType: 'application/vnd.oci.image.index.v1+json', imagePushedAt: at(400) },
      ],
    });
    ecrMock.on(DescribeImagesCommand, { repositoryName: 'empty' }).resolves({ imageDetails: [] });
    ecrMock.on(DescribeImagesCommand, { repositoryName: 'locked' }).rejects(denied('ecr:DescribeImages'));
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findingSeverityCounts: { CRITICAL: 1 }, findings: [{ name: 'CVE-2026-1', severity: 'CRITICAL' }] },
    });
    const repos: EcrRepository[] = ['app', 'empty', 'locked'].map((repositoryName) => ({ repositoryName, registryId: ACCOUNT }));
    const gaps = await collectLatestImages(new ECRClient({ region: REGION }), repos, { region: REGION });
    const [app, empty, locked] = repos;
    expect(app!.latestImage).toMatchObject({
      status: 'present',
      imageDigest: D('2'),
      imageTags: ['1.1'],
      imagePushedAt: at(200).toISOString(),
    });
    expect(app!.latestImage).toMatchObject({ findings: { scanStatus: 'COMPLETE', severityCounts: { CRITICAL: 1 } } });
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0]!.args[0].input).toMatchObject({
      repositoryName: 'app',
      imageId: { imageDigest: D('2') },
    });
    expect(empty!.latestImage).toEqual({ status: 'none', artifacts: 0 });
    expect(locked!.latestImage).toBeUndefined();
    expect(gaps).toEqual([expect.objectContaining({ source: 'ecr:images', reason: 'forbidden' })]);
  });

  it('ties on push time pick the greater digest, so the choice does not depend on listing order', () => {
    const a = { imageDigest: D('a'), imagePushedAt: at(5) };
    const b = { imageDigest: D('b'), imagePushedAt: at(5) };
    expect(latestContainerImage([a, b])?.imageDigest).toBe(D('b'));
    expect(latestContainerImage([b, a])?.imageDigest).toBe(D('b'));
    expect(latestContainerImage([{ imageDigest: D('c'), artifactMediaType: 'application/vnd.cncf.helm.config.v1+json' }])).toBeUndefined();
  });
});
