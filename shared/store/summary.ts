import { controlFacts } from '../controls/facts.js';
import { severityThenCount } from '../core/ranking.js';
import { SEVERITIES, SEVERITY_RANK, type Severity } from '../core/types.js';
import type { FindingState } from '../findings/types.js';
import type { StoreContext } from './client.js';
import { emptyCounts, score } from './compliance.js';
import { fleetCoverage, type FleetCoverage } from './coverage.js';
import type { TargetItem } from './items.js';
import { allTargets, type TargetFilter } from './query.js';

export interface ClusterSummary {
  targetId: string;
  kind: TargetItem['kind'];
  name: string;
  accountId?: string;
  region?: string;
  lastStatus: TargetItem['lastStatus'];
  lastScannedAt: string;
  open: number;
  openBySeverity: Record<Severity, number>;
  /** Compliance score per framework (and `all`) from the last scan that read the target. */
  scores: Record<string, number | null>;
  /** Clusters scanned by the service: whether the Kubernetes API was read. */
  kubernetesAccess?: TargetItem['kubernetesAccess'];
  /** Discovery confirmed the cluster gone (its findings resolved with reason target-deleted). */
  deletedAt?: string;
}

/** An open risk of the fleet: one control, how many open findings it has and on how many targets. */
export interface TopRisk {
  controlId: string;
  title: string;
  /** The severity of its open findings (as configured when they were saved; else the catalog's). */
  severity: Severity;
  open: number;
  targets: number;
}

export interface StoreSummary {
  targets: number;
  /** OPEN findings by severity. */
  bySeverity: Record<Severity, number>;
  byState: Record<FindingState, number>;
  /** OPEN findings by control id, most first. */
  byControl: Record<string, number>;
  /** The ten controls with open findings ranked by severity, then by count (the HTML report's rule). */
  topRisks: TopRisk[];
  /** passed/failed/score per framework over every matching target. */
  frameworks: Record<string, { passed: number; failed: number; score: number | null }>;
  clusters: ClusterSummary[];
  /** Readable clusters / discovered clusters, and the unreadable ones with the step to onboard them. */
  coverage: FleetCoverage;
}

/**
 * GET /summary from the target markers alone: counts and pass/fail tallies are kept on them at
 * save time, so the summary costs one index query however many findings there are.
 */
export async function summarize(ctx: StoreContext, filter: TargetFilter = {}): Promise<StoreSummary> {
  const targets = await allTargets(ctx, filter);
  const total = emptyCounts();
  const frameworks: StoreSummary['frameworks'] = {};
  const clusters: ClusterSummary[] = [];
  const targetsByControl = new Map<string, number>();
  const severityByControl = new Map<string, Severity>();
  for (const t of targets) {
    const c = t.counts ?? emptyCounts();
    for (const [id, n] of Object.entries(c.openByControl)) if (n > 0) targetsByControl.set(id, (targetsByControl.get(id) ?? 0) + 1);
    for (const [id, sev] of Object.entries(c.openSeverityByControl ?? {})) {
      const seen = severityByControl.get(id);
      if (!seen || SEVERITY_RANK[sev] > SEVERITY_RANK[seen]) severityByControl.set(id, sev);
    }
    for (const s of SEVERITIES) total.openBySeverity[s] += c.openBySeverity[s] ?? 0;
    for (const s of ['OPEN', 'EXEMPTED', 'RESOLVED'] as const) total.byState[s] += c.byState[s] ?? 0;
    for (const [id, n] of Object.entries(c.openByControl)) total.openByControl[id] = (total.openByControl[id] ?? 0) + n;
    const scores: Record<string, number | null> = {};
    for (const [fw, v] of Object.entries(t.compliance ?? {})) {
      scores[fw] = v.score;
      const acc = (frameworks[fw] ??= { passed: 0, failed: 0, score: null });
      acc.passed += v.passed;
      acc.failed += v.failed;
    }
    const view: ClusterSummary = {
      targetId: t.targetId ?? '',
      kind: t.kind,
      name: t.name,
      lastStatus: t.lastStatus,
      lastScannedAt: t.lastScannedAt,
      open: c.byState.OPEN ?? 0,
      openBySeverity: c.openBySeverity,
      scores,
    };
    if (t.accountId) view.accountId = t.accountId;
    if (t.region) view.region = t.region;
    if (t.kubernetesAccess) view.kubernetesAccess = t.kubernetesAccess;
    if (t.deletedAt) view.deletedAt = t.deletedAt;
    clusters.push(view);
  }
  for (const acc of Object.values(frameworks)) acc.score = score(acc.passed, acc.failed);
  const byControl = Object.fromEntries(Object.entries(total.openByControl).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)));
  const topRisks = Object.entries(byControl)
    .filter(([, n]) => n > 0)
    .map(([controlId, open]): TopRisk => {
      const facts = controlFacts(controlId);
      return {
        controlId,
        title: facts?.title ?? controlId,
        severity: severityByControl.get(controlId) ?? facts?.severity ?? 'info',
        open,
        targets: targetsByControl.get(controlId) ?? 0,
      };
    })
    .sort(
      severityThenCount(
        (r) => r.severity,
        (r) => r.open,
        (r) => r.controlId,
      ),
    )
    .slice(0, 10);
  return {
    targets: targets.length,
    bySeverity: total.openBySeverity,
    byState: total.byState,
    byControl,
    topRisks,
    frameworks,
    clusters,
    coverage: fleetCoverage(targets),
  };
}
