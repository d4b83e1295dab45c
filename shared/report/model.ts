import type { LoadError, SourceLocation } from '../collectors/manifests.js';
import type { Severity, Status } from '../controls/types.js';
import { SEVERITIES, SEVERITY_RANK, STATUSES } from '../controls/types.js';
import type { Result } from '../engine/types.js';
import type { Target } from '../inventory/types.js';

export type TargetStatus = 'OK' | 'PARTIAL' | 'UNKNOWN' | 'ERROR';

/**
 * Whether a cluster's Kubernetes API was read: `read`; `unauthorized` (401, the scanner's role was
 * never onboarded); `forbidden-partial` (403 on some or all kinds: the read RBAC is missing or
 * incomplete); `unreachable` (no answer from the API server); `private-no-route` (a private
 * endpoint this scanner has no network path to); `not-scanned` (the target failed before its
 * Kubernetes API was tried: a denied AssumeRole, a failed DescribeCluster, a crashed step).
 */
export const KUBERNETES_ACCESS_STATES = ['read', 'unauthorized', 'forbidden-partial', 'unreachable', 'private-no-route', 'not-scanned'] as const;
export type KubernetesAccessState = (typeof KUBERNETES_ACCESS_STATES)[number];

export interface KubernetesAccess {
  state: KubernetesAccessState;
  /** What the collector reported, for every state but `read`. */
  reason?: string;
  /** The exact step that makes the cluster readable (commands for the configured onboarding mode). */
  step?: string;
}

export interface TargetReport extends Target {
  /** OK: all read; PARTIAL: some data had gaps; UNKNOWN: nothing readable (e.g. private endpoint); ERROR: the scan threw. */
  status: TargetStatus;
  reason?: string;
  resources: number;
  gaps: number;
  /** Cluster targets of the service's runs: whether the Kubernetes part was read (fleet coverage). */
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

/** The JSON contract of `hardline scan --format json` (DESIGN: CLI and JSON contract). */
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
  };
  results: Result[];
  summary: Summary;
}

/** Side information formatters may use but the JSON contract does not carry. */
export interface ReportContext {
  locations?: Map<string, SourceLocation>;
}

export function summarize(results: readonly Result[]): Summary {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let exempted = 0;
  let failed = 0;
  for (const r of results) {
    byStatus[r.status]++;
    if (r.exempted) {
      exempted++;
      continue;
    }
    if (r.status === 'FAIL') {
      failed++;
      bySeverity[r.severity]++;
    }
  }
  const passed = byStatus.PASS;
  return { byStatus, bySeverity, exempted, score: passed + failed === 0 ? null : round(passed / (passed + failed)) };
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** Un-exempted FAIL results at or above a severity: what `--fail-on` counts. */
export function failuresAtOrAbove(results: readonly Result[], threshold: Severity): Result[] {
  const min = SEVERITY_RANK[threshold];
  return results.filter((r) => r.status === 'FAIL' && !r.exempted && SEVERITY_RANK[r.severity] >= min);
}
