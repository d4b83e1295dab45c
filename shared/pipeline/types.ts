import * as z from 'zod';
import { KUBERNETES_ACCESS_STATES, type KubernetesAccessState } from '../cluster-access/kubernetes-access.js';
import { ACCOUNT_ID, REGION } from '../core/aws-ids.js';
import { SEVERITIES, STATUSES, type Target } from '../core/types.js';
import type { Summary, TargetStatus } from '../engine/report.js';
import type { ScanChanges } from '../store/items.js';

/**
 * The data that moves between the pipeline's steps (Step Functions state, Distributed Map items in
 * S3, item results written back by the map). Every step parses its input with these schemas: the
 * state machine is a boundary, and a malformed payload must fail loudly, not scan the wrong thing.
 */
/** Execution names become scan ids and key parts: keep them to what Step Functions and keys accept. */
export const SCAN_ID = /^[\w.-]{1,80}$/;

export const awsTargetSchema = z.object({
  kind: z.enum(['cluster', 'registry']),
  accountId: z.string().regex(ACCOUNT_ID, 'a 12-digit account id'),
  region: z.string().regex(REGION, 'an AWS region'),
  name: z.string().min(1).max(400),
  arn: z.string().max(2048).optional(),
});
export type AwsTarget = z.infer<typeof awsTargetSchema> & Target;

export const targetFailureSchema = z.object({ status: z.enum(['UNKNOWN', 'ERROR']), reason: z.string().max(4096) });

/** One map item: a target to scan, or one discovery already knows cannot be read (denied AssumeRole, region off). */
export const discoveredTargetSchema = z.object({
  target: awsTargetSchema,
  failure: targetFailureSchema.optional(),
  /** Part of a rescan: scan-registry confirms repositories that disappeared with a Describe of their own. */
  rescan: z.literal(true).optional(),
});
export type DiscoveredTarget = z.infer<typeof discoveredTargetSchema>;

const isoTime = z.iso.datetime({ offset: true });

/** What the state machine hands to discover (its execution name and start time). */
export const discoverInputSchema = z.object({
  scanId: z.string().regex(SCAN_ID, 'a scan id of letters, digits, ".", "_" or "-" (at most 80)'),
  startedAt: isoTime,
});
export type DiscoverInput = z.infer<typeof discoverInputSchema>;

export interface DiscoverOutput {
  scanId: string;
  startedAt: string;
  targetCount: number;
  /** The organisation's accounts: image findings of registries in them are read through their own role. */
  knownAccounts: string[];
  /** Distributed mode: the S3 key of the JSON array of DiscoveredTarget (the map's ItemReader). */
  targetsKey?: string;
  /** Inline mode: the targets themselves. */
  items?: DiscoveredTarget[];
  /** A rescan of named targets (no organisation-wide listing): summarize must not judge absence from it. */
  targeted?: true;
  /** Rescan: named clusters a DescribeCluster confirmed deleted (ResourceNotFound); summarize resolves their findings. */
  deletedTargets?: AwsTarget[];
  /** Rescan: named targets still changing, sent back to the change queue for later. */
  settlingTargets?: number;
  /** Rescan: named targets outside this deployment's accounts or regions, and what went wrong on the way (logged). */
  rejectedTargets?: string[];
  problems?: string[];
}

/** One map item as the scan steps receive it (the map's ItemSelector). */
export const scanStepInputSchema = z.object({
  scanId: z.string().regex(SCAN_ID),
  startedAt: isoTime,
  knownAccounts: z.array(z.string().regex(ACCOUNT_ID)).default([]),
  item: discoveredTargetSchema,
});
export type ScanStepInput = z.infer<typeof scanStepInputSchema>;

const counts = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int().min(0).default(0)])) as Record<K, z.ZodDefault<z.ZodNumber>>);
export const summarySchema = z.object({
  byStatus: counts(STATUSES),
  bySeverity: counts(SEVERITIES),
  exempted: z.number().int().min(0),
  score: z.number().nullable(),
});
export const scanChangesSchema = counts([
  'opened',
  'reopened',
  'resolved',
  'exempted',
  'unexempted',
  'refreshed',
  'unchanged',
  'kept',
  'supersededTargets',
] as const);

/**
 * What one map item produced. `recorded`: the scan step saved it into the store itself; an item
 * that failed (caught by the map) or was a discovery failure is recorded by summarize.
 */
export const targetOutcomeSchema = z.object({
  target: awsTargetSchema,
  status: z.enum(['OK', 'PARTIAL', 'UNKNOWN', 'ERROR']),
  reason: z.string().max(4096).optional(),
  resources: z.number().int().min(0).default(0),
  gaps: z.number().int().min(0).default(0),
  summary: summarySchema.optional(),
  changes: scanChangesSchema.optional(),
  recorded: z.boolean(),
  /** The Catch of a failed scan step: Step Functions' error name and cause. */
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  /** Cluster targets: whether the Kubernetes API was read (fleet coverage). */
  kubernetesAccess: z.object({ state: z.enum(KUBERNETES_ACCESS_STATES) }).optional(),
});
export interface TargetOutcome {
  target: AwsTarget;
  status: TargetStatus;
  reason?: string;
  resources: number;
  gaps: number;
  summary?: Summary;
  changes?: ScanChanges;
  recorded: boolean;
  error?: { Error?: string; Cause?: string };
  kubernetesAccess?: { state: KubernetesAccessState };
}

/** Where a Distributed Map wrote its item results (its state output with a ResultWriter). */
export const resultWriterOutputSchema = z.object({
  ResultWriterDetails: z.object({ Bucket: z.string().min(3), Key: z.string().min(1) }),
});

export const summarizeInputSchema = z.object({
  scanId: z.string().regex(SCAN_ID),
  startedAt: isoTime,
  targetCount: z.number().int().min(0).optional(),
  targetsKey: z.string().min(1).optional(),
  items: z.array(discoveredTargetSchema).optional(),
  /** Inline map: the outcomes; distributed map: where they were written. Absent when the map itself failed. */
  map: z.union([z.array(z.unknown()), resultWriterOutputSchema]).optional(),
  mapError: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  targeted: z.literal(true).optional(),
  deletedTargets: z.array(awsTargetSchema).optional(),
  settlingTargets: z.number().int().min(0).optional(),
});
export type SummarizeInput = z.infer<typeof summarizeInputSchema>;

export interface RunSummary {
  scanId: string;
  status: 'COMPLETED';
  targets: number;
  /** Targets that ended UNKNOWN or ERROR. */
  failedTargets: number;
  byTargetStatus: Record<TargetStatus, number>;
  summary: Summary;
  changes: ScanChanges;
  /** Cluster targets whose Kubernetes API was read, out of the clusters discovered (the coverage metric). */
  coverage: RunCoverage;
  /** Clusters absent from this run's listing: still unconfirmed, and confirmed deleted (their findings resolved). */
  deletedTargets: { absent: number; deleted: number; resolvedFindings: number };
  /** A rescan of named targets: its coverage is not the fleet's, and it does not count as a scheduled run. */
  targeted?: true;
  /** Rescan: named targets still changing, to be scanned by a follow-up. */
  settlingTargets?: number;
}

export interface RunCoverage {
  clusters: number;
  readable: number;
  /** readable / clusters; 1 when no cluster was discovered (nothing unread). */
  ratio: number;
  byState: Partial<Record<KubernetesAccessState, number>>;
}

/** Identity of a target across steps: a registry's name may be refined by the scan (another registry id). */
export function targetKey(t: Pick<Target, 'kind' | 'accountId' | 'region' | 'name'>): string {
  return [t.kind, t.accountId ?? '', t.region ?? '', t.kind === 'registry' ? '' : t.name].join('|');
}
