import type { Severity, Status } from '../core/types.js';
import type { FindingState } from '../findings/types.js';

/**
 * OCSF 1.x Compliance Finding (class 2003) codes, shared by the events' class fields and the `--format ocsf` report so both speak the same numbers.
 */
export const OCSF_SCHEMA_VERSION = '1.3.0';
export const COMPLIANCE_FINDING = {
  class_uid: 2003,
  class_name: 'Compliance Finding',
  category_uid: 2,
  category_name: 'Findings',
} as const;

export type OcsfActivityId = 1 | 2 | 3;
export const OCSF_ACTIVITY_NAME: Record<OcsfActivityId, string> = { 1: 'Create', 2: 'Update', 3: 'Close' };

/** type_uid = class_uid × 100 + activity_id (OCSF rule). */
export function ocsfTypeUid(activityId: OcsfActivityId): number {
  return COMPLIANCE_FINDING.class_uid * 100 + activityId;
}

const SEVERITY_ID: Record<Severity, number> = { info: 1, low: 2, medium: 3, high: 4, critical: 5 };
const SEVERITY_NAME: Record<Severity, string> = { info: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };

export function ocsfSeverityId(s: Severity): number {
  return SEVERITY_ID[s];
}
export function ocsfSeverityName(s: Severity): string {
  return SEVERITY_NAME[s];
}

export type OcsfComplianceStatusId = 1 | 2 | 3;
/**
 * compliance.status_id: 1 Pass, 2 Warning, 3 Fail. OCSF's Warning means "no result because
 * information was missing", which is what UNKNOWN is; a check that threw (ERROR) gave no result either.
 */
export function ocsfComplianceStatusId(status: Status): OcsfComplianceStatusId {
  if (status === 'PASS') return 1;
  if (status === 'FAIL') return 3;
  return 2;
}
export const OCSF_COMPLIANCE_STATUS_NAME: Record<OcsfComplianceStatusId, string> = { 1: 'Pass', 2: 'Warning', 3: 'Fail' };

/** Finding status_id: 1 New, 3 Suppressed, 4 Resolved. */
export function ocsfFindingStatusId(state: FindingState): 1 | 3 | 4 {
  return state === 'OPEN' ? 1 : state === 'EXEMPTED' ? 3 : 4;
}
export const OCSF_FINDING_STATUS_NAME: Record<1 | 3 | 4, string> = { 1: 'New', 3: 'Suppressed', 4: 'Resolved' };

/** The lifecycle state a one-off scan result stands for (no store: PASS reads as resolved). */
export function stateOfResult(r: { status: Status; exempted?: unknown }): FindingState {
  if (r.exempted) return 'EXEMPTED';
  return r.status === 'PASS' || r.status === 'NOT_APPLICABLE' ? 'RESOLVED' : 'OPEN';
}
