import type { Node } from 'constructs';
import * as z from 'zod';
import { ONBOARDING_MODES } from '../shared/cluster-access/onboarding-commands.js';
import { ACCOUNT_ID, REGION } from '../shared/core/aws-ids.js';
import { ConfigError } from '../shared/core/errors.js';
import { formatZodIssues } from '../shared/core/zod-issues.js';
import { parseConfig } from '../shared/engine/config.js';
import { FRAMEWORK_IDS } from '../shared/frameworks/index.js';

/**
 * The deployment's settings, from CDK context (`cdk.json` "context", or `-c key=value` on the
 * command line — where every value arrives as a string, so lists accept "a,b" and objects accept
 * JSON). docs/deploy.md documents each key. Parsed once, at the edge: a wrong value stops the
 * synth with the key named, instead of deploying something half-configured.
 */
const fromString = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    const t = v.trim();
    if (t.startsWith('{') || t.startsWith('[')) return JSON.parse(t) as unknown;
    return t;
  }, schema);
const list = (item: z.ZodString) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const siemSchema = z.discriminatedUnion('kind', [
  /** An encrypted SQS queue the SIEM polls (Splunk, Elastic and Sentinel all have SQS inputs). The default. */
  z.object({ kind: z.literal('queue') }),
  /** An HTTPS endpoint through an EventBridge API destination; the API key stays in Secrets Manager. */
  z.object({
    kind: z.literal('api-destination'),
    endpoint: z.url({ protocol: /^https$/ }),
    apiKeyHeader: z.string().min(1).default('Authorization'),
    apiKeySecretArn: z.string().regex(/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN'),
    rateLimitPerSecond: int(1, 300).default(10),
  }),
  /** An existing Amazon Data Firehose stream (to Splunk, OpenSearch, S3, …). */
  z.object({
    kind: z.literal('firehose'),
    deliveryStreamArn: z.string().regex(/^arn:aws[\w-]*:firehose:[\w-]+:\d{12}:deliverystream\/.+$/, 'a Firehose delivery stream ARN'),
  }),
]);

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const vpcSchema = z
  .object({
    vpcId: z.string().regex(VPC_ID, 'a VPC id'),
    subnetIds: z.array(z.string().regex(/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/, 'a subnet id')).min(1),
    availabilityZones: z.array(z.string().min(1)).min(1),
    /** Existing security groups for the function (else one with HTTPS egress only is created). */
    securityGroupIds: z
      .array(z.string().regex(/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/, 'a security group id'))
      .min(1)
      .optional(),
    /** The cluster VPCs this network has a route to; when set, a private endpoint in any other VPC is not tried. */
    clusterVpcIds: z.array(z.string().regex(VPC_ID, 'a VPC id')).min(1).optional(),
  })
  .strict();

const contextSchema = z
  .object({
    /** EventBridge Scheduler expression (cron/rate) and its time zone. */
    schedule: z
      .string()
      .regex(/^(cron|rate)\(.+\)$/, 'a Scheduler expression such as cron(0 3 * * ? *)')
      .default('cron(0 3 * * ? *)'),
    scheduleTimezone: z.string().min(1).default('UTC'),
    /** Regions scanned in every account; empty = the stack's own region. */
    regions: list(z.string().regex(REGION, 'an AWS region')).default([]),
    /** `account`: the scanner's own account; `organization`: every ACTIVE account (needs Organizations read access). */
    orgMode: z.enum(['account', 'organization']).default('account'),
    memberRoleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/)
      .default('hardline-read'),
    /** Prefix of the scanner roles' fixed names: member roles trust exactly these. */
    scannerRolePrefix: z
      .string()
      .regex(/^[\w+=,.@-]{1,48}$/)
      .default('hardline-scanner'),
    externalId: z
      .string()
      .regex(/^[\w+=,.@:/-]{2,1224}$/)
      .default('hardline'),
    siem: fromString(siemSchema).default({ kind: 'queue' }),
    /** Days a resolved finding (and its history) is kept before DynamoDB TTL removes it. */
    retentionDays: int(1, 3650).default(90),
    logRetentionDays: z.coerce
      .number()
      .refine((n) => LOG_RETENTION_DAYS.includes(n), `one of ${LOG_RETENTION_DAYS.join(', ')}`)
      .default(365),
    archiveRetentionDays: int(0, 3650).default(365),
    runsRetentionDays: int(1, 365).default(30),
    mapMode: z.enum(['distributed', 'inline']).default('distributed'),
    maxConcurrency: int(1, 1000).default(20),
    /** Reserved concurrency of every scan-cluster function (default: maxConcurrency); never below maxConcurrency. */
    scanClusterReservedConcurrency: int(1, 1000).optional(),
    /** The missed-run alarm fires when no run succeeded within this many hours (above the schedule's interval). */
    missedRunAlarmHours: int(1, 168).default(26),
    deletionProtection: bool.default(true),
    framework: z.enum(FRAMEWORK_IDS).default('all'),
    /** hardline.config.yaml content (allowed registries, required labels, …), validated here. */
    scanConfig: fromString(z.record(z.string(), z.unknown())).optional(),
    vpc: fromString(vpcSchema).optional(),
    /**
     * Per scanned region, the network (subnets in the stack's region, routed by peering or Transit
     * Gateway to that region's cluster VPCs) of a scan-cluster function of its own: that region's
     * clusters are routed to it. Lambda runs only in its own region's VPCs, hence subnets here.
     */
    regionNetworks: fromString(z.record(z.string().regex(REGION, 'an AWS region'), vpcSchema)).default({}),
    alarmEmail: z.email().optional(),
    /** Import every finding event into this account's Security Hub (ASFF) and keep its workflow in step. */
    securityHub: bool.default(false),
    apiRateLimit: int(1, 10_000).default(20),
    apiBurstLimit: int(1, 5_000).default(40),
    /** Deploy the member read role in the scanner's own account from this stack (default: in account mode). */
    deployMemberRole: bool.optional(),
    /** Organisation mode: OUs the member-role StackSet deploys to (service-managed, auto-deployed to new accounts). */
    memberRoleOrganizationalUnits: list(
      z.string().regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, 'an OU or root id'),
    ).default([]),
    stackSetCallAs: z.enum(['SELF', 'DELEGATED_ADMIN']).default('DELEGATED_ADMIN'),
    /** For the separately deployed member stack: the scanner's account (else a CloudFormation parameter). */
    scannerAccountId: z.string().regex(ACCOUNT_ID).optional(),
    /** The coverage alarm fires when a run read the Kubernetes API of fewer than this percent of its clusters. */
    coverageFloorPercent: z.coerce.number().min(0).max(100).default(95),
    /** How clusters are onboarded: the steps listed for unreadable clusters, and what automatic onboarding creates. */
    onboardingMode: z.enum(ONBOARDING_MODES).default('readers-group'),
    /** Automatic onboarding (opt-in): OUs (or the root) whose clusters get the scanner's access entry, through a StackSet. */
    onboardingOrganizationalUnits: list(
      z.string().regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, 'an OU or root id'),
    ).default([]),
    /** Automatic onboarding of the scanner's own account's clusters (account mode), from this stack. */
    onboardOwnAccount: bool.default(false),
    /** Organisation id: member accounts may send CreateCluster events to the onboarding bus (organisation onboarding). */
    organizationId: z
      .string()
      .regex(/^o-[a-z0-9]{10,32}$/, 'an organization id (o-…)')
      .optional(),
    /** When the onboarding sweep runs over every opted-in account (existing clusters, and any CreateCluster event missed). */
    onboardingSchedule: z
      .string()
      .regex(/^(cron|rate)\(.+\)$/, 'a Scheduler expression')
      .default('rate(6 hours)'),
    /** Change rescans (opt-in): CloudTrail change events of the scanned accounts → a rescan of just the target that changed. */
    changeRescans: bool.default(false),
    /** Organisation mode: OUs whose accounts forward change events (a StackSet); default memberRoleOrganizationalUnits. */
    changeEventsOrganizationalUnits: list(
      z.string().regex(/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/, 'an OU or root id'),
    ).default([]),
    /** Changes of one target within this window after the first give one rescan (also the least delay before it). */
    rescanDebounceSeconds: int(0, 900).default(60),
  })
  .strict();

export type HardlineSettings = Omit<z.infer<typeof contextSchema>, 'scanClusterReservedConcurrency'> & {
  deployMemberRole: boolean;
  scanClusterReservedConcurrency: number;
};
export type SiemSettings = HardlineSettings['siem'];
export type VpcSettings = z.infer<typeof vpcSchema>;

export const CONTEXT_KEYS = Object.keys(contextSchema.shape);

/** Parses the settings from a plain object (tests) or a construct node's context (the app). */
export function parseSettings(raw: Record<string, unknown>): HardlineSettings {
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`hardline context: ${formatZodIssues(parsed.error)}`);
  }
  const s = parsed.data;
  if (s.scanConfig) parseConfig(s.scanConfig, 'context scanConfig');
  if (s.orgMode === 'account' && s.memberRoleOrganizationalUnits.length > 0) {
    throw new ConfigError('hardline context: memberRoleOrganizationalUnits needs orgMode=organization');
  }
  if (s.onboardOwnAccount && s.orgMode !== 'account') {
    throw new ConfigError(
      'hardline context: onboardOwnAccount is for orgMode=account (in an organisation, put the scanner account in an onboarding OU)',
    );
  }
  if ((s.onboardOwnAccount || s.onboardingOrganizationalUnits.length > 0) && s.memberRoleName.length > 46) {
    throw new ConfigError(
      'hardline context: memberRoleName must be at most 46 characters with onboarding (the onboarding roles append "-onboarding-events")',
    );
  }
  if (s.onboardingOrganizationalUnits.length > 0) {
    if (s.orgMode !== 'organization')
      throw new ConfigError(
        'hardline context: onboardingOrganizationalUnits needs orgMode=organization (use onboardOwnAccount in account mode)',
      );
    if (!s.organizationId)
      throw new ConfigError(
        'hardline context: onboardingOrganizationalUnits needs organizationId (member accounts send CreateCluster events to the scanner)',
      );
  }
  if (s.changeRescans) checkChangeRescans(s);
  for (const region of Object.keys(s.regionNetworks)) {
    if (!s.regions.includes(region))
      throw new ConfigError(
        `hardline context: regionNetworks.${region}: ${region} is not in regions, so no target would ever be routed to it`,
      );
  }
  const reserved = s.scanClusterReservedConcurrency ?? s.maxConcurrency;
  if (reserved < s.maxConcurrency) {
    // The Map can send maxConcurrency items to one scan-cluster function at once: below that, Lambda throttles them.
    throw new ConfigError(
      `hardline context: scanClusterReservedConcurrency (${reserved}) must be at least maxConcurrency (${s.maxConcurrency})`,
    );
  }
  return { ...s, deployMemberRole: s.deployMemberRole ?? s.orgMode === 'account', scanClusterReservedConcurrency: reserved };
}

function checkChangeRescans(s: z.infer<typeof contextSchema>): void {
  if (s.memberRoleName.length > 50)
    throw new ConfigError(
      'hardline context: memberRoleName must be at most 50 characters with changeRescans (the forwarding role appends "-change-events")',
    );
  if (s.orgMode !== 'organization') {
    if (s.changeEventsOrganizationalUnits.length > 0)
      throw new ConfigError('hardline context: changeEventsOrganizationalUnits needs orgMode=organization');
    return;
  }
  if (!s.organizationId)
    throw new ConfigError(
      'hardline context: changeRescans in organisation mode needs organizationId (member accounts send change events to the scanner)',
    );
  if (s.changeEventsOrganizationalUnits.length === 0 && s.memberRoleOrganizationalUnits.length === 0) {
    throw new ConfigError(
      'hardline context: changeRescans in organisation mode needs changeEventsOrganizationalUnits (or memberRoleOrganizationalUnits) to deploy the forwarding rules to',
    );
  }
}

/** Only hardline's keys are read from the context; CDK's own keys (aws:cdk:…, feature flags) are left alone. */
export function settingsFromContext(node: Node): HardlineSettings {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const v: unknown = node.tryGetContext(key);
    if (v !== undefined) raw[key] = v;
  }
  return parseSettings(raw);
}
