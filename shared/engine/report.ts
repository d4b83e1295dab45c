import type { KubernetesAccess } from '../cluster-access/kubernetes-access.js';
import { type LoadError, SEVERITIES, type Severity, type Status, STATUSES, type Target } from '../core/types.js';
import { frameworks, type FrameworkId } from '../frameworks/index.js';
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

/** One framework's share of a scan, so its compliance score is not only in the HTML report. */
export interface FrameworkSummary {
  passed: number;
  /** Un-exempted FAILs. */
  failed: number;
  /** Un-exempted UNKNOWNs: results nobody could judge because their data was missing. */
  unknown: number;
  /** passed / (passed + failed), as the overall score; null when nothing was judged. */
  score: number | null;
  /** The framework's controls with UNKNOWN results (a 403, a missing kind, an unreachable API), in catalog order. */
  notJudged: string[];
}

export interface ScanSummary extends Summary {
  /**
   * false when any target is not OK, a file or document failed to load, or an un-exempted result
   * is UNKNOWN or ERROR: then a clean verdict is not an all-clear (the CLI exits 3).
   */
  complete: boolean;
  incompleteTargets: IncompleteTarget[];
  /** Per framework that had a control in the scan (only the chosen one when the scan ran one framework). */
  frameworks: Partial<Record<FrameworkId, FrameworkSummary>>;
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

interface FrameworkTally {
  seen: boolean;
  passed: number;
  failed: number;
  unknown: number;
  unknownIds: Set<string>;
}

/** Counts and score per framework, from the results of the framework's controls (exempted results left out, as in the overall score). */
export function summarizeFrameworks(results: ResultSet, framework = 'all'): ScanSummary['frameworks'] {
  const chosen = frameworks.filter((f) => framework === 'all' || f.id === framework);
  const tallies = new Map<FrameworkId, FrameworkTally>(
    chosen.map((f) => [f.id, { seen: false, passed: 0, failed: 0, unknown: 0, unknownIds: new Set() }]),
  );
  // Counts read per control and target from the status columns: no result object is built.
  const memberOf = new Map<string, FrameworkTally[]>();
  for (const f of chosen) for (const id of f.controls) memberOf.set(id, [...(memberOf.get(id) ?? []), tallies.get(f.id)!]);
  for (const g of results.tally()) {
    const unknown = g.byStatus.UNKNOWN - g.exempted.UNKNOWN;
    for (const t of memberOf.get(g.controlId) ?? []) {
      t.seen = true;
      t.passed += g.byStatus.PASS;
      t.failed += g.byStatus.FAIL - g.exempted.FAIL;
      t.unknown += unknown;
      if (unknown > 0) t.unknownIds.add(g.controlId);
    }
  }
  const out: ScanSummary['frameworks'] = {};
  for (const f of chosen) {
    const t = tallies.get(f.id)!;
    if (!t.seen) continue;
    out[f.id] = {
      passed: t.passed,
      failed: t.failed,
      unknown: t.unknown,
      score: t.passed + t.failed === 0 ? null : round(t.passed / (t.passed + t.failed)),
      notJudged: f.controls.filter((id) => t.unknownIds.has(id)),
    };
  }
  return out;
}

/** The summary of a whole scan: the results' counts and score, and whether the scan saw everything. */
export function summarizeScan(
  results: ResultSet,
  targets: readonly TargetReport[],
  errors: readonly LoadError[],
  framework = 'all',
): ScanSummary {
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
  return {
    ...summarize(results),
    complete: incompleteTargets.length === 0 && errors.length === 0,
    incompleteTargets,
    frameworks: summarizeFrameworks(results, framework),
  };
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
