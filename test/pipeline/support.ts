import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { IAMClient } from '@aws-sdk/client-iam';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createSdkClientFactory } from '../../shared/collectors/aws/clients.js';
import { liveKubernetesCollector } from '../../shared/collectors/aws/kubernetes-part.js';
import { SessionCache } from '../../shared/collectors/aws/sessions.js';
import type { PipelineDeps } from '../../shared/pipeline/deps.js';
import { pipelineSettings, type PipelineSettings } from '../../shared/pipeline/settings.js';
import { createDynamoClient, documentClient } from '../../shared/store/client.js';
import { startEmbeddedDynamo } from '../../shared/store/embedded.js';
import { FindingsStore } from '../../shared/store/store.js';
import { ensureTable } from '../../shared/store/table.js';

export const SCANNER_ACCOUNT = '111122223333';
export const MEMBER_ACCOUNT = '444455556666';
export const DENIED_ACCOUNT = '777788889999';
export const TABLE = 'hardline-findings';
export const BUCKET = 'hardline-runs-test';

/** Every AWS client class the pipeline uses, mocked (DynamoDB is not: the store runs on dynalite). */
export const mocks = {
  sts: mockClient(STSClient),
  eks: mockClient(EKSClient),
  ecr: mockClient(ECRClient),
  ec2: mockClient(EC2Client),
  guardDuty: mockClient(GuardDutyClient),
  logs: mockClient(CloudWatchLogsClient),
  iam: mockClient(IAMClient),
  account: mockClient(AccountClient),
  org: mockClient(OrganizationsClient),
  s3: mockClient(S3Client),
};

export function resetMocks(): void {
  for (const m of Object.values(mocks)) m.reset();
}

/** An in-memory S3 behind the S3 mock: PutObject stores, GetObject reads back (NoSuchKey otherwise). */
export function fakeS3(initial: Record<string, unknown> = {}): Map<string, string> {
  const objects = new Map<string, string>(Object.entries(initial).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  mocks.s3.on(PutObjectCommand).callsFake(async (input: { Bucket: string; Key: string; Body: string }) => {
    objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
    return {};
  });
  mocks.s3.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
    const text = objects.get(`${input.Bucket}/${input.Key}`);
    if (text === undefined) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToString: async () => text } };
  });
  return objects;
}

/** A workload that fails several controls (privileged, no limits, …): a cluster serving it has open findings. */
export const PRIVILEGED_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] },
    },
  },
};

export const denied = (message = 'not authorized') => Object.assign(new Error(message), { name: 'AccessDenied' });

/** AssumeRole answers for every account but DENIED_ACCOUNT. */
export function memberRoles(): void {
  mocks.sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
    if (input.RoleArn.includes(`::${DENIED_ACCOUNT}:`))
      throw denied(`User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
    return {
      Credentials: {
        AccessKeyId: 'ASIAMEMBER',
        SecretAccessKey: 'member-secret-value',
        SessionToken: 'member-session-token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    };
  });
}

export interface ClusterSpec {
  name: string;
  endpoint?: string;
  caData?: string;
  publicEndpoint?: boolean;
  vpcId?: string;
}

/** An account with clusters (described healthy), regions all enabled, and one ECR repository per region. */
export function awsWorld(clusters: readonly ClusterSpec[], opts: { regions?: string[] } = {}): void {
  memberRoles();
  mocks.account
    .on(ListRegionsCommand)
    .resolves({ Regions: (opts.regions ?? ['eu-west-1']).map((RegionName) => ({ RegionName, RegionOptStatus: 'ENABLED' })) });
  mocks.ec2.on(DescribeRegionsCommand).resolves({ Regions: (opts.regions ?? ['eu-west-1']).map((RegionName) => ({ RegionName })) });
  mocks.ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({ LaunchTemplateVersions: [] });
  mocks.eks.on(ListClustersCommand).resolves({ clusters: clusters.map((c) => c.name) });
  for (const c of clusters) {
    mocks.eks.on(DescribeClusterCommand, { name: c.name }).resolves({
      cluster: {
        name: c.name,
        arn: `arn:aws:eks:eu-west-1:${MEMBER_ACCOUNT}:cluster/${c.name}`,
        version: '1.33',
        status: 'ACTIVE',
        ...(c.endpoint ? { endpoint: c.endpoint } : {}),
        ...(c.caData ? { certificateAuthority: { data: c.caData } } : {}),
        resourcesVpcConfig: {
          endpointPublicAccess: c.publicEndpoint ?? true,
          endpointPrivateAccess: !(c.publicEndpoint ?? true),
          publicAccessCidrs: ['0.0.0.0/0'],
          ...(c.vpcId ? { vpcId: c.vpcId } : {}),
        },
        logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
        encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: 'arn:aws:kms:eu-west-1:444455556666:key/k' } }],
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      },
    });
  }
  mocks.eks.on(ListNodegroupsCommand).resolves({ nodegroups: [] });
  mocks.eks.on(ListAddonsCommand).resolves({ addons: [] });
  mocks.eks.on(DescribeAddonVersionsCommand).resolves({ addons: [] });
  mocks.eks.on(ListAccessEntriesCommand).resolves({ accessEntries: [] });
  mocks.guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: ['det-1'] });
  mocks.guardDuty.on(GetDetectorCommand).resolves({
    Status: 'ENABLED',
    ServiceRole: 'arn:aws:iam::444455556666:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty',
    Features: [
      { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
      { Name: 'RUNTIME_MONITORING', Status: 'ENABLED', AdditionalConfiguration: [{ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' }] },
    ],
  });
  mocks.logs.on(DescribeLogGroupsCommand).callsFake(async (input: { logGroupNamePrefix: string }) => ({
    logGroups: [{ logGroupName: input.logGroupNamePrefix, retentionInDays: 365 }],
  }));
  mocks.ecr
    .on(DescribeRepositoriesCommand)
    .resolves({
      repositories: [
        {
          repositoryName: 'shop/web',
          registryId: MEMBER_ACCOUNT,
          imageTagMutability: 'MUTABLE',
          imageScanningConfiguration: { scanOnPush: false },
          encryptionConfiguration: { encryptionType: 'AES256' },
        },
      ],
    })
    .on(GetRegistryScanningConfigurationCommand)
    .resolves({ registryId: MEMBER_ACCOUNT, scanningConfiguration: { scanType: 'BASIC', rules: [] } })
    .on(BatchGetRepositoryScanningConfigurationCommand)
    .resolves({
      scanningConfigurations: [{ repositoryName: 'shop/web', scanOnPush: false, scanFrequency: 'MANUAL', appliedScanFilters: [] }],
    })
    .on(GetLifecyclePolicyCommand)
    .rejects(Object.assign(new Error('no policy'), { name: 'LifecyclePolicyNotFoundException' }))
    .on(GetRepositoryPolicyCommand)
    .rejects(Object.assign(new Error('no policy'), { name: 'RepositoryPolicyNotFoundException' }))
    .on(DescribeImageScanFindingsCommand)
    .rejects(Object.assign(new Error('no scan'), { name: 'ScanNotFoundException' }))
    .on(DescribeImagesCommand)
    .resolves({ imageDetails: [] });
}

/** Organisation mode: ListAccounts answers these ACTIVE accounts. */
export function orgAccounts(ids: readonly string[]): void {
  mocks.org.on(ListAccountsCommand).resolves({ Accounts: ids.map((Id) => ({ Id, Status: 'ACTIVE', Name: `acct-${Id}` })) });
}

/** The environment the CDK construct gives the pipeline functions (infra/constructs/scan-pipeline.ts). */
export function pipelineEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'ASIASCANNER',
    AWS_SECRET_ACCESS_KEY: 'scanner-secret',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    HARDLINE_TABLE: TABLE,
    HARDLINE_RUNS_BUCKET: BUCKET,
    HARDLINE_ORG_MODE: 'account',
    HARDLINE_ACCOUNT_ID: MEMBER_ACCOUNT,
    HARDLINE_REGIONS: 'eu-west-1',
    HARDLINE_MEMBER_ROLE_NAME: 'hardline-read',
    HARDLINE_EXTERNAL_ID: 'hardline-test-external-id',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extra,
  };
}

export interface TestPipeline {
  endpoint: string;
  store: FindingsStore;
  deps(overrides?: Partial<Record<string, string>>, clock?: () => Date): PipelineDeps;
  dispose(): Promise<void>;
}

/** dynalite with the findings table, and deps over it with the SDK clients the mocks intercept. */
export async function startTestPipeline(): Promise<TestPipeline> {
  const dir = mkdtempSync(join(tmpdir(), 'hardline-pipeline-'));
  const engine = await startEmbeddedDynamo(dir);
  const raw = createDynamoClient({
    region: 'eu-west-1',
    endpoint: engine.endpoint,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  await ensureTable(raw, TABLE);
  const store = new FindingsStore({ doc: documentClient(raw), table: TABLE });
  return {
    endpoint: engine.endpoint,
    store,
    deps: (overrides = {}, clock = () => new Date()) => testDeps(settingsFor(engine.endpoint, overrides), store, clock),
    dispose: async () => {
      raw.destroy();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function settingsFor(endpoint: string, overrides: Partial<Record<string, string>>): PipelineSettings {
  const env: Record<string, string> = pipelineEnv(endpoint);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return pipelineSettings(env);
}

function testDeps(settings: PipelineSettings, store: FindingsStore, now: () => Date): PipelineDeps {
  const credentials = { accessKeyId: 'ASIASCANNER', secretAccessKey: 'scanner-secret' };
  const sts = new STSClient({ region: 'eu-west-1', credentials });
  const sessions = new SessionCache(sts, {
    roleName: settings.memberRoleName,
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
    sessionName: 'hardline-test',
  });
  return {
    settings,
    store,
    aws: createSdkClientFactory({ region: 'eu-west-1', maxAttempts: 1, credentialsFor: (a) => sessions.provider(a) }),
    openSession: (a) => sessions.credentials(a),
    kubernetes: liveKubernetesCollector({
      defaultCredentials: async () => credentials,
      reachPrivateEndpoints: settings.reachPrivateEndpoints,
      ...(settings.reachableVpcIds ? { reachableVpcIds: settings.reachableVpcIds } : {}),
      connectTimeoutMs: settings.connectTimeoutMs,
      timeoutMs: 5_000,
    }),
    s3: new S3Client({ region: 'eu-west-1', credentials }),
    organizations: new OrganizationsClient({ region: 'eu-west-1', credentials }),
    now,
  };
}
