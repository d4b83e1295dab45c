import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { SEVERITY_RANK, type Severity } from '../../shared/core/types.js';
import { ResultSet } from '../../shared/engine/results.js';
import { formatHtml } from '../../shared/report/html.js';
import { renderedText } from '../../shared/report/pieces.js';
import { buildView } from '../../shared/report/html/view.js';
import { report, result } from '../store/support.js';

/**
 * "Top failing controls" and the resources of a namespace are ranked by severity first: a LOW
 * control failing everywhere must not push the CRITICAL ones off the list, and the resource with
 * the critical finding comes before the alphabetically first one with only low findings.
 */
const severityOf = (id: string): Severity => controls.find((c) => c.id === id)!.severity;
const bySeverity = (s: Severity) => controls.filter((c) => c.severity === s).map((c) => c.id);

function rankingScan() {
  const critical = bySeverity('critical').slice(0, 3);
  const high = bySeverity('high').slice(0, 9);
  const low = bySeverity('low')[0]!;
  const results = [
    // 40 failures of one LOW control on resources named a…, each with nothing worse.
    ...Array.from({ length: 40 }, (_, i) => result({ control: low, severity: 'low', name: `a-${String(i).padStart(2, '0')}` })),
    // High controls failing 2–10 times, each more often than any critical one.
    ...high.flatMap((id, i) => Array.from({ length: i + 2 }, (_, j) => result({ control: id, severity: 'high', name: `m-${i}-${j}` }))),
    // Three CRITICAL controls failing once each, on resources named z… (last alphabetically).
    ...critical.map((id, i) => result({ control: id, severity: 'critical', name: `z-${i}` })),
  ];
  return { scan: report('ranking', results), critical, high, low };
}

describe('HTML report ranking: severity first, then count', () => {
  it('top failing controls: the three CRITICAL controls lead, then HIGH by count; the LOW one with 40 failures is not in the top 10', () => {
    const { scan, critical, high, low } = rankingScan();
    const top = buildView(scan, controls).topControls;
    expect(top).toHaveLength(10);
    expect(top.slice(0, 3).map((c) => c.controlId)).toEqual([...critical].sort());
    expect(top.slice(3).map((c) => c.controlId)).toEqual([...high].reverse().slice(0, 7));
    expect(top.map((c) => c.controlId)).not.toContain(low);
    const ranks = top.map((c) => SEVERITY_RANK[c.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(top.slice(3).map((c) => c.failures)).toEqual([10, 9, 8, 7, 6, 5, 4]);
  });

  it("ranks by the results' severity: a control a configuration raised to critical leads", () => {
    const ranked = rankingScan().scan;
    expect(severityOf('workload.resource-requests')).not.toBe('critical');
    const raised = result({ control: 'workload.resource-requests', severity: 'critical', name: 'raised' });
    const scan = { ...ranked, results: ResultSet.of([...ranked.results, raised]) };
    const top = buildView(scan, controls).topControls;
    expect(top.slice(0, 4).map((c) => c.controlId)).toContain('workload.resource-requests');
    expect(top.find((c) => c.controlId === 'workload.resource-requests')!.severity).toBe('critical');
  });

  it('the page lists the top controls in that order', () => {
    const { scan, critical } = rankingScan();
    const page = renderedText(formatHtml(scan, controls));
    const table = /<table id="top-controls">([\s\S]*?)<\/table>/.exec(page)![1]!;
    const rows = [...table.matchAll(/<tr data-control="([^"]+)"/g)].map((m) => m[1]!);
    expect(rows.slice(0, 3)).toEqual([...critical].sort());
    expect(rows.map((id) => SEVERITY_RANK[severityOf(id)])).toEqual(rows.map((id) => SEVERITY_RANK[severityOf(id)]).sort((a, b) => b - a));
  });

  it('resources inside a namespace: most severe first (critical, then by how many of each severity), the name only among equals', () => {
    const scan = report('resources', [
      result({ control: 'workload.resource-limits', severity: 'low', name: 'aaa' }),
      result({ control: 'workload.image-tag', severity: 'low', name: 'aaa' }),
      result({ control: 'workload.privilege-escalation', severity: 'high', name: 'bbb' }),
      result({ control: 'workload.privileged', severity: 'critical', name: 'zzz' }),
      result({ control: 'workload.privilege-escalation', severity: 'high', name: 'ccc' }),
      result({ control: 'workload.host-pid', severity: 'high', name: 'ccc' }),
      result({ control: 'workload.resource-limits', severity: 'low', name: 'bbb-2' }),
      result({ control: 'workload.privilege-escalation', severity: 'high', name: 'bbb-2' }),
    ]);
    const ns = buildView(scan, controls).findings[0]!.namespaces[0]!;
    expect(ns.resources.map((r) => r.label)).toEqual([
      'Deployment/zzz',
      'Deployment/ccc',
      'Deployment/bbb-2',
      'Deployment/bbb',
      'Deployment/aaa',
    ]);
    const page = renderedText(formatHtml(scan, controls));
    expect([...page.matchAll(/<h5>([^<]+)<\/h5>/g)].map((m) => m[1])).toEqual(ns.resources.map((r) => r.label));
  });
});
