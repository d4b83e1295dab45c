import * as z from 'zod';
import { ACCOUNT_ID, EKS_CLUSTER_NAME, REGION } from '../core/aws-ids.js';
import { RESCAN_REQUEST_DETAIL_TYPE, RESCAN_REQUEST_SOURCE, rescanExecutionInputSchema, type TargetRef } from '../pipeline/rescan-input.js';
import { CLOUDTRAIL_DETAIL_TYPE, ECR_CHANGE_EVENTS, EKS_CHANGE_EVENTS } from './change-events.js';

/**
 * What one message of the change queue asks for: the targets it touches. Pure: the event is
 * parsed here, at the edge, and nothing else is looked up. A message that names no target hardline
 * scans (a failed call, an event it does not act on, a malformed one) is ignored with the reason —
 * retrying it would never make it name one.
 */
export type ChangeSignal = { targets: TargetRef[]; attempt: number; why: string } | { ignored: string };

const record = z.record(z.string(), z.unknown());
const cloudTrailEventSchema = z.object({
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  source: z.string(),
  account: z.string(),
  region: z.string(),
  detail: z.object({
    eventSource: z.string(),
    eventName: z.string(),
    awsRegion: z.string().optional(),
    recipientAccountId: z.string().optional(),
    errorCode: z.string().optional(),
    requestParameters: record.nullish(),
    responseElements: record.nullish(),
  }),
});
const rescanRequestSchema = z.object({
  'detail-type': z.literal(RESCAN_REQUEST_DETAIL_TYPE),
  source: z.literal(RESCAN_REQUEST_SOURCE),
  detail: rescanExecutionInputSchema,
});

const EKS = new Set<string>(EKS_CHANGE_EVENTS);
const ECR = new Set<string>(ECR_CHANGE_EVENTS);

export function changeSignalOf(event: unknown): ChangeSignal {
  const request = rescanRequestSchema.safeParse(event);
  if (request.success) {
    const d = request.data.detail;
    return { targets: d.targets, attempt: d.attempt ?? 0, why: d.reason ?? RESCAN_REQUEST_DETAIL_TYPE };
  }
  const parsed = cloudTrailEventSchema.safeParse(event);
  if (!parsed.success)
    return { ignored: 'neither a CloudTrail API call nor a Rescan Requested event (its detail must match docs/rescan-input.schema.json)' };
  const e = parsed.data;
  const d = e.detail;
  // The forwarding rule only passes successful calls; a failed one changed nothing, whatever route it took.
  if (d.errorCode) return { ignored: `${d.eventName} failed (${d.errorCode})` };
  const accountId = d.recipientAccountId ?? e.account;
  const region = d.awsRegion ?? e.region;
  if (!ACCOUNT_ID.test(accountId) || !REGION.test(region)) return { ignored: `${d.eventName}: no account or region` };
  const why = `${d.eventName} in ${accountId}/${region}`;
  if (d.eventSource === 'ecr.amazonaws.com' && ECR.has(d.eventName))
    return { targets: [{ kind: 'registry', accountId, region }], attempt: 0, why };
  if (d.eventSource === 'eks.amazonaws.com' && EKS.has(d.eventName)) {
    const name = clusterNameOf(d.requestParameters ?? {}, d.responseElements ?? {});
    if (!name) return { ignored: `${why}: the event names no cluster` };
    return { targets: [{ kind: 'cluster', accountId, region, name }], attempt: 0, why: `${why}: cluster ${name}` };
  }
  return { ignored: `${d.eventSource} ${d.eventName} does not change what hardline checks` };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && EKS_CLUSTER_NAME.test(v) ? v : undefined);
const field = (o: Record<string, unknown>, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

/**
 * CloudTrail records EKS calls with the cluster in the request (`name` for cluster calls, the
 * URI's `name` or `clusterName` for nodegroups, add-ons and access entries) and in the response
 * (`cluster.name`, `nodegroup.clusterName`, …): the first valid cluster name wins.
 */
function clusterNameOf(request: Record<string, unknown>, response: Record<string, unknown>): string | undefined {
  const candidates = [
    field(request, ['clusterName']),
    field(request, ['name']),
    field(response, ['cluster', 'name']),
    field(response, ['nodegroup', 'clusterName']),
    field(response, ['addon', 'clusterName']),
    field(response, ['accessEntry', 'clusterName']),
    field(response, ['associatedAccessPolicy', 'clusterName']),
    field(response, ['clusterName']),
  ];
  for (const c of candidates) {
    const name = str(c);
    if (name) return name;
  }
  return undefined;
}
