import * as z from 'zod';
import { registryHost } from '../inventory/ecr.js';
import { ACCOUNT_ID, EKS_CLUSTER_NAME, REGION } from '../core/aws-ids.js';
import { discoverInputSchema, type AwsTarget } from './types.js';

/**
 * The rescan input: which targets to scan now, instead of the whole organisation. It is the
 * detail of a `Rescan Requested` event on the changes bus (what a user's own forwarder sends, e.g.
 * for Kubernetes audit events) and the execution input of the scan state machine (what the
 * rescan function starts it with). docs/rescan-input.schema.json is generated from this schema.
 */
/** How a rescan request travels on the changes bus (and back to the change queue as a follow-up). */
export const RESCAN_REQUEST_SOURCE = 'hardline.rescan';
export const RESCAN_REQUEST_DETAIL_TYPE = 'Rescan Requested';

const account = z.string().regex(ACCOUNT_ID, 'a 12-digit account id').describe('AWS account id of the target');
const region = z.string().regex(REGION, 'an AWS region').describe('AWS region of the target');

export const targetRefSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('cluster'),
      accountId: account,
      region,
      name: z.string().regex(EKS_CLUSTER_NAME, 'an EKS cluster name').describe('EKS cluster name'),
    })
    .strict()
    .describe('An EKS cluster: its EKS settings and its Kubernetes API are scanned'),
  z
    .object({ kind: z.literal('registry'), accountId: account, region })
    .strict()
    .describe('The ECR registry of the account in the region (every repository)'),
]);
export type TargetRef = z.infer<typeof targetRefSchema>;

/** At most this many targets per request: one execution scans them all, and the state stays small. */
export const MAX_RESCAN_TARGETS = 50;

export const rescanInputSchema = z
  .object({
    targets: z.array(targetRefSchema).min(1).max(MAX_RESCAN_TARGETS).describe('The targets to scan now'),
    reason: z.string().min(1).max(512).optional().describe('Why (shown in logs): e.g. the Kubernetes audit event that triggered it'),
  })
  .strict()
  .meta({
    $id: 'https://hardline.dev/schemas/rescan-input.schema.json',
    title: 'hardline rescan input',
    description:
      'Targets to rescan now: the detail of a "Rescan Requested" event (source "hardline.rescan") on the hardline-changes bus, or the input of the scan state machine.',
  });

/** What the rescan function starts an execution with: the public input plus how often the targets were already found settling. */
export const rescanExecutionInputSchema = rescanInputSchema.extend({
  /** Follow-up number (0 for the first run after the change): bounds how long a settling target is waited for. */
  attempt: z.number().int().min(0).max(100).optional(),
});
export type RescanExecutionInput = z.infer<typeof rescanExecutionInputSchema>;

/**
 * discover's input: the execution's own input rides along. A scheduled run's is `{}` (or anything
 * without `targets`: the whole organisation is discovered); a rescan's names its targets.
 */
export const discoverStepInputSchema = discoverInputSchema.extend({
  request: z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && !('targets' in v))) return undefined;
      const parsed = rescanExecutionInputSchema.safeParse(v);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }),
});

export function awsTargetOf(ref: TargetRef): AwsTarget {
  if (ref.kind === 'cluster') return { kind: 'cluster', accountId: ref.accountId, region: ref.region, name: ref.name };
  return { kind: 'registry', accountId: ref.accountId, region: ref.region, name: registryHost(ref.accountId, ref.region) };
}

export const refKey = (r: TargetRef): string => `${r.kind}|${r.accountId}|${r.region}|${r.kind === 'cluster' ? r.name : ''}`;

/** The JSON Schema users validate their forwarder's output with (draft-07: what most validators speak). */
export function rescanInputJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(rescanInputSchema, { target: 'draft-07' }) as Record<string, unknown>;
}
