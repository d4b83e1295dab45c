import type { AwsSecurityFinding, AwsSecurityFindingIdentifier, SecurityHubClient, WorkflowStatus } from '@aws-sdk/client-securityhub';
import * as z from 'zod';
import type { ControlFacts } from '../controls/types.js';
import type { BackoffOptions } from '../core/backoff.js';
import { SEVERITIES, STATUSES } from '../core/types.js';
import type { Result } from '../engine/types.js';
import { EVENT_SOURCE, FINDING_DETAIL_TYPES } from '../events/types.js';
import { redactDeep } from '../redaction/redact.js';
import { asffFinding, partitionOf } from '../report/asff.js';
import { importAsffFindings, updateWorkflowStatus, type SecurityHubFailure } from './import.js';

/**
 * The service's Security Hub import: finding events from the hardline bus (delivered through a
 * queue, up to 100 at a time) → ASFF in the scanner account's Security Hub → workflow status of
 * findings that were resolved, exempted or reopened. Parsed at the edge: a message that is not a
 * hardline finding event is reported as failed (it reaches the dead-letter queue), never skipped.
 */
const findingEventSchema = z.object({
  source: z.literal(EVENT_SOURCE),
  'detail-type': z.enum(FINDING_DETAIL_TYPES),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    findingId: z.string().regex(/^[0-9a-f]{64}$/),
    version: z.number().int().min(1),
    controlId: z.string().min(1),
    severity: z.enum(SEVERITIES),
    status: z.enum(STATUSES),
    state: z.enum(['OPEN', 'RESOLVED', 'EXEMPTED']),
    previousState: z.enum(['OPEN', 'RESOLVED', 'EXEMPTED']).optional(),
    target: z.object({
      kind: z.enum(['cluster', 'registry', 'manifests']),
      name: z.string().min(1),
      accountId: z.string().optional(),
      region: z.string().optional(),
      arn: z.string().optional(),
    }),
    resource: z.object({
      apiVersion: z.string(),
      kind: z.string(),
      name: z.string(),
      namespace: z.string().optional(),
      container: z.string().optional(),
    }),
    firstSeen: z.string().min(1),
    lastSeen: z.string().min(1),
    scanId: z.string().min(1),
    message: z.string(),
    exemption: z.object({ by: z.string(), reason: z.string(), expires: z.string().optional(), source: z.string().optional() }).optional(),
  }),
});
export type FindingEvent = z.infer<typeof findingEventSchema>;

export function parseFindingEvent(body: string): FindingEvent {
  return findingEventSchema.parse(JSON.parse(body));
}

/** Where findings go: the scanner account's own Security Hub (the `default` product of that account). */
export interface Hub {
  account: string;
  region: string;
}

/**
 * One finding event as ASFF. BatchImportFindings with an account's default product accepts only
 * findings whose AwsAccountId is that account: the finding is filed under the scanner account,
 * and the affected account and region stay in the resource ARN and in ProductFields.
 */
export function asffFromFindingEvent(e: FindingEvent, hub: Hub, controls: readonly ControlFacts[]): AwsSecurityFinding {
  const d = e.detail;
  const result: Result = {
    controlId: d.controlId,
    // Resolved = gone or passing now: Security Hub shows the control as passed.
    status: d.state === 'RESOLVED' ? 'PASS' : d.status,
    severity: d.severity,
    target: d.target,
    resource: d.resource,
    message: d.message,
    // Events from before exemptions named their source carry only `by`.
    ...(d.exemption ? { exempted: { ...d.exemption, source: d.exemption.source ?? d.exemption.by } } : {}),
  };
  const control = controls.find((c) => c.id === d.controlId);
  const finding = asffFinding({ scan: { id: d.scanId, startedAt: d.firstSeen, finishedAt: e.time } }, result, {
    controls,
    state: d.state,
    ...(control ? { control } : {}),
    productAccount: hub.account,
    productRegion: hub.region,
  });
  return redactDeep({
    ...finding,
    Id: `hardline/${d.findingId}`,
    AwsAccountId: hub.account,
    Region: hub.region,
    LastObservedAt: d.lastSeen,
    ProductFields: {
      ...finding.ProductFields,
      'hardline/account': d.target.accountId ?? '',
      'hardline/region': d.target.region ?? '',
      'hardline/version': String(d.version),
    },
  });
}

/** The workflow status a transition sets on an existing Security Hub finding (a new OPEN one needs none). */
export function workflowAfter(e: FindingEvent): WorkflowStatus | undefined {
  if (e.detail.state === 'RESOLVED') return 'RESOLVED';
  if (e.detail.state === 'EXEMPTED') return 'SUPPRESSED';
  return e.detail.previousState ? 'NEW' : undefined;
}

export interface FindingEventMessage {
  messageId: string;
  body: string;
}

export interface SecurityHubImportResult {
  imported: number;
  workflowUpdates: number;
  /** Messages to deliver again (SQS partial batch response); after the queue's retries they reach its DLQ. */
  failedMessageIds: string[];
  failures: (SecurityHubFailure & { messageId?: string })[];
}

/**
 * Imports one batch of finding-event messages. Of several events for one finding in the batch only
 * the latest version is sent (a standard queue does not keep order; Security Hub keeps the last
 * import). A message fails when it cannot be parsed, or when its finding's import or workflow
 * update still fails after the retries.
 */
export async function importFindingEvents(
  messages: readonly FindingEventMessage[],
  deps: { client: SecurityHubClient; hub: Hub; controls: readonly ControlFacts[]; backoff: BackoffOptions },
): Promise<SecurityHubImportResult> {
  const out: SecurityHubImportResult = { imported: 0, workflowUpdates: 0, failedMessageIds: [], failures: [] };
  const latest = new Map<string, FindingEvent>();
  const messagesOf = new Map<string, string[]>();
  for (const m of messages) {
    let e: FindingEvent;
    try {
      e = parseFindingEvent(m.body);
    } catch (err) {
      out.failedMessageIds.push(m.messageId);
      out.failures.push({
        messageId: m.messageId,
        id: '',
        code: 'InvalidMessage',
        message: err instanceof Error ? err.message.slice(0, 300) : 'unparsable',
      });
      continue;
    }
    const id = `hardline/${e.detail.findingId}`;
    messagesOf.set(id, [...(messagesOf.get(id) ?? []), m.messageId]);
    const known = latest.get(id);
    if (!known || known.detail.version < e.detail.version) latest.set(id, e);
  }
  const findings = [...latest.values()].map((e) => asffFromFindingEvent(e, deps.hub, deps.controls));
  const imported = await importAsffFindings(deps.client, findings, deps.backoff);
  out.imported = imported.done;
  const failed = new Map(imported.failed.map((f) => [f.id, f]));
  const productArn = `arn:${partitionOf(deps.hub.region)}:securityhub:${deps.hub.region}:${deps.hub.account}:product/${deps.hub.account}/default`;
  const byStatus = new Map<WorkflowStatus, AwsSecurityFindingIdentifier[]>();
  for (const [id, e] of latest) {
    const status = workflowAfter(e);
    if (!status || failed.has(id)) continue;
    byStatus.set(status, [...(byStatus.get(status) ?? []), { Id: id, ProductArn: productArn }]);
  }
  for (const [status, ids] of byStatus) {
    const updated = await updateWorkflowStatus(deps.client, ids, status, deps.backoff);
    out.workflowUpdates += updated.done;
    for (const f of updated.failed) failed.set(f.id, f);
  }
  for (const [id, f] of failed) {
    out.failures.push(f);
    out.failedMessageIds.push(...(messagesOf.get(id) ?? []));
  }
  return out;
}
