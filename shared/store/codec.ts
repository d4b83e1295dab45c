import type { Evidence } from '../core/types.js';
import type { NextFinding, StoredFinding } from '../findings/lifecycle.js';
import type { FindingEvent } from '../findings/types.js';
import { redact, redactDeep } from '../redaction/redact.js';
import type { FindingItem } from './items.js';
import { findingKeys, targetId } from './keys.js';

/**
 * Items stay far below DynamoDB's 400 KB: a message or evidence string longer than these is cut
 * and the item says so (`evidenceTruncated`). Controls keep evidence small; this is the backstop.
 */
export const LIMITS = { message: 4_096, evidenceString: 1_024, evidenceList: 50, evidenceTotal: 16_384 } as const;

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

export function boundEvidence(evidence: Evidence): { evidence: Evidence; truncated: boolean } {
  let truncated = false;
  const out: Evidence = {};
  let total = 0;
  for (const [k, v] of Object.entries(evidence)) {
    let value = v;
    if (typeof v === 'string' && v.length > LIMITS.evidenceString) {
      value = cut(v, LIMITS.evidenceString);
      truncated = true;
    } else if (Array.isArray(v)) {
      const list = v.slice(0, LIMITS.evidenceList).map((s) => cut(s, LIMITS.evidenceString));
      if (v.length > LIMITS.evidenceList || list.some((s, i) => s !== v[i])) truncated = true;
      value = list;
    }
    const size = k.length + JSON.stringify(value ?? null).length;
    if (total + size > LIMITS.evidenceTotal) {
      truncated = true;
      break;
    }
    total += size;
    out[k] = value;
  }
  return { evidence: out, truncated };
}

export interface FindingWriteMeta {
  revision: number;
  scanStartedAt: string;
  lastEvent?: FindingEvent;
  /** Epoch seconds (TTL) while RESOLVED. */
  expiresAt?: number;
}

/**
 * The current item of a finding: every Finding field top-level (the publisher's contract), the
 * flattened filter attributes and the index keys. Text is redacted again on the way in: the store
 * is a sink and must never hold a credential, whatever produced the result.
 */
export function toFindingItem(f: NextFinding, meta: FindingWriteMeta): FindingItem {
  const tid = targetId(f.target);
  // Names too: a manifest can name a Deployment or a container after a key (the id is a hash of the real name).
  const target = redactDeep(f.target);
  const resource = redactDeep(f.resource);
  const item: FindingItem = {
    ...findingKeys({
      findingId: f.findingId,
      controlId: f.controlId,
      severity: f.severity,
      state: f.state,
      targetId: tid,
      cluster: target.name,
    }),
    entity: 'finding',
    findingId: f.findingId,
    controlId: f.controlId,
    status: f.status,
    severity: f.severity,
    state: f.state,
    target,
    resource,
    message: cut(redact(f.message), LIMITS.message),
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    scanId: f.scanId,
    version: f.version,
    revision: meta.revision,
    contentHash: f.contentHash,
    scanStartedAt: meta.scanStartedAt,
    targetId: tid,
    cluster: target.name,
  };
  if (f.message.length > LIMITS.message) item.evidenceTruncated = true;
  if (f.evidence) {
    const bounded = boundEvidence(redactDeep(f.evidence));
    item.evidence = bounded.evidence;
    if (bounded.truncated) item.evidenceTruncated = true;
  }
  // An exemption's reason and source are free text (annotations, API bodies): redacted like the rest.
  if (f.exempted) item.exempted = redactDeep(f.exempted);
  if (f.exemptionExpired) item.exemptionExpired = redactDeep(f.exemptionExpired);
  if (f.resolvedAt) item.resolvedAt = f.resolvedAt;
  if (f.resolvedReason && f.state === 'RESOLVED') item.resolvedReason = f.resolvedReason;
  if (target.accountId) item.accountId = target.accountId;
  if (target.region) item.region = target.region;
  if (resource.namespace) item.namespace = resource.namespace;
  if (meta.lastEvent) item.lastEvent = meta.lastEvent;
  if (meta.expiresAt !== undefined) item.expiresAt = meta.expiresAt;
  return item;
}

/** A stored finding with the bookkeeping the writer needs for its conditions. */
export type LoadedFinding = StoredFinding & { revision: number; scanStartedAt?: string; lastEvent?: FindingEvent };

/** The attributes the lifecycle needs back from an item (keys dropped). */
export function fromFindingItem(item: FindingItem): LoadedFinding {
  const f: LoadedFinding = {
    findingId: item.findingId,
    controlId: item.controlId,
    status: item.status,
    severity: item.severity,
    state: item.state,
    target: item.target,
    resource: item.resource,
    message: item.message,
    firstSeen: item.firstSeen,
    lastSeen: item.lastSeen,
    scanId: item.scanId,
    version: item.version,
    revision: item.revision ?? item.version,
  };
  if (item.evidence) f.evidence = item.evidence;
  if (item.exempted) f.exempted = item.exempted;
  if (item.exemptionExpired) f.exemptionExpired = item.exemptionExpired;
  if (item.resolvedAt) f.resolvedAt = item.resolvedAt;
  if (item.resolvedReason) f.resolvedReason = item.resolvedReason;
  if (item.contentHash) f.contentHash = item.contentHash;
  if (item.scanStartedAt) f.scanStartedAt = item.scanStartedAt;
  if (item.lastEvent) f.lastEvent = item.lastEvent;
  return f;
}
