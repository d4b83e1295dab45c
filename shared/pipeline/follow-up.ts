import { RESCAN_REQUEST_DETAIL_TYPE, RESCAN_REQUEST_SOURCE, type TargetRef } from './rescan-input.js';

/**
 * A target that is still settling when its rescan begins — a cluster CREATING, UPDATING or
 * DELETING, a nodegroup or add-on mid-update — would be read half-changed (DescribeCluster shows
 * the old endpoint settings until the update is done), and no further event will come when it is
 * done. So it is not scanned then: it goes back to the change queue with a delay, as a Rescan
 * Requested message with the attempt counted, until it settles or the attempts run out (then it is
 * scanned as it is, and the scheduled runs take over).
 */
const FOLLOW_UP_DELAYS_S = [30, 30, 60, 60, 120, 120, 300, 300, 600, 900, 900, 900, 900] as const;
export const MAX_FOLLOW_UPS = FOLLOW_UP_DELAYS_S.length;

/** SQS delay of follow-up number `attempt` (1-based): short at first (most updates take a minute or two), then up to SQS's 15 minutes. */
export function followUpDelaySeconds(attempt: number): number {
  return FOLLOW_UP_DELAYS_S[Math.min(Math.max(attempt, 1), MAX_FOLLOW_UPS) - 1]!;
}

/** The queue message body: shaped like the EventBridge event the queue's rule delivers, so one parser reads both. */
export function followUpBody(targets: readonly TargetRef[], attempt: number, reason: string): string {
  return JSON.stringify({
    'detail-type': RESCAN_REQUEST_DETAIL_TYPE,
    source: RESCAN_REQUEST_SOURCE,
    detail: { targets, attempt, reason: reason.slice(0, 512) },
  });
}
