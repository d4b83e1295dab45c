import type { Result } from '../engine/types.js';

export type FindingState = 'OPEN' | 'RESOLVED' | 'EXEMPTED';

export const FINDING_STATES = ['OPEN', 'EXEMPTED', 'RESOLVED'] as const satisfies readonly FindingState[];

/** A state change as recorded in a finding's history (REOPENED and UNEXEMPTED both lead back to OPEN). */
export type FindingEvent = 'OPENED' | 'RESOLVED' | 'REOPENED' | 'EXEMPTED' | 'UNEXEMPTED';

/**
 * A stored finding: a FAIL or UNKNOWN result plus its identity and lifecycle.
 * `findingId` is `findingId(target, controlId, resource)` from ./id.ts.
 */
export interface Finding extends Result {
  findingId: string;
  firstSeen: string;
  lastSeen: string;
  state: FindingState;
  /** The scan that last changed this finding. */
  scanId: string;
  /** When the finding was last resolved (RESOLVED state). */
  resolvedAt?: string;
  /** Why it was resolved, when not because a scan saw it fixed: its cluster was confirmed deleted. */
  resolvedReason?: ResolvedReason;
}

export type ResolvedReason = 'target-deleted';
