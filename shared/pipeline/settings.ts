import * as z from 'zod';
import { ONBOARDING_MODES, type OnboardingGuide } from '../cluster-access/onboarding-commands.js';
import { defaultConfig, type HardlineConfig } from '../config/settings.js';
import { REGION } from '../core/aws-ids.js';
import { commaList } from '../core/comma-list.js';
import { ConfigError } from '../core/errors.js';
import { memberAccessEnvironment } from '../core/member-access-env.js';
import { formatZodIssues } from '../core/zod-issues.js';
import { parseConfig } from '../engine/config.js';
import { FRAMEWORK_IDS } from '../frameworks/index.js';

/**
 * The pipeline's configuration, set by the CDK constructs as Lambda environment variables
 * (infra/constructs/scan-pipeline.ts writes the same names). Parsed once per container; a wrong
 * value is a ConfigError naming the variable, never a silent default.
 */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const environmentSchema = z.object({
  HARDLINE_TABLE: z.string().min(3),
  HARDLINE_RUNS_BUCKET: z.string().min(3).optional(),
  HARDLINE_MAP_MODE: z.enum(['inline', 'distributed']).default('distributed'),
  ...memberAccessEnvironment,
  HARDLINE_REGIONS: commaList(REGION, 'an AWS region').optional(),
  HARDLINE_FRAMEWORK: z.enum(FRAMEWORK_IDS).default('all'),
  HARDLINE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** scan-cluster runs inside the clusters' VPC: private-only endpoints are tried instead of reported unreachable. */
  HARDLINE_REACH_PRIVATE_ENDPOINTS: flag.default(false),
  /** The VPCs this scan-cluster function has a route to; a private endpoint elsewhere is `private-no-route` without trying. */
  HARDLINE_REACHABLE_VPCS: commaList(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id').optional(),
  /** TCP connect timeout to an API server, before any Kubernetes request. */
  HARDLINE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** hardline.config.yaml as JSON (allowed registries, required labels, …). */
  HARDLINE_CONFIG: z.string().optional(),
  HARDLINE_ACCOUNT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** How clusters are onboarded: the onboarding step of an unreadable cluster is given for this mode. */
  HARDLINE_ONBOARDING_MODE: z.enum(ONBOARDING_MODES).default('readers-group'),
  /** Change rescans: where discover sends a target that is still settling, for a later look. */
  HARDLINE_RESCAN_QUEUE_URL: z.url({ protocol: /^https$/ }).optional(),
});

export interface PipelineSettings {
  table: string;
  runsBucket?: string;
  mapMode: 'inline' | 'distributed';
  orgMode: 'organization' | 'account';
  accountId?: string;
  partition: string;
  regions: string[];
  memberRoleName: string;
  externalId?: string;
  framework: (typeof FRAMEWORK_IDS)[number];
  retentionDays: number;
  reachPrivateEndpoints: boolean;
  reachableVpcIds?: string[];
  connectTimeoutMs: number;
  config: HardlineConfig;
  accountConcurrency: number;
  /** Names the mode and the member role in the onboarding steps of unreadable clusters. */
  onboarding: OnboardingGuide;
  rescanQueueUrl?: string;
}

export function pipelineSettings(env: NodeJS.ProcessEnv = process.env): PipelineSettings {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`pipeline environment: ${formatZodIssues(parsed.error)}`);
  }
  const e = parsed.data;
  let config: HardlineConfig;
  try {
    config = e.HARDLINE_CONFIG ? parseConfig(JSON.parse(e.HARDLINE_CONFIG), 'HARDLINE_CONFIG') : defaultConfig();
  } catch (cause) {
    throw new ConfigError(
      `pipeline environment: HARDLINE_CONFIG is not a valid hardline configuration (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause },
    );
  }
  const settings: PipelineSettings = {
    table: e.HARDLINE_TABLE,
    mapMode: e.HARDLINE_MAP_MODE,
    orgMode: e.HARDLINE_ORG_MODE,
    partition: e.HARDLINE_PARTITION,
    regions: e.HARDLINE_REGIONS ?? [],
    memberRoleName: e.HARDLINE_MEMBER_ROLE_NAME,
    framework: e.HARDLINE_FRAMEWORK,
    retentionDays: e.HARDLINE_RETENTION_DAYS,
    reachPrivateEndpoints: e.HARDLINE_REACH_PRIVATE_ENDPOINTS,
    connectTimeoutMs: e.HARDLINE_CONNECT_TIMEOUT_MS,
    config,
    accountConcurrency: e.HARDLINE_ACCOUNT_CONCURRENCY,
    onboarding: { mode: e.HARDLINE_ONBOARDING_MODE, partition: e.HARDLINE_PARTITION, memberRoleName: e.HARDLINE_MEMBER_ROLE_NAME },
  };
  if (e.HARDLINE_RUNS_BUCKET) settings.runsBucket = e.HARDLINE_RUNS_BUCKET;
  if (e.HARDLINE_ACCOUNT_ID) settings.accountId = e.HARDLINE_ACCOUNT_ID;
  if (e.HARDLINE_EXTERNAL_ID) settings.externalId = e.HARDLINE_EXTERNAL_ID;
  if (e.HARDLINE_REACHABLE_VPCS) settings.reachableVpcIds = e.HARDLINE_REACHABLE_VPCS;
  if (e.HARDLINE_RESCAN_QUEUE_URL) settings.rescanQueueUrl = e.HARDLINE_RESCAN_QUEUE_URL;
  return settings;
}

/** What discover needs beyond the common settings: where to look. */
export function requireDiscoverySettings(s: PipelineSettings): void {
  if (s.regions.length === 0) throw new ConfigError('pipeline environment: HARDLINE_REGIONS is not set');
  if (s.orgMode === 'account' && !s.accountId)
    throw new ConfigError('pipeline environment: HARDLINE_ACCOUNT_ID is required in account mode');
  if (s.mapMode === 'distributed' && !s.runsBucket)
    throw new ConfigError('pipeline environment: HARDLINE_RUNS_BUCKET is required in distributed map mode');
}
