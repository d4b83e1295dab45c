import { describeError } from '../../core/errors.js';
import { redact } from '../../findings/redact.js';
import type { Gap, GapReason } from '../../inventory/types.js';

/** How an AWS call failed, in the inventory's terms: which gap reason, and whether the target is UNKNOWN or ERROR. */
export interface AwsFailure {
  reason: GapReason;
  /** UNKNOWN: the data was not readable (denied, throttled, not enabled); ERROR: something broke. */
  status: 'UNKNOWN' | 'ERROR';
  message: string;
}

// Error names differ by protocol: JSON services say AccessDeniedException, query services (STS, EC2)
// AccessDenied / UnauthorizedOperation; an opt-in region that is not enabled rejects the token.
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthFailure',
  'ForbiddenException',
]);
const UNAUTHENTICATED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'CredentialsProviderError',
]);
const THROTTLED = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);
const NOT_ENABLED = new Set(['OptInRequired', 'RegionDisabledException', 'InvalidRegion']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorName(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof o.name === 'string' && o.name !== 'Error') return o.name;
    if (typeof o.Code === 'string') return o.Code;
    if (typeof o.code === 'string') return o.code;
  }
  return 'Error';
}

function causeCode(e: unknown): string | undefined {
  const cause = e && typeof e === 'object' ? (e as { cause?: unknown; code?: unknown }) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  const inner = cause?.cause as { code?: unknown } | undefined;
  return typeof inner?.code === 'string' ? inner.code : undefined;
}

export function errorNameOf(e: unknown): string {
  return errorName(e);
}

export function isAwsError(e: unknown, ...names: string[]): boolean {
  return names.includes(errorName(e));
}

/** Maps any thrown value from an SDK call to a gap reason; the message never carries a credential. */
export function classifyAwsError(e: unknown, what: string): AwsFailure {
  const name = errorName(e);
  const detail = redact(`${name}: ${describeError(e)}`);
  const message = `${what}: ${detail}`;
  if (DENIED.has(name)) return { reason: 'forbidden', status: 'UNKNOWN', message };
  if (UNAUTHENTICATED.has(name)) return { reason: 'unauthorized', status: 'UNKNOWN', message };
  if (THROTTLED.has(name)) return { reason: 'throttled', status: 'UNKNOWN', message };
  if (NOT_ENABLED.has(name)) return { reason: 'unreachable', status: 'UNKNOWN', message };
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'AbortError') return { reason: 'timeout', status: 'UNKNOWN', message };
  const code = causeCode(e);
  if (code && NETWORK_CODES.has(code)) return { reason: 'unreachable', status: 'UNKNOWN', message };
  if (name === 'ResourceNotFoundException' || name === 'NotFoundException') return { reason: 'not-found', status: 'UNKNOWN', message };
  return { reason: 'error', status: 'ERROR', message };
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
