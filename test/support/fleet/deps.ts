import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { createDiscoverHandler } from '../../../functions/discover/handler.js';
import { createScanClusterHandler } from '../../../functions/scan-cluster/handler.js';
import { createScanRegistryHandler } from '../../../functions/scan-registry/handler.js';
import { createSummarizeHandler } from '../../../functions/summarize/handler.js';
import { createSdkClientFactory, type AwsClientFactory } from '../../../shared/collectors/aws/clients.js';
import { liveKubernetesCollector } from '../../../shared/collectors/aws/kubernetes-part.js';
import { SessionCache } from '../../../shared/collectors/aws/sessions.js';
import type { PipelineDeps } from '../../../shared/pipeline/deps.js';
import { pipelineSettings, type PipelineSettings } from '../../../shared/pipeline/settings.js';
import type { FindingsStore } from '../../../shared/store/store.js';
import { clientIdentity } from './aws-mocks.js';
import type { Handlers } from './state-machine.js';
import type { Fleet } from './world.js';

export const TABLE = 'hardline-fleet';
export const BUCKET = 'hardline-fleet-runs';
const HOME = 'eu-west-1';
const SCANNER = { accessKeyId: 'fleet-scanner-key-id', secretAccessKey: 'fleet-scanner-secret' };

/** The pipeline configuration the CDK construct would give the functions, for an organisation scan. */
export function fleetSettings(fleet: Fleet): PipelineSettings {
  return pipelineSettings({
    HARDLINE_TABLE: TABLE,
    HARDLINE_RUNS_BUCKET: BUCKET,
    HARDLINE_MAP_MODE: 'distributed',
    HARDLINE_ORG_MODE: 'organization',
    HARDLINE_REGIONS: fleet.spec.regions.join(','),
    HARDLINE_MEMBER_ROLE_NAME: 'hardline-read',
    HARDLINE_EXTERNAL_ID: 'hardline-fleet-external-id',
    HARDLINE_ACCOUNT_CONCURRENCY: '8',
  });
}

/** The AWS client factory of the functions, with every client registered under its account and region for the mocks. */
export function fleetClients(sessions: SessionCache): AwsClientFactory {
  const base = createSdkClientFactory({ region: HOME, maxAttempts: 1, credentialsFor: (a) => sessions.provider(a) });
  const tag = <T extends object>(client: T, accountId: string, region: string): T => {
    clientIdentity.set(client, { accountId, region });
    return client;
  };
  return {
    eks: (a, r) => tag(base.eks(a, r), a, r),
    ecr: (a, r) => tag(base.ecr(a, r), a, r),
    ec2: async (a, r) => tag(await base.ec2(a, r), a, r),
    inspector: (a, r) => tag(base.inspector(a, r), a, r),
    guardDuty: (a, r) => tag(base.guardDuty(a, r), a, r),
    logs: (a, r) => tag(base.logs(a, r), a, r),
    iam: (a, r) => tag(base.iam(a, r), a, r),
    account: (a) => tag(base.account(a), a, HOME),
    credentials: (a) => base.credentials(a),
  };
}

export function sessionsFor(settings: PipelineSettings): SessionCache {
  return new SessionCache(new STSClient({ region: HOME, credentials: SCANNER }), {
    roleName: settings.memberRoleName,
    ...(settings.externalId ? { externalId: settings.externalId } : {}),
    sessionName: 'hardline-fleet',
  });
}

/**
 * What createPipelineDeps builds in a Lambda container, over the simulation's endpoints: the
 * same SessionCache, client factory and live Kubernetes collector, the store on dynalite.
 * One set per run — a new scheduled run usually meets new containers.
 */
export function fleetDeps(fleet: Fleet, store: FindingsStore, now: () => Date): PipelineDeps {
  const settings = fleetSettings(fleet);
  const sessions = sessionsFor(settings);
  return {
    settings,
    store,
    aws: fleetClients(sessions),
    openSession: (a) => sessions.credentials(a),
    kubernetes: liveKubernetesCollector({
      defaultCredentials: () => Promise.reject(new Error('no member-role session for this account')),
      reachPrivateEndpoints: false,
      connectTimeoutMs: settings.connectTimeoutMs,
      timeoutMs: fleet.spec.kubeTimeoutMs,
    }),
    s3: new S3Client({ region: HOME, credentials: SCANNER }),
    organizations: new OrganizationsClient({ region: HOME, credentials: SCANNER }),
    now,
  };
}

/** The real handlers (functions/*), built as their modules build them, with the simulation's deps. */
export function fleetHandlers(deps: PipelineDeps, logLevel: 'SILENT' | 'DEBUG' = 'SILENT'): Handlers {
  const logger = (serviceName: string) => new Logger({ serviceName, logLevel });
  return {
    discover: createDiscoverHandler(() => deps, logger('hardline-discover')) as Handlers['discover'],
    scanCluster: createScanClusterHandler(() => deps, logger('hardline-scan-cluster')) as Handlers['scanCluster'],
    scanRegistry: createScanRegistryHandler(() => deps, logger('hardline-scan-registry')) as Handlers['scanRegistry'],
    summarize: createSummarizeHandler(
      () => deps,
      logger('hardline-summarize'),
      new Metrics({ namespace: 'HardlineFleetSim', serviceName: 'hardline-summarize' }),
    ) as Handlers['summarize'],
  };
}
