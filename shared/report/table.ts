import { type Severity, SEVERITY_RANK, type Status } from '../core/types.js';
import { incompleteNote, type ScanReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';

export interface TableOptions {
  color: boolean;
  /** Show PASS results too (default: only what needs attention). */
  verbose?: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
  magenta: '\x1b[35m',
};

function painter(color: boolean) {
  return (code: keyof typeof ANSI, s: string) => (color ? `${ANSI[code]}${s}${ANSI.reset}` : s);
}

const SEVERITY_COLOR: Record<Severity, keyof typeof ANSI> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'dim',
};
/** Rows that are not a FAIL wear their status, in colours no severity uses: "not judged" must not read as "failed". */
const STATUS_COLOR: Partial<Record<Status, keyof typeof ANSI>> = { UNKNOWN: 'blue', ERROR: 'blue', PASS: 'green' };

function resourceLabel(r: Result): string {
  const res = r.resource;
  return `${res.kind}${res.namespace ? ` ${res.namespace}/` : ' '}${res.name}`;
}

/**
 * The human report: what needs attention, grouped by target and resource, most severe first; then
 * exempted results apart; then the summary with the compliance score.
 */
export function formatTable(report: ScanReport, opts: TableOptions): string {
  const paint = painter(opts.color);
  const lines: string[] = [];
  const shown = opts.verbose ? report.results : report.results.withStatus('FAIL', 'UNKNOWN', 'ERROR');
  const attention = [...shown].filter((r) => r.status !== 'NOT_APPLICABLE' && !r.exempted);
  const byTarget = new Map<string, Map<string, Result[]>>();
  for (const r of attention) {
    const t = r.target.accountId ? `${r.target.accountId}/${r.target.region ?? ''}/${r.target.name}` : r.target.name;
    let byRes = byTarget.get(t);
    if (!byRes) byTarget.set(t, (byRes = new Map()));
    const key = resourceLabel(r);
    byRes.set(key, [...(byRes.get(key) ?? []), r]);
  }
  for (const [target, byRes] of byTarget) {
    lines.push(paint('bold', `▌ ${target}`));
    const groups = [...byRes.entries()].sort((a, b) => worst(b[1]) - worst(a[1]) || a[0].localeCompare(b[0]));
    for (const [label, results] of groups) {
      lines.push(`  ${paint('bold', label)}`);
      results.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.controlId.localeCompare(b.controlId));
      for (const r of results) {
        const sev =
          r.status === 'FAIL'
            ? paint(SEVERITY_COLOR[r.severity], r.severity.toUpperCase().padEnd(8))
            : paint(STATUS_COLOR[r.status] ?? 'dim', r.status.padEnd(8));
        const where = r.resource.container ? ` [${r.resource.container}]` : '';
        lines.push(`    ${sev} ${r.controlId}${where} — ${r.message}`);
      }
    }
    lines.push('');
  }

  const exempted = [...report.results.exempted()].filter((r) => r.status !== 'PASS');
  if (exempted.length > 0) {
    lines.push(paint('bold', `Exempted (${exempted.length}) — still real, accepted with a reason:`));
    const byReason = new Map<string, number>();
    for (const r of exempted) {
      const k = `${r.controlId} · ${r.exempted!.reason}`;
      byReason.set(k, (byReason.get(k) ?? 0) + 1);
    }
    for (const [k, n] of [...byReason.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(paint('dim', `  ${n}× ${k}`));
    if (byReason.size > 20) lines.push(paint('dim', `  … ${byReason.size - 20} more`));
    lines.push('');
  }
  if (report.scan.expiredExemptions.length > 0) {
    lines.push(paint('yellow', 'Expired exemptions (no longer applied):'));
    for (const e of report.scan.expiredExemptions) lines.push(`  ${e.controlId} expired ${e.expires} — ${e.reason}`);
    lines.push('');
  }
  const ignored = report.scan.ignoredExemptions ?? [];
  if (ignored.length > 0) {
    lines.push(paint('yellow', `Exemptions not applied (${ignored.length}):`));
    for (const e of ignored) lines.push(`  ${e.source}${e.controlId ? ` ${e.controlId}` : ''} — ${e.problem}`);
    lines.push('');
  }
  if (report.scan.errors.length > 0) {
    lines.push(paint('yellow', `Not loaded (${report.scan.errors.length}) — what they hold was not scanned:`));
    for (const e of report.scan.errors) lines.push(`  ${e.file}${e.line ? `:${e.line}` : ''} — ${e.message}`);
    lines.push('');
  }
  for (const t of report.scan.targets.filter((t) => t.status !== 'OK')) {
    lines.push(paint(t.status === 'PARTIAL' ? 'yellow' : 'red', `Target ${t.name}: ${t.status}${t.reason ? ` — ${t.reason}` : ''}`));
  }

  const s = report.summary;
  const sev = (['critical', 'high', 'medium', 'low'] as const).map((k) => paint(SEVERITY_COLOR[k], `${s.bySeverity[k]} ${k}`)).join(', ');
  lines.push(paint('bold', 'Summary'));
  lines.push(
    `  targets: ${report.scan.targets.length}   controls: ${report.results.controlIds().length}   framework: ${report.scan.framework}`,
  );
  lines.push(`  failed: ${sev}`);
  lines.push(
    `  results: ${s.byStatus.PASS} pass, ${s.byStatus.FAIL} fail, ${s.byStatus.UNKNOWN} unknown, ${s.byStatus.ERROR} error, ${s.byStatus.NOT_APPLICABLE} n/a, ${s.exempted} exempted`,
  );
  const score = s.score === null ? 'n/a (nothing judged)' : `${(s.score * 100).toFixed(1)}%`;
  const note = incompleteNote(report);
  if (note)
    lines.push(
      `  compliance score: ${paint('bold', score)} ${paint('yellow', `(${note})`)} — passed / (passed + failed) over what was read`,
    );
  else lines.push(`  compliance score: ${paint('bold', score)} (passed / (passed + failed))`);
  return lines.join('\n') + '\n';
}

function worst(results: Result[]): number {
  return Math.max(...results.map((r) => (r.status === 'FAIL' ? SEVERITY_RANK[r.severity] + 1 : 0)));
}
