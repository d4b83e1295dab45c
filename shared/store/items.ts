import type { KubernetesAccess } from '../cluster-access/kubernetes-access.js';
import type { Target } from '../core/types.js';
import type { Summary, TargetReport, TargetStatus } from '../engine/report.js';
import type { Exemption } from '../engine/types.js';
import type { Finding, FindingEvent, FindingState } from '../findings/types.js';

/**
 * The single-table item contract. The store (shared/store) writes these; the stream publisher
 * (shared/events) reads them from DynamoDB stream images (`unmarshall(NewImage)`), so every item
 * carries an `entity` discriminator and the full domain object as top-level attributes.
 * Fields may be added; the ones below are relied on by the publisher and must keep their meaning.
 */
export interface ItemKeys {
  PK: string;
  SK: string;
  [gsiKey: string]: unknown;
}

/** Current state of one finding. `version` increases by one on every state change (idempotency key for events). */
export interface FindingItem extends ItemKeys, Finding {
  entity: 'finding';
  version: number;
  /** +1 on every write (state change or content refresh): the optimistic-concurrency guard. */
  revision?: number;
  /** Fingerprint of the content (shared/findings/lifecycle.ts contentHash): unchanged → not rewritten. */
  contentHash?: string;
  /** startedAt of the scan that wrote this item: an older scan never overwrites a newer one's decision. */
  scanStartedAt?: string;
  /** The state change that produced `version`. */
  lastEvent?: FindingEvent;
  /** Flattened for filters (the same values as in `target` and `resource`). */
  targetId?: string;
  accountId?: string;
  region?: string;
  cluster?: string;
  namespace?: string;
  /** Epoch seconds; set while RESOLVED so DynamoDB TTL removes findings that stay gone. */
  expiresAt?: number;
  /** Evidence or message was cut to keep the item far below the 400 KB limit. */
  evidenceTruncated?: boolean;
}

/** One entry of a finding's history: written once per state change, never rewritten (except its TTL). */
export interface FindingEventItem extends ItemKeys {
  entity: 'finding-event';
  findingId: string;
  version: number;
  event: FindingEvent;
  state: FindingState;
  previousState?: FindingState;
  at: string;
  scanId: string;
  controlId: string;
  severity: Finding['severity'];
  status: Finding['status'];
  /** The exemption's reason when the event is EXEMPTED; `target-deleted` when a RESOLVED came from a deleted cluster. */
  reason?: string;
  /** Epoch seconds; set when the finding is RESOLVED (TTL on the history of resolved findings). */
  expiresAt?: number;
}

export interface ExemptionItem extends ItemKeys, Exemption {
  entity: 'exemption';
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface ScanItem extends ItemKeys {
  entity: 'scan';
  scanId: string;
  startedAt: string;
  finishedAt?: string;
  status: 'RUNNING' | 'COMPLETED';
  framework?: string;
  summary?: Summary;
  targets: TargetReport[];
  /** What the save changed (counted per finding). */
  changes?: ScanChanges;
  /** OK targets left out of `targets` to keep the item small (failing ones are always listed). */
  targetsOmitted?: number;
}

export interface ScanChanges {
  opened: number;
  reopened: number;
  resolved: number;
  exempted: number;
  unexempted: number;
  refreshed: number;
  unchanged: number;
  /** Open findings left alone because the scan could not judge them. */
  kept: number;
  /** Targets whose results were not applied because a newer scan of them was already saved. */
  supersededTargets: number;
}

/** Every change count at zero: the start of a save's tally and of a sum over saves. */
export const emptyChanges = (): ScanChanges => ({
  opened: 0,
  reopened: 0,
  resolved: 0,
  exempted: 0,
  unexempted: 0,
  refreshed: 0,
  unchanged: 0,
  kept: 0,
  supersededTargets: 0,
});

/** One target's latest scan outcome (the per-scan target marker). */
export interface TargetItem extends ItemKeys, Target {
  entity: 'target';
  lastScanId: string;
  lastScannedAt: string;
  lastStatus: TargetStatus;
  lastReason?: string;
  version: number;
  targetId?: string;
  /** startedAt of the newest scan saved for this target: older scans are not applied. */
  lastScanStartedAt?: string;
  /** When results of this target were last read (an OK or PARTIAL scan): the lastSeen of its open findings. */
  lastSeenAt?: string;
  /** Controls (and namespaces) blind in that scan: their findings keep their own lastSeen. */
  blindControls?: { controlId: string; namespace?: string }[];
  /** Counts of this target's stored findings after the last save. */
  counts?: TargetCounts;
  /** passed/failed per framework (and `all`) from the last scan that read the target. */
  compliance?: Record<string, ComplianceCount>;
  /** A save in progress (a lease): another scan seeing it knows it overlaps. */
  savingScanId?: string;
  savingStartedAt?: string;
  savingUntil?: string;
  /** A batch of unconditional finding writes in progress (embedded store): claims wait for it. */
  batchingScanId?: string;
  batchingUntil?: string;
  lastSavedAt?: string;
  /** Cluster targets of the service: whether the last scan read the Kubernetes API (fleet coverage). */
  kubernetesAccess?: KubernetesAccess;
  /** Discovery runs in a row (account and region readable) that did not list this cluster. */
  absentRuns?: number;
  /** The last run that counted an absence (a retried summarize does not count twice). */
  absentScanId?: string;
  absentSince?: string;
  /** Discovery confirmed the cluster gone: its findings were resolved with reason `target-deleted`. */
  deletedAt?: string;
}

export interface TargetCounts {
  /** OPEN findings by severity (exempted and resolved ones excluded). */
  openBySeverity: Record<Finding['severity'], number>;
  byState: Record<FindingState, number>;
  /** OPEN findings by control id. */
  openByControl: Record<string, number>;
  /** The severity of each control's OPEN findings (the most severe, if a configuration changed it). */
  openSeverityByControl?: Record<string, Finding['severity']>;
}

export interface ComplianceCount {
  passed: number;
  failed: number;
  /** passed / (passed + failed), null when nothing was judged. */
  score: number | null;
}
