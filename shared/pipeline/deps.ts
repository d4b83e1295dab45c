import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { createSdkClientFactory, REQUEST_TIMEOUTS, type AwsClientFactory } from '../collectors/aws/clients.js';
import type { LiveKubernetesOptions } from '../collectors/aws/kubernetes-part.js';
import { SessionCache, sessionNameFor } from '../collectors/aws/sessions.js';
import type { KubernetesCollector } from '../collectors/aws/targets.js';
import { ConfigError } from '../core/errors.js';
import { createDynamoClient, documentClient } from '../store/client.js';
import { FindingsStore } from '../store/store.js';
import type { PipelineSettings } from './settings.js';

/**
 * Everything a pipeline step talks to. Handlers build it once per Lambda container (clients and
 * AssumeRole sessions are reused across invocations); tests build it over mocked clients and
 * dynalite. Member accounts — the scanner's own included — are always read through the member
 * read-only role, so the Lambda roles hold no EKS/ECR permission of their own and every EKS
 * access entry names the same role.
 */
export interface PipelineDeps {
  settings: PipelineSettings;
  store: FindingsStore;
  aws: AwsClientFactory;
  /** AssumeRole into the member role of an account (cached); throws the STS error when denied. */
  openSession(accountId: string): Promise<unknown>;
  /** Only scan-cluster reads the Kubernetes API (and only its bundle carries the client). */
  kubernetes?: KubernetesCollector;
  /** discover and summarize only (the run files). */
  s3?: S3Client;
  /** discover in organisation mode only. */
  organizations?: OrganizationsClient;
  /** discover with change rescans on: where a settling target goes back to, delayed. */
  rescanQueue?: RescanQueue;
  now(): Date;
}

export interface RescanQueue {
  send(body: string, delaySeconds: number): Promise<void>;
}

/** Client settings every SDK client of the pipeline shares. */
export interface CommonClientConfig {
  region: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  requestHandler: typeof REQUEST_TIMEOUTS;
}

const MAX_ATTEMPTS = 5;

/**
 * What a handler adds for its own step. Each is passed by the handler that needs it, so a
 * function's bundle only carries the clients it uses (client-node, S3, Organizations).
 */
export interface DepsOptions {
  /** `liveKubernetesCollector`, from the scan-cluster handler. */
  kubernetes?: (opts: LiveKubernetesOptions) => KubernetesCollector;
  s3?: (config: CommonClientConfig) => S3Client;
  organizations?: (config: CommonClientConfig) => OrganizationsClient;
  rescanQueue?: (config: CommonClientConfig, queueUrl: string) => RescanQueue;
}

export function createPipelineDeps(settings: PipelineSettings, functionName = 'pipeline', opts: DepsOptions = {}): PipelineDeps {
  const home = process.env['AWS_REGION'];
  if (!home) throw new ConfigError('AWS_REGION is not set');
  const common: CommonClientConfig = { region: home, retryMode: 'adaptive', maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_TIMEOUTS };
  const sts = new STSClient(common);
  const sessions = new SessionCache(sts, {
    roleName: settings.memberRoleName,
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
    // CloudTrail in the member account shows which step read it.
    sessionName: sessionNameFor(functionName),
    partition: settings.partition,
  });
  const aws = createSdkClientFactory({
    region: home,
    maxAttempts: MAX_ATTEMPTS,
    credentialsFor: (accountId) => sessions.provider(accountId),
  });
  const store = new FindingsStore({ doc: documentClient(createDynamoClient({ region: home })), table: settings.table });
  const deps: PipelineDeps = {
    settings,
    store,
    aws,
    openSession: (accountId) => sessions.credentials(accountId),
    now: () => new Date(),
  };
  if (opts.s3) deps.s3 = opts.s3(common);
  if (opts.organizations) deps.organizations = opts.organizations(common);
  if (opts.rescanQueue && settings.rescanQueueUrl) deps.rescanQueue = opts.rescanQueue(common, settings.rescanQueueUrl);
  if (opts.kubernetes) {
    deps.kubernetes = opts.kubernetes({
      // Never used: every account has a session; a missing one must not fall back to the Lambda's own role.
      defaultCredentials: () => Promise.reject(new ConfigError('no member-role session for this account')),
      reachPrivateEndpoints: settings.reachPrivateEndpoints,
      ...(settings.reachableVpcIds ? { reachableVpcIds: settings.reachableVpcIds } : {}),
      connectTimeoutMs: settings.connectTimeoutMs,
    });
  }
  return deps;
}
