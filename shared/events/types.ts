import type { FrameworkRefs } from '../controls/types.js';
import type { ResourceRef, Severity, Status, Target } from '../core/types.js';
import type { Summary, TargetStatus } from '../engine/report.js';
import type { FindingState } from '../findings/types.js';

/**
 * The public event contract on the hardline bus (docs/events.md, JSON Schemas in ./schemas/).
 * Consumers route on `source`, `detail-type` and detail fields; field names here are public.
 */
export const EVENT_SOURCE = 'hardline';
/** Bumped only on a breaking change to a detail shape; additive fields keep it. */
export const DETAIL_SCHEMA_VERSION = 1;

export const FINDING_DETAIL_TYPES = ['Finding Opened', 'Finding Resolved', 'Finding Reopened', 'Finding Exempted'] as const;
export type FindingDetailType = (typeof FINDING_DETAIL_TYPES)[number];
export const DETAIL_TYPES = [...FINDING_DETAIL_TYPES, 'Scan Completed', 'Target Failed'] as const;
export type DetailType = (typeof DETAIL_TYPES)[number];

export type TargetRef = Pick<Target, 'kind' | 'name' | 'accountId' | 'region' | 'arn'>;

/** OCSF Compliance Finding (class 2003) fields carried beside hardline's own, so SIEMs can map without a lookup. */
export interface OcsfClassFields {
  class_uid: 2003;
  category_uid: 2;
  activity_id: 1 | 2 | 3;
  type_uid: number;
  severity_id: number;
  status_id: number;
}

export interface FindingEventDetail extends OcsfClassFields {
  /**
   * `finding:<findingId>:<version>` — the same stream record always yields the same key (and the
   * same bytes), so consumers dedupe redeliveries on it (EventBridge assigns its own `id` per put).
   */
  eventKey: string;
  schemaVersion: typeof DETAIL_SCHEMA_VERSION;
  findingId: string;
  version: number;
  controlId: string;
  title: string;
  severity: Severity;
  status: Status;
  state: FindingState;
  previousState?: FindingState;
  account?: string;
  region?: string;
  /** The cluster name, for cluster targets. */
  cluster?: string;
  target: TargetRef;
  resource: ResourceRef;
  firstSeen: string;
  lastSeen: string;
  resolvedAt?: string;
  /** Finding Resolved only: `target-deleted` when discovery confirmed the cluster gone (not a fix seen by a scan). */
  resolvedReason?: 'target-deleted';
  scanId: string;
  message: string;
  remediation?: string;
  frameworks?: FrameworkRefs;
  compliance: { control: string; status_id: 1 | 2 | 3 };
  /** Redacted; dropped (and `evidenceDropped` set) when the event would exceed the PutEvents size limit. */
  evidence?: Record<string, unknown>;
  evidenceDropped?: true;
  exemption?: { by: string; reason: string; expires?: string; source?: string };
}

export interface TargetOutcome extends TargetRef {
  status: TargetStatus;
  reason?: string;
  resources: number;
  gaps: number;
}

export interface ScanCompletedDetail {
  eventKey: string;
  schemaVersion: typeof DETAIL_SCHEMA_VERSION;
  scanId: string;
  startedAt: string;
  finishedAt: string;
  framework?: string;
  counts?: Summary;
  targetCounts: Record<TargetStatus, number>;
  /** Per-target status; OK targets are left out first when the event would exceed the size limit. */
  targets: TargetOutcome[];
  /** How many targets were left out of `targets` to fit the size limit (targetCounts stays complete). */
  targetsOmitted?: number;
}

export interface TargetFailedDetail {
  eventKey: string;
  schemaVersion: typeof DETAIL_SCHEMA_VERSION;
  scanId: string;
  status: 'ERROR' | 'UNKNOWN';
  reason?: string;
  scannedAt: string;
  account?: string;
  region?: string;
  cluster?: string;
  target: TargetRef;
}

/** One event before it becomes a PutEvents entry. `time` is taken from the item, never the clock (idempotency). */
export type HardlineEvent =
  | { detailType: FindingDetailType; time: string; resources: string[]; detail: FindingEventDetail }
  | { detailType: 'Scan Completed'; time: string; resources: string[]; detail: ScanCompletedDetail }
  | { detailType: 'Target Failed'; time: string; resources: string[]; detail: TargetFailedDetail };
