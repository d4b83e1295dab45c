import { awsErrorKind, awsErrorName, type AwsErrorKind } from '../../core/aws-errors.js';
import { describeError } from '../../core/errors.js';
import type { Gap, GapReason } from '../../inventory/types.js';
import { redact } from '../../redaction/redact.js';

/** How an AWS call failed, in the inventory's terms: which gap reason, and whether the target is UNKNOWN or ERROR. */
export interface AwsFailure {
  reason: GapReason;
  /** UNKNOWN: the data was not readable (denied, throttled, not enabled); ERROR: something broke. */
  status: 'UNKNOWN' | 'ERROR';
  message: string;
}

/** An opt-in region that is off is as unreachable as a dead endpoint; invalid requests and 5xx are errors. */
const GAP_REASON: Record<AwsErrorKind, GapReason> = {
  denied: 'forbidden',
  unauthenticated: 'unauthorized',
  throttled: 'throttled',
  'region-not-enabled': 'unreachable',
  timeout: 'timeout',
  network: 'unreachable',
  'not-found': 'not-found',
  invalid: 'error',
  server: 'error',
  conflict: 'error',
  other: 'error',
};

/** Maps any thrown value from an SDK call to a gap reason; the message never carries a credential. */
export function classifyAwsError(e: unknown, what: string): AwsFailure {
  const message = `${what}: ${redact(`${awsErrorName(e)}: ${describeError(e)}`)}`;
  const reason = GAP_REASON[awsErrorKind(e)];
  return { reason, status: reason === 'error' ? 'ERROR' : 'UNKNOWN', message };
}

export function gapFrom(source: string, e: unknown, what: string): Gap {
  const f = classifyAwsError(e, what);
  return { source, reason: f.reason, message: f.message };
}

/**
 * Collapses per-item gaps of one source into one gap per reason: 300 repositories denied
 * GetLifecyclePolicy are one finding ("300 of 300 repositories …"), not 300 findings with the same id.
 */
export function mergeGaps(gaps: readonly Gap[], totals: Record<string, number> = {}): Gap[] {
  const groups = new Map<string, Gap[]>();
  for (const g of gaps) {
    const key = `${g.source}\u0000${g.namespace ?? ''}\u0000${g.reason}`;
    groups.set(key, [...(groups.get(key) ?? []), g]);
  }
  const out: Gap[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    if (list.length === 1) {
      out.push(first);
      continue;
    }
    const total = totals[first.source];
    const merged: Gap = {
      source: first.source,
      reason: first.reason,
      message: `${list.length}${total ? ` of ${total}` : ''} reads failed; first: ${first.message}`,
    };
    if (first.namespace) merged.namespace = first.namespace;
    out.push(merged);
  }
  return out;
}
