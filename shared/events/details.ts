import { controlFacts } from '../controls/facts.js';
import type { ResourceRef } from '../core/types.js';
import type { TargetStatus } from '../engine/report.js';
import type { FindingState } from '../findings/types.js';
import { redactDeep } from '../redaction/redact.js';
import {
  COMPLIANCE_FINDING,
  ocsfComplianceStatusId,
  ocsfFindingStatusId,
  ocsfSeverityId,
  ocsfTypeUid,
  type OcsfActivityId,
} from './ocsf-codes.js';
import type { FindingImage, ScanImage, TargetImage } from './stream.js';
import {
  DETAIL_SCHEMA_VERSION,
  type FindingDetailType,
  type FindingEventDetail,
  type HardlineEvent,
  type ScanCompletedDetail,
  type TargetFailedDetail,
  type TargetOutcome,
  type TargetRef,
} from './types.js';

/** Lifecycle transition → OCSF activity: opening creates, closing closes, the rest updates. */
const ACTIVITY: Record<FindingDetailType, OcsfActivityId> = {
  'Finding Opened': 1,
  'Finding Reopened': 2,
  'Finding Exempted': 2,
  'Finding Resolved': 3,
};

function targetRef(t: {
  kind: TargetRef['kind'];
  name: string;
  accountId?: string | null;
  region?: string | null;
  arn?: string | null;
}): TargetRef {
  const ref: TargetRef = { kind: t.kind, name: t.name };
  if (t.accountId) ref.accountId = t.accountId;
  if (t.region) ref.region = t.region;
  if (t.arn) ref.arn = t.arn;
  return ref;
}

/** The routing fields every detail repeats at top level so rules need no nested paths. */
function placement(t: TargetRef): { account?: string; region?: string; cluster?: string } {
  return {
    ...(t.accountId ? { account: t.accountId } : {}),
    ...(t.region ? { region: t.region } : {}),
    ...(t.kind === 'cluster' ? { cluster: t.name } : {}),
  };
}

/** EventBridge `Resources` must be ARNs; only a real ARN goes there. */
function arnResources(t: TargetRef): string[] {
  return t.arn?.startsWith('arn:') ? [t.arn] : [];
}

export function findingEvent(detailType: FindingDetailType, item: FindingImage, previousState?: FindingState): HardlineEvent {
  const control = controlFacts(item.controlId);
  const target = targetRef(item.target);
  const resource: ResourceRef = { apiVersion: item.resource.apiVersion, kind: item.resource.kind, name: item.resource.name };
  if (item.resource.namespace) resource.namespace = item.resource.namespace;
  if (item.resource.container) resource.container = item.resource.container;
  const activity = ACTIVITY[detailType];
  const detail: FindingEventDetail = {
    eventKey: `finding:${item.findingId}:${item.version}`,
    schemaVersion: DETAIL_SCHEMA_VERSION,
    class_uid: COMPLIANCE_FINDING.class_uid,
    category_uid: COMPLIANCE_FINDING.category_uid,
    activity_id: activity,
    type_uid: ocsfTypeUid(activity),
    severity_id: ocsfSeverityId(item.severity),
    status_id: ocsfFindingStatusId(item.state),
    findingId: item.findingId,
    version: item.version,
    controlId: item.controlId,
    title: control?.title ?? item.controlId,
    severity: item.severity,
    status: item.status,
    state: item.state,
    ...(previousState ? { previousState } : {}),
    ...placement(target),
    target,
    resource,
    firstSeen: item.firstSeen,
    lastSeen: item.lastSeen,
    ...(item.resolvedAt ? { resolvedAt: item.resolvedAt } : {}),
    ...(detailType === 'Finding Resolved' && item.resolvedReason ? { resolvedReason: item.resolvedReason } : {}),
    scanId: item.scanId,
    message: item.message,
    ...(control ? { remediation: control.remediation, frameworks: control.frameworks } : {}),
    compliance: { control: item.controlId, status_id: ocsfComplianceStatusId(item.status) },
    ...(item.evidence ? { evidence: item.evidence } : {}),
    ...(item.exempted
      ? {
          exemption: {
            by: item.exempted.by,
            reason: item.exempted.reason,
            ...(item.exempted.expires ? { expires: item.exempted.expires } : {}),
            ...(item.exempted.source ? { source: item.exempted.source } : {}),
          },
        }
      : {}),
  };
  // The time of the transition as recorded in the item, never the clock: a redelivered record
  // must produce the very same entry.
  const time = detailType === 'Finding Resolved' ? (item.resolvedAt ?? item.lastSeen) : item.lastSeen;
  return { detailType, time, resources: arnResources(target), detail: redactDeep(detail) };
}

const TARGET_STATUSES: readonly TargetStatus[] = ['OK', 'PARTIAL', 'UNKNOWN', 'ERROR'];

export function scanCompletedEvent(item: ScanImage): HardlineEvent {
  const targetCounts = Object.fromEntries(TARGET_STATUSES.map((s) => [s, 0])) as Record<TargetStatus, number>;
  const targets: TargetOutcome[] = item.targets.map((t) => {
    targetCounts[t.status]++;
    return { ...targetRef(t), status: t.status, ...(t.reason ? { reason: t.reason } : {}), resources: t.resources, gaps: t.gaps };
  });
  const finishedAt = item.finishedAt ?? item.startedAt;
  const detail: ScanCompletedDetail = {
    eventKey: `scan:${item.scanId}`,
    schemaVersion: DETAIL_SCHEMA_VERSION,
    scanId: item.scanId,
    startedAt: item.startedAt,
    finishedAt,
    ...(item.framework ? { framework: item.framework } : {}),
    ...(item.summary ? { counts: item.summary } : {}),
    targetCounts,
    targets,
  };
  return { detailType: 'Scan Completed', time: finishedAt, resources: [], detail: redactDeep(detail) };
}

export function targetFailedEvent(item: TargetImage & { lastStatus: 'ERROR' | 'UNKNOWN' }): HardlineEvent {
  const target = targetRef(item);
  const identity = [target.accountId ?? '', target.region ?? '', target.kind, target.name].join('|');
  const detail: TargetFailedDetail = {
    eventKey: `target:${identity}:${item.lastScanId}`,
    schemaVersion: DETAIL_SCHEMA_VERSION,
    scanId: item.lastScanId,
    status: item.lastStatus,
    ...(item.lastReason ? { reason: item.lastReason } : {}),
    scannedAt: item.lastScannedAt,
    ...placement(target),
    target,
  };
  return { detailType: 'Target Failed', time: item.lastScannedAt, resources: arnResources(target), detail: redactDeep(detail) };
}
