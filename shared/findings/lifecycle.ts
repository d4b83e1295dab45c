import { createHash } from 'node:crypto';
import type { Target } from '../core/types.js';
import type { TargetStatus } from '../engine/report.js';
import type { ResultSet } from '../engine/results.js';
import type { Result } from '../engine/types.js';
import { findingId } from './id.js';
import type { Finding, FindingEvent, FindingState } from './types.js';

/** A finding as the store holds it before this scan. */
export interface StoredFinding extends Finding {
  /** +1 on every state change (the events' idempotency key). */
  version: number;
  /** Fingerprint of the content at the last write; absent on items written before it existed. */
  contentHash?: string;
}

/** A finding as this scan wants it stored. */
export interface NextFinding extends Finding {
  version: number;
  contentHash: string;
}

export type FindingChange =
  | { kind: 'create'; event: 'OPENED' | 'EXEMPTED'; next: NextFinding }
  | { kind: 'transition'; event: FindingEvent; previous: StoredFinding; next: NextFinding }
  /** Same state, different content (message, evidence, severity, exemption reason): no new version. */
  | { kind: 'refresh'; previous: StoredFinding; next: NextFinding };

export interface TargetScan {
  target: Target;
  status: TargetStatus;
  /** This target's results, every status. */
  results: ResultSet;
  /**
   * Controls that ran for this target. When absent, a control counts as run when it produced at
   * least one result for the target, so a narrowed scan (`--controls`) never resolves the rest.
   */
  evaluatedControls?: ReadonlySet<string>;
  /** When the target was last seen before this scan (the target marker): lastSeen of resolved findings. */
  previousSeenAt?: string;
  /**
   * Some input of the target could not be loaded at all (a file that failed to parse or read), so
   * what is absent may only be unreadable: a finding resolves only when this scan judged its
   * resource with the same control and found nothing wrong.
   */
  inputIncomplete?: boolean;
}

export interface ScanRef {
  id: string;
  startedAt: string;
}

export interface LifecycleDiff<P extends StoredFinding = StoredFinding> {
  changes: FindingChange[];
  /** Present and identical: nothing written (their lastSeen is derived from the target marker). */
  unchanged: P[];
  /** Open or exempted findings this scan could not judge (target failed, control blind or not run): left alone. */
  kept: number;
  /** Controls (and namespaces) whose data had a gap: their findings were kept, not resolved. */
  blind: BlindScope[];
  /** Every finding of the target as it stands after the changes. */
  after: Finding[];
  /** The judgement the diff was made with, to decide a finding again after a lost race. */
  judge: TargetJudgement;
}

/** A control whose data was partly unreadable, in one namespace or (namespace undefined) everywhere. */
export interface BlindScope {
  controlId: string;
  namespace?: string;
}

const DATA_SOURCE_API = 'hardline.dev/v1';

export function isFindingResult(r: Result): boolean {
  return r.status === 'FAIL' || r.status === 'UNKNOWN';
}

function isGapResult(r: Result): boolean {
  return r.status === 'UNKNOWN' && r.resource.apiVersion === DATA_SOURCE_API && r.resource.kind === 'DataSource';
}

/**
 * Where this scan was blind. A gap result (UNKNOWN on a DataSource) means the control judged only
 * what was readable, so an absent finding of that control may still exist; a control that threw
 * (ERROR) judged nothing at all.
 */
export function blindScopes(results: ResultSet): BlindScope[] {
  const seen = new Set<string>();
  const out: BlindScope[] = [];
  for (const r of results.withStatus('ERROR', 'UNKNOWN')) {
    let scope: BlindScope | undefined;
    if (r.status === 'ERROR') scope = { controlId: r.controlId };
    else if (isGapResult(r))
      scope = r.resource.namespace ? { controlId: r.controlId, namespace: r.resource.namespace } : { controlId: r.controlId };
    if (!scope) continue;
    const key = `${scope.controlId}\u0000${scope.namespace ?? '*'}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(scope);
    }
  }
  return out;
}

/** A control's verdict on a resource, whichever container: the unit a finding can be re-judged by. */
function judgedKey(controlId: string, res: Finding['resource']): string {
  return `${controlId}\u0000${res.kind}\u0000${res.namespace ?? ''}\u0000${res.name}`;
}

function judgedKeys(results: ResultSet): Set<string> {
  const keys = new Set<string>();
  for (const r of results) keys.add(judgedKey(r.controlId, r.resource));
  return keys;
}

function isBlind(f: Finding, blind: readonly BlindScope[]): boolean {
  // A gap finding itself is judged directly: when its source became readable it is gone for good.
  if (f.resource.apiVersion === DATA_SOURCE_API && f.resource.kind === 'DataSource') return false;
  return blind.some((b) => b.controlId === f.controlId && (b.namespace === undefined || b.namespace === f.resource.namespace));
}

/** Canonical JSON (sorted keys) so the fingerprint does not depend on property order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What may change on a finding without it becoming a different finding. */
export function contentHash(r: Result): string {
  const content = {
    status: r.status,
    severity: r.severity,
    message: r.message,
    evidence: r.evidence,
    exempted: r.exempted,
    exemptionExpired: r.exemptionExpired,
    apiVersion: r.resource.apiVersion,
    arn: r.target.arn,
  };
  return createHash('sha256').update(canonical(content)).digest('hex').slice(0, 32);
}

/** One result per finding id: a FAIL wins over an UNKNOWN of the same resource, else the first. */
function currentFindings(results: ResultSet, target: Target): Map<string, Result> {
  const byId = new Map<string, Result>();
  for (const r of results.withStatus('FAIL', 'UNKNOWN')) {
    const id = findingId(target, r.controlId, r.resource);
    const had = byId.get(id);
    if (!had || (had.status !== 'FAIL' && r.status === 'FAIL')) byId.set(id, r);
  }
  return byId;
}

function laterOf(a: string, b: string | undefined): string {
  return b !== undefined && b > a ? b : a;
}

function fromResult(r: Result, id: string, state: FindingState, ref: ScanRef, base: { firstSeen: string; version: number }): NextFinding {
  const f: NextFinding = {
    ...r,
    findingId: id,
    firstSeen: base.firstSeen,
    lastSeen: ref.startedAt,
    state,
    scanId: ref.id,
    version: base.version,
    contentHash: contentHash(r),
  };
  return f;
}

/** What this scan says about one finding. */
export type Decision =
  | { kind: 'change'; change: FindingChange }
  | { kind: 'unchanged' }
  /** Open/exempted but not judged by this scan: left alone. */
  | { kind: 'kept' }
  /** Nothing to do (resolved and still gone). */
  | { kind: 'none' };

/**
 * This scan's view of one target, able to decide any finding — all of them for the diff, or one
 * again after a conditional write lost a race and the stored item had to be re-read.
 */
export class TargetJudgement {
  readonly current: ReadonlyMap<string, Result>;
  readonly blind: BlindScope[];
  private readonly ran: ReadonlySet<string>;
  private readonly failed: boolean;
  /** With incomplete input: the resources each control judged (absence alone proves nothing). */
  private readonly judged: ReadonlySet<string> | undefined;

  constructor(
    private readonly scan: TargetScan,
    private readonly ref: ScanRef,
  ) {
    this.failed = scan.status === 'UNKNOWN' || scan.status === 'ERROR';
    this.current = this.failed ? new Map() : currentFindings(scan.results, scan.target);
    this.blind = this.failed ? [] : blindScopes(scan.results);
    this.ran = scan.evaluatedControls ?? new Set(scan.results.controlIds());
    this.judged = scan.inputIncomplete && !this.failed ? judgedKeys(scan.results) : undefined;
  }

  decide(findingId: string, prev: StoredFinding | undefined): Decision {
    const r = this.current.get(findingId);
    if (r) return this.present(findingId, r, prev);
    if (!prev || prev.state === 'RESOLVED') return { kind: 'none' };
    if (this.failed || !this.ran.has(prev.controlId) || isBlind(prev, this.blind)) return { kind: 'kept' };
    if (this.judged && !this.judged.has(judgedKey(prev.controlId, prev.resource))) return { kind: 'kept' };
    const next: NextFinding = {
      ...prev,
      state: 'RESOLVED',
      resolvedAt: this.ref.startedAt,
      lastSeen: laterOf(prev.lastSeen, this.scan.previousSeenAt),
      scanId: this.ref.id,
      version: prev.version + 1,
      contentHash: prev.contentHash ?? contentHash(prev),
    };
    return { kind: 'change', change: { kind: 'transition', event: 'RESOLVED', previous: prev, next } };
  }

  private present(id: string, r: Result, prev: StoredFinding | undefined): Decision {
    const ref = this.ref;
    const want: FindingState = r.exempted ? 'EXEMPTED' : 'OPEN';
    if (!prev) {
      const next = fromResult(r, id, want, ref, { firstSeen: ref.startedAt, version: 1 });
      return { kind: 'change', change: { kind: 'create', event: want === 'EXEMPTED' ? 'EXEMPTED' : 'OPENED', next } };
    }
    if (prev.state === want) {
      if (prev.contentHash === contentHash(r)) return { kind: 'unchanged' };
      const next = fromResult(r, id, want, ref, { firstSeen: prev.firstSeen, version: prev.version });
      return { kind: 'change', change: { kind: 'refresh', previous: prev, next } };
    }
    const event: FindingEvent = want === 'EXEMPTED' ? 'EXEMPTED' : prev.state === 'RESOLVED' ? 'REOPENED' : 'UNEXEMPTED';
    const next = fromResult(r, id, want, ref, { firstSeen: prev.firstSeen, version: prev.version + 1 });
    return { kind: 'change', change: { kind: 'transition', event, previous: prev, next } };
  }
}

/**
 * The lifecycle diff of one target: its stored findings + this scan's results → the writes.
 * Pure. Rules:
 * - new FAIL/UNKNOWN → OPEN (or EXEMPTED when an exemption applies);
 * - present again and identical → nothing written;
 * - gone (or now PASS) → RESOLVED, but only when this scan could judge it: never when the target
 *   scan was UNKNOWN/ERROR, the control did not run, or the control was blind where it lives; and
 *   when some input failed to load, only if the control judged the resource again;
 * - RESOLVED and back → OPEN (REOPENED); OPEN ↔ EXEMPTED as exemptions come and go.
 */
export function diffFindings<P extends StoredFinding>(previous: readonly P[], scan: TargetScan, ref: ScanRef): LifecycleDiff<P> {
  const judge = new TargetJudgement(scan, ref);
  const prevById = new Map(previous.map((p) => [p.findingId, p]));
  const changes: FindingChange[] = [];
  const after: Finding[] = [];
  const unchanged: P[] = [];
  let kept = 0;
  const visit = (id: string, prev: P | undefined) => {
    const d = judge.decide(id, prev);
    if (d.kind === 'change') {
      changes.push(d.change);
      after.push(d.change.next);
      return;
    }
    if (d.kind === 'unchanged' && prev) unchanged.push(prev);
    if (d.kind === 'kept') kept++;
    if (prev) after.push(prev);
  };
  for (const id of judge.current.keys()) visit(id, prevById.get(id));
  for (const prev of previous) if (!judge.current.has(prev.findingId)) visit(prev.findingId, prev);
  return { changes, unchanged, kept, blind: judge.blind, after, judge };
}
