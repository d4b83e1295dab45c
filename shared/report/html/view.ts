import type { ControlFacts } from '../../controls/types.js';
import { severityThenCount } from '../../core/ranking.js';
import { SEVERITIES, type Severity, SEVERITY_RANK } from '../../core/types.js';
import { summarize, type ScanReport, type TargetReport } from '../../engine/report.js';
import { ResultSet } from '../../engine/results.js';
import type { Result } from '../../engine/types.js';
import { frameworks, type Framework } from '../../frameworks/index.js';
import { redactDeep } from '../../redaction/redact.js';

/**
 * What the HTML report shows, computed once from the JSON report so every number on the page is
 * the JSON's number (scores use `summarize`, the same function as the JSON summary).
 */
export interface ScoreCell {
  score: number | null;
  passed: number;
  failed: number;
}

export interface TargetView {
  key: string;
  label: string;
  report?: TargetReport;
  overall: ScoreCell;
  byFramework: Map<Framework['id'], ScoreCell>;
  bySeverity: Record<Severity, number>;
}

export interface ControlFailures {
  controlId: string;
  title: string;
  severity: Severity;
  failures: number;
  targets: number;
}

export interface ResourceGroup {
  label: string;
  findings: Result[];
}
export interface NamespaceGroup {
  namespace: string;
  resources: ResourceGroup[];
}
export interface TargetGroup {
  key: string;
  label: string;
  namespaces: NamespaceGroup[];
  count: number;
}

export interface ReportView {
  targets: TargetView[];
  all: TargetView;
  topControls: ControlFailures[];
  /** Un-exempted FAIL, UNKNOWN and ERROR results, grouped target → namespace → resource. */
  findings: TargetGroup[];
  findingCount: number;
  exempted: Result[];
  controls: Map<string, ControlFacts>;
}

export function targetKey(t: { kind: string; accountId?: string; region?: string; name: string }): string {
  return [t.accountId ?? '', t.region ?? '', t.kind, t.name].join('|');
}
export function targetLabel(t: { accountId?: string; region?: string; name: string }): string {
  return t.accountId ? `${t.name} (${t.accountId} · ${t.region ?? ''})` : t.name;
}

function cell(results: ResultSet): ScoreCell {
  const s = summarize(results);
  return { score: s.score, passed: s.byStatus.PASS, failed: Object.values(s.bySeverity).reduce((a, b) => a + b, 0) };
}

function targetView(key: string, label: string, results: ResultSet, report?: TargetReport): TargetView {
  const byFramework = new Map<Framework['id'], ScoreCell>();
  for (const f of frameworks) {
    const ids = new Set(f.controls);
    byFramework.set(f.id, cell(results.ofControls((id) => ids.has(id))));
  }
  return { key, label, ...(report ? { report } : {}), overall: cell(results), byFramework, bySeverity: summarize(results).bySeverity };
}

const needsAttention = (r: Result) => !r.exempted && (r.status === 'FAIL' || r.status === 'UNKNOWN' || r.status === 'ERROR');

function bySeverityThenControl(a: Result, b: Result): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.controlId.localeCompare(b.controlId);
}

/** Most severe first: more critical findings, then more high ones, and so on; the name breaks ties. */
function bySeverityProfile(a: ResourceGroup, b: ResourceGroup): number {
  const profile = (g: ResourceGroup) => SEVERITIES.map((s) => g.findings.filter((r) => r.severity === s).length);
  const pa = profile(a);
  const pb = profile(b);
  for (let i = 0; i < pa.length; i++) if (pa[i] !== pb[i]) return pb[i]! - pa[i]!;
  return a.label.localeCompare(b.label);
}

const bySeverityThenFailures = severityThenCount<ControlFailures>(
  (c) => c.severity,
  (c) => c.failures,
  (c) => c.controlId,
);

function groupFindings(results: readonly Result[]): TargetGroup[] {
  const targets = new Map<string, TargetGroup>();
  const namespaces = new Map<string, NamespaceGroup>();
  const resources = new Map<string, ResourceGroup>();
  for (const r of results) {
    const key = targetKey(r.target);
    let t = targets.get(key);
    if (!t) targets.set(key, (t = { key, label: targetLabel(r.target), namespaces: [], count: 0 }));
    const nsName = r.resource.namespace ?? '(cluster-scoped)';
    const nsKey = `${key}\0${nsName}`;
    let ns = namespaces.get(nsKey);
    if (!ns) {
      ns = { namespace: nsName, resources: [] };
      t.namespaces.push(ns);
      namespaces.set(nsKey, ns);
    }
    const label = `${r.resource.kind}/${r.resource.name}`;
    const resKey = `${nsKey}\0${label}`;
    let res = resources.get(resKey);
    if (!res) {
      res = { label, findings: [] };
      ns.resources.push(res);
      resources.set(resKey, res);
    }
    res.findings.push(r);
    t.count++;
  }
  const out = [...targets.values()];
  for (const t of out) {
    t.namespaces.sort((a, b) => a.namespace.localeCompare(b.namespace));
    for (const ns of t.namespaces) {
      ns.resources.sort(bySeverityProfile);
      for (const res of ns.resources) res.findings.sort(bySeverityThenControl);
    }
  }
  return out;
}

/**
 * The page's model. `report.scan` is already redacted; results are redacted as they are read, and
 * scores come from the result columns, so no PASS result is ever built.
 */
export function buildView(report: ScanReport, catalog: readonly ControlFacts[]): ReportView {
  const controls = new Map(catalog.map((c) => [c.id, c]));
  const resultsByTarget = report.results.byTarget((t) => targetKey(redactDeep(t)));
  const targets = report.scan.targets.map((t) =>
    targetView(targetKey(t), targetLabel(t), resultsByTarget.get(targetKey(t)) ?? ResultSet.empty(), t),
  );
  for (const [key, results] of resultsByTarget) {
    if (!targets.some((t) => t.key === key)) targets.push(targetView(key, targetLabel(redactDeep(results.tally()[0]!.target)), results));
  }

  // The results' severity, not the catalog's: a configuration may have changed it.
  const failing = new Map<string, { failures: number; severity: Severity; targets: Set<string> }>();
  for (const g of report.results.tally()) {
    const failures = g.byStatus.FAIL - g.exempted.FAIL;
    if (failures === 0) continue;
    const f = failing.get(g.controlId) ?? { failures: 0, severity: g.severity, targets: new Set<string>() };
    if (SEVERITY_RANK[g.severity] > SEVERITY_RANK[f.severity]) f.severity = g.severity;
    f.failures += failures;
    f.targets.add(targetKey(redactDeep(g.target)));
    failing.set(g.controlId, f);
  }
  const topControls = [...failing.entries()]
    .map(([controlId, f]) => {
      const control = controls.get(controlId);
      return { controlId, title: control?.title ?? controlId, severity: f.severity, failures: f.failures, targets: f.targets.size };
    })
    .sort(bySeverityThenFailures)
    .slice(0, 10);

  const attention = [...report.results.withStatus('FAIL', 'UNKNOWN', 'ERROR')].filter(needsAttention).map((r) => redactDeep(r));
  return {
    targets,
    all: targetView('*', 'All targets', report.results),
    topControls,
    findings: groupFindings(attention),
    findingCount: attention.length,
    exempted: [...report.results.exempted()].map((r) => redactDeep(r)).sort(bySeverityThenControl),
    controls,
  };
}

export { SEVERITIES };
