import { SEVERITIES, SEVERITY_RANK } from '../core/types.js';
import type { ResultSet } from '../engine/results.js';
import type { Finding } from '../findings/types.js';
import { frameworks } from '../frameworks/index.js';
import type { ComplianceCount, TargetCounts } from './items.js';

/** Frameworks a control belongs to, plus `all`. */
const frameworksOf = (() => {
  const byControl = new Map<string, string[]>();
  for (const f of frameworks) for (const id of f.controls) byControl.set(id, [...(byControl.get(id) ?? []), f.id]);
  return (controlId: string) => ['all', ...(byControl.get(controlId) ?? [])];
})();

export function score(passed: number, failed: number): number | null {
  return passed + failed === 0 ? null : Math.round((passed / (passed + failed)) * 10_000) / 10_000;
}

/**
 * Pass/fail counts per framework from one target's results (Kubescape's score: passed /
 * (passed + failed), exempted failures excluded). Kept on the target item at save time because
 * the store holds only FAIL/UNKNOWN findings — passes are not stored anywhere else.
 */
export function complianceOf(results: ResultSet): Record<string, ComplianceCount> {
  const acc = new Map<string, { passed: number; failed: number }>();
  for (const g of results.tally()) {
    const passed = g.byStatus.PASS;
    const failed = g.byStatus.FAIL - g.exempted.FAIL;
    if (passed + failed === 0) continue;
    for (const f of frameworksOf(g.controlId)) {
      const c = acc.get(f) ?? { passed: 0, failed: 0 };
      c.passed += passed;
      c.failed += failed;
      acc.set(f, c);
    }
  }
  return Object.fromEntries([...acc].map(([f, c]) => [f, { ...c, score: score(c.passed, c.failed) }]));
}

export function emptyCounts(): TargetCounts {
  return {
    openBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as TargetCounts['openBySeverity'],
    byState: { OPEN: 0, EXEMPTED: 0, RESOLVED: 0 },
    openByControl: {},
    openSeverityByControl: {},
  };
}

/** Counts of a target's findings as stored after a save (what GET /summary adds up). */
export function countFindings(findings: Iterable<Pick<Finding, 'state' | 'severity' | 'controlId'>>): TargetCounts {
  const c = emptyCounts();
  for (const f of findings) {
    c.byState[f.state]++;
    if (f.state !== 'OPEN') continue;
    c.openBySeverity[f.severity]++;
    c.openByControl[f.controlId] = (c.openByControl[f.controlId] ?? 0) + 1;
    const seen = c.openSeverityByControl![f.controlId];
    if (!seen || SEVERITY_RANK[f.severity] > SEVERITY_RANK[seen]) c.openSeverityByControl![f.controlId] = f.severity;
  }
  return c;
}
