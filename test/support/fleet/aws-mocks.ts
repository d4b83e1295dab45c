import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeLaunchTemplateVersionsCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  BatchGetRepositoryScanningConfigurationCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import {
  DescribeAddonVersionsCommand,
  DescribeClusterCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAddonsCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { invocations } from './lambda.js';
import type { Fleet } from './world.js';

/**
 * The AWS side of the simulated organisation, answered by aws-sdk-client-mock (every instance of
 * each client class). A call is answered for the account and region of the client that makes it
 * (clients are registered by the deps factory, fleet.ts). Note: the mock replaces `send`, so the
 * SDK's own retries never run — AWS throttling is therefore "beyond the SDK's retries" here.
 */
export interface ClientIdentity {
  accountId: string;
  region: string;
}
export const clientIdentity = new WeakMap<object, ClientIdentity>();

export interface AwsWorldState {
  run: 1 | 2;
  /** Host part of the fake API servers' URLs, and the CA they present. */
  apiUrl(key: string): string;
  caData: string;
  calls: Record<string, number>;
  /** Whether ListClusters names the cluster in this run (absent: the cluster was deleted). */
  listed?: (c: Fleet['clusters'][number]) => boolean;
  /** The drift scenario's changes: DescribeCluster's answer as it is now (may throw ResourceNotFoundException), the registry's repositories. */
  describeCluster?: <T extends { cluster: Record<string, unknown> }>(c: Fleet['clusters'][number], answer: T) => T;
  repositories?: <T extends { repositoryName: string }>(id: ClientIdentity, repos: T[]) => T[];
  /** Every EKS/ECR call that reads a target, with the account and region that made it. */
  record?: (call: { name: string; accountId: string; region: string; resource?: string }) => void;
}

const error = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: name === 'ThrottlingException' ? 400 : 403 } });

export function installAwsMocks(fleet: Fleet, state: AwsWorldState): { s3: Map<string, string>; restore(): void } {
  const who = (getClient: () => unknown): ClientIdentity => {
    const id = clientIdentity.get(getClient() as object);
    if (!id) throw new Error('a client the fleet does not know made a call');
    return id;
  };
  const count = (name: string) => (state.calls[name] = (state.calls[name] ?? 0) + 1);
  const clustersOf = (id: ClientIdentity) =>
    fleet.clusters.filter((c) => c.accountId === id.accountId && c.region === id.region && (state.listed?.(c) ?? true));

  const sts = mockClient(STSClient);
  sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
    count('AssumeRole');
    const account = /::(\d{12}):role\//.exec(input.RoleArn)?.[1];
    if (state.run === 2 && account === fleet.deniedAccount)
      throw error(
        'AccessDenied',
        `User: arn:aws:sts::111122223333:assumed-role/hardline-scan/x is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      );
    return {
      Credentials: {
        AccessKeyId: 'fleet-sim-key-id',
        SecretAccessKey: 'fleet-sim-secret',
        SessionToken: 'fleet-sim-session',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    };
  });

  const org = mockClient(OrganizationsClient);
  org
    .on(ListAccountsCommand)
    .callsFake(async () => ({ Accounts: fleet.accountIds.map((Id) => ({ Id, Status: 'ACTIVE', Name: `acct-${Id}` })) }));
  const account = mockClient(AccountClient);
  account
    .on(ListRegionsCommand)
    .callsFake(async () => ({ Regions: fleet.spec.regions.map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED' })) }));
  const ec2 = mockClient(EC2Client);
  ec2.on(DescribeRegionsCommand).callsFake(async () => ({ Regions: fleet.spec.regions.map((RegionName) => ({ RegionName })) }));
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: [] });

  const eks = mockClient(EKSClient);
  eks.on(ListClustersCommand).callsFake(async (_: unknown, getClient: () => unknown) => {
    const id = who(getClient);
    state.record?.({ name: 'ListClusters', ...id });
    return { clusters: clustersOf(id).map((c) => c.name) };
  });
  eks.on(DescribeClusterCommand).callsFake(async (input: { name: string }, getClient: () => unknown) => {
    count('DescribeCluster');
    const id = who(getClient);
    state.record?.({ name: 'DescribeCluster', ...id, resource: input.name });
    const c = clustersOf(id).find((x) => x.name === input.name);
    if (!c) throw error('ResourceNotFoundException', `No cluster found for name: ${input.name}.`);
    if (state.run === 2 && c.roles.has('aws-throttled')) throw error('ThrottlingException', 'Rate exceeded');
    const planted = fleet.spec.describeClusterError?.(c);
    if (planted) throw error('AccessDeniedException', planted);
    const answer = {
      cluster: {
        name: c.name,
        arn: c.arn,
        version: c.index % 5 === 0 ? '1.29' : '1.33',
        status: 'ACTIVE',
        endpoint: state.apiUrl(c.key),
        certificateAuthority: { data: state.caData },
        resourcesVpcConfig: {
          endpointPublicAccess: true,
          endpointPrivateAccess: true,
          publicAccessCidrs: c.index % 3 === 0 ? ['0.0.0.0/0'] : ['203.0.113.0/24'],
        },
        logging: {
          clusterLogging: [
            { types: c.index % 4 === 0 ? ['api'] : ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true },
          ],
        },
        encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: `arn:aws:kms:${c.region}:${c.accountId}:key/fleet` } }],
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      } as Record<string, unknown>,
    };
    return state.describeCluster ? state.describeCluster(c, answer) : answer;
  });
  eks.on(ListNodegroupsCommand).resolves({ nodegroups: [] });
  eks.on(ListAddonsCommand).resolves({ addons: [] });
  eks.on(DescribeAddonVersionsCommand).resolves({ addons: [] });
  eks.on(ListAccessEntriesCommand).resolves({ accessEntries: [] });

  // GuardDuty: every account has a detector watching EKS audit logs; runtime monitoring (with
  // automated agent management) only in even-numbered accounts, so half the clusters fail eks.guardduty-protection.
  const guardDuty = mockClient(GuardDutyClient);
  const runtimeOn = (id: ClientIdentity) => fleet.accountIds.indexOf(id.accountId) % 2 === 0;
  guardDuty.on(ListDetectorsCommand).callsFake(async (_: unknown, getClient: () => unknown) => {
    count('ListDetectors');
    return { DetectorIds: [`det-${who(getClient).accountId}`] };
  });
  guardDuty.on(GetDetectorCommand).callsFake(async (input: { DetectorId: string }, getClient: () => unknown) => ({
    Status: 'ENABLED',
    ServiceRole: 'arn:aws:iam::x:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
    Features: [
      { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
      {
        Name: 'RUNTIME_MONITORING',
        Status: runtimeOn(who(getClient)) ? 'ENABLED' : 'DISABLED',
        AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }],
      },
    ],
    DetectorId: input.DetectorId,
  }));
  // The control plane log group: retention set on every other cluster, never-expire on the rest.
  const logs = mockClient(CloudWatchLogsClient);
  logs.on(DescribeLogGroupsCommand).callsFake(async (input: { logGroupNamePrefix: string }, getClient: () => unknown) => {
    const name = /^\/aws\/eks\/(.+)\/cluster$/.exec(input.logGroupNamePrefix)?.[1];
    const c = clustersOf(who(getClient)).find((x) => x.name === name);
    if (!c) return { logGroups: [] };
    return { logGroups: [{ logGroupName: input.logGroupNamePrefix, ...(c.index % 2 === 0 ? { retentionInDays: 400 } : {}) }] };
  });

  const ecr = mockClient(ECRClient);
  const repo = (id: ClientIdentity, name: string, immutable: boolean) => ({
    repositoryName: name,
    repositoryArn: `arn:aws:ecr:${id.region}:${id.accountId}:repository/${name}`,
    registryId: id.accountId,
    repositoryUri: `${id.accountId}.dkr.ecr.${id.region}.amazonaws.com/${name}`,
    imageTagMutability: immutable ? 'IMMUTABLE' : 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: immutable },
    encryptionConfiguration: immutable
      ? { encryptionType: 'KMS', kmsKey: `arn:aws:kms:${id.region}:${id.accountId}:key/ecr` }
      : { encryptionType: 'AES256' },
  });
  ecr.on(DescribeRepositoriesCommand).callsFake(async (input: { repositoryNames?: string[] }, getClient: () => unknown) => {
    const id = who(getClient);
    state.record?.({
      name: 'DescribeRepositories',
      ...id,
      ...(input.repositoryNames ? { resource: input.repositoryNames.join(',') } : {}),
    });
    if (state.run === 2 && id.accountId === fleet.hungRegistry.accountId && id.region === fleet.hungRegistry.region) {
      // An AWS call that never answers: only the end of the invocation ends it.
      const signal = invocations.getStore()?.abort.signal;
      await new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted with the sandbox'))));
    }
    const base = [repo(id, 'shop/web', true), repo(id, 'shop/legacy', false)];
    const repositories = state.repositories ? state.repositories(id, base) : base;
    if (!input.repositoryNames) return { repositories };
    const named = repositories.filter((r) => input.repositoryNames!.includes(r.repositoryName));
    if (named.length === 0)
      throw error(
        'RepositoryNotFoundException',
        `The repository with name '${input.repositoryNames.join(',')}' does not exist in the registry with id '${id.accountId}'`,
      );
    return { repositories: named };
  });
  ecr.on(GetRegistryScanningConfigurationCommand).callsFake(async (_: unknown, getClient: () => unknown) => ({
    registryId: who(getClient).accountId,
    scanningConfiguration: { scanType: 'BASIC', rules: [] },
  }));
  ecr.on(BatchGetRepositoryScanningConfigurationCommand).callsFake(async (input: { repositoryNames: string[] }) => ({
    scanningConfigurations: input.repositoryNames.map((repositoryName) => ({
      repositoryName,
      scanOnPush: repositoryName === 'shop/web',
      scanFrequency: repositoryName === 'shop/web' ? 'SCAN_ON_PUSH' : 'MANUAL',
      appliedScanFilters: [],
    })),
  }));
  ecr.on(GetLifecyclePolicyCommand).callsFake(async (input: { repositoryName: string }) => {
    if (input.repositoryName !== 'shop/web') throw error('LifecyclePolicyNotFoundException', 'Lifecycle policy does not exist');
    return {
      lifecyclePolicyText: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
            action: { type: 'expire' },
          },
        ],
      }),
    };
  });
  ecr.on(DescribeImagesCommand).callsFake(async (input: { repositoryName: string }) => ({
    imageDetails: [
      {
        imageDigest: `sha256:${(input.repositoryName === 'shop/web' ? 'cd' : 'ef').repeat(32)}`,
        imageTags: ['2026.11'],
        imagePushedAt: new Date('2026-11-02T10:00:00Z'),
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactMediaType: 'application/vnd.oci.image.config.v1+json',
      },
    ],
  }));
  ecr.on(GetRepositoryPolicyCommand).rejects(error('RepositoryPolicyNotFoundException', 'Repository policy does not exist'));
  ecr.on(DescribeImageScanFindingsCommand).callsFake(async (input: { repositoryName: string; imageId: { imageTag?: string } }) => ({
    imageId: { imageDigest: `sha256:${'ab'.repeat(32)}`, imageTag: input.imageId.imageTag },
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings:
      input.repositoryName === 'shop/legacy'
        ? { findingSeverityCounts: { HIGH: 2, MEDIUM: 1 }, findings: [{ name: 'CVE-2026-0001', severity: 'HIGH' }] }
        : { findingSeverityCounts: {}, findings: [] },
  }));

  // The runs bucket: discover writes the targets, the map's ResultWriter and summarize read back.
  const objects = new Map<string, string>();
  const s3 = mockClient(S3Client);
  s3.on(PutObjectCommand).callsFake(async (input: { Bucket: string; Key: string; Body: string }) => {
    objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
    return {};
  });
  s3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    const text = objects.get(`${input.Bucket}/${input.Key}`);
    if (text === undefined) throw error('NoSuchKey', 'The specified key does not exist.');
    return { Body: { transformToString: async () => text } };
  });
  const mocks = [sts, org, account, ec2, eks, guardDuty, logs, ecr, s3];
  return { s3: objects, restore: () => mocks.forEach((m) => m.restore()) };
}
