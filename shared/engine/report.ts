import type { KubernetesAccess } from '../cluster-access/kubernetes-access.js';
import { type LoadError, SEVERITIES, type Severity, SEVERITY_RANK, type Status, STATUSES, type Target } from '../core/types.js';
import type { ResultSet } from './results.js';
import type { IgnoredExemption, Result } from './types.js';

export type TargetStatus = 'OK' | 'PARTIAL' | 'UNKNOWN' | 'ERROR';

export interface TargetReport extends Target {
  /** OK: all read; PARTIAL: some data had gaps; UNKNOWN: nothing readable (e.g. private endpoint); ERROR: the scan threw. */
  status: TargetStatus;
  reason?: string;
  resources: number;
  gaps: number;
  /** Files or documents of this target that could not be loaded (listed in `scan.errors`): it is PARTIAL. */
  loadErrors?: number;
  /** AWS cluster targets: whether the Kubernetes part was read (fleet coverage). */
  kubernetesAccess?: KubernetesAccess;
}

export interface Summary {
  byStatus: Record<Status, number>;
  /** Un-exempted FAIL results by severity. */
  bySeverity: Record<Severity, number>;
  exempted: number;
  /** passed / (passed + failed), exempted failures excluded; null when nothing was judged. */
  score: number | null;
}

/** A target whose verdict is not the whole truth: not fully read, or with results nobody could judge. */
export interface IncompleteTarget {
  kind: TargetReport['kind'];
  name: string;
  accountId?: string;
  region?: string;
  status: TargetStatus;
  reason: string;
}

export interface ScanSummary extends Summary {
  /**
   * false when any target is not OK, a file or document failed to load, or an un-exempted result
   * is UNKNOWN or ERROR: then a clean verdict is not an all-clear (the CLI exits 3).
   */
  complete: boolean;
  incompleteTargets: IncompleteTarget[];
}

/** The JSON contract of `hardline scan --format json`. */
export interface ScanReport {
  schemaVersion: 1;
  tool: { name: 'hardline'; version: string };
  scan: {
    id: string;
    startedAt: string;
    finishedAt: string;
    framework: string;
    targets: TargetReport[];
    /** Documents that could not be read (file:line), skipped; the rest was scanned. */
    errors: LoadError[];
    /** Exemptions whose expiry has passed: they no longer apply. */
    expiredExemptions: { controlId: string; reason: string; expires: string; source?: string }[];
    /** Declared exemptions that do not apply (an annotation the `exemptions` policy refuses), with the reason. */
    ignoredExemptions?: IgnoredExemption[];
  };
  /** Every result, kept compact: read through the ResultSet interface; JSON.stringify prints the array. */
  results: ResultSet;
  summary: ScanSummary;
}

/** The report as `--format json` prints it (and a JSON consumer reads it): the results as an array. */
export type ScanReportJson = Omit<ScanReport, 'results'> & { results: Result[] };

/** Counts and score, read from the result columns (no result object is built). */
export function summarize(results: ResultSet): Summary {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let exempted = 0;
  let failed = 0;
  for (const g of results.tally()) {
    for (const s of STATUSES) {
      byStatus[s] += g.byStatus[s];
      exempted += g.exempted[s];
    }
    const fails = g.byStatus.FAIL - g.exempted.FAIL;
    failed += fails;
    bySeverity[g.severity] += fails;
  }
  const passed = byStatus.PASS;
  return { byStatus, bySeverity, exempted, score: passed + failed === 0 ? null : round(passed / (passed + failed)) };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The summary of a whole scan: the results' counts and score, and whether the scan saw everything. */
export function summarizeScan(results: ResultSet, targets: readonly TargetReport[], errors: readonly LoadError[]): ScanSummary {
  const unjudged = new Map<string, { unknown: number; error: number }>();
  for (const r of results.withStatus('UNKNOWN', 'ERROR')) {
    if (r.exempted) continue;
    const key = targetIdentity(r.target);
    const n = unjudged.get(key) ?? { unknown: 0, error: 0 };
    if (r.status === 'UNKNOWN') n.unknown++;
    else n.error++;
    unjudged.set(key, n);
  }
  const incompleteTargets: IncompleteTarget[] = [];
  for (const t of targets) {
    const n = unjudged.get(targetIdentity(t));
    if (t.status === 'OK' && !n) continue;
    const reasons = t.status === 'OK' ? [] : [t.reason ?? t.status];
    if (n?.unknown) reasons.push(`${plural(n.unknown, 'result')} UNKNOWN`);
    if (n?.error) reasons.push(`${plural(n.error, 'check')} failed to run`);
    const entry: IncompleteTarget = { kind: t.kind, name: t.name, status: t.status, reason: reasons.join('; ') };
    if (t.accountId) entry.accountId = t.accountId;
    if (t.region) entry.region = t.region;
    incompleteTargets.push(entry);
  }
  return { ...summarize(results), complete: incompleteTargets.length === 0 && errors.length === 0, incompleteTargets };
}

function targetIdentity(t: { kind: string; accountId?: string; region?: string; name: string }): string {
  return [t.kind, t.accountId ?? '', t.region ?? '', t.name].join('\u0000');
}

/**
 * Why a score is not the whole truth, for every format to print beside it: e.g. "1 target not
 * fully read", "3 results UNKNOWN". Empty when the scan is complete.
 */
export function incompleteParts(report: ScanReport): string[] {
  const s = report.summary;
  if (s.complete) return [];
  const unread = s.incompleteTargets.filter((t) => t.status !== 'OK').length;
  const parts: string[] = [];
  if (unread > 0) parts.push(`${plural(unread, 'target')} not fully read`);
  let unknown = 0;
  let errored = 0;
  for (const r of report.results.withStatus('UNKNOWN', 'ERROR')) {
    if (r.exempted) continue;
    if (r.status === 'UNKNOWN') unknown++;
    else errored++;
  }
  if (unknown > 0) parts.push(`${plural(unknown, 'result')} UNKNOWN`);
  if (errored > 0) parts.push(`${plural(errored, 'check')} failed to run`);
  if (report.scan.errors.length > 0 && unread === 0) parts.push(`${plural(report.scan.errors.length, 'file')} not loaded`);
  return parts;
}

/** "incomplete: 1 target not fully read, 3 results UNKNOWN", or undefined for a complete scan. */
export function incompleteNote(report: ScanReport): string | undefined {
  const parts = incompleteParts(report);
  return parts.length === 0 ? undefined : `incomplete: ${parts.join(', ')}`;
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** Un-exempted FAIL results at or above a severity: what `--fail-on` counts. */
export function failuresAtOrAbove(results: ResultSet, threshold: Severity): Result[] {
  const min = SEVERITY_RANK[threshold];
  return [...results.withStatus('FAIL')].filter((r) => !r.exempted && SEVERITY_RANK[r.severity] >= min);
}
