import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../shared/config/settings.js';
import { controls } from '../../shared/controls/index.js';
import { runScan } from '../../shared/engine/scan.js';
import { frameworkById, frameworks } from '../../shared/frameworks/index.js';
import { formatHtml } from '../../shared/report/html.js';
import { renderedText } from '../../shared/report/pieces.js';
import { formatTable } from '../../shared/report/table.js';
import { clusterInventory, fixtureScan, NOW } from './scan-fixture.js';

/** summary.frameworks: each framework's score in the JSON, with the controls its score could not judge. */
describe('summary.frameworks', () => {
  const report = fixtureScan();

  it('counts each framework from its own controls’ results, exempted ones left out as in the overall score', () => {
    expect(report.results.toArray().some((r) => r.exempted)).toBe(true);
    expect(Object.keys(report.summary.frameworks)).toEqual(frameworks.map((f) => f.id));
    for (const f of frameworks) {
      const own = report.results.toArray().filter((r) => f.controls.includes(r.controlId));
      const passed = own.filter((r) => r.status === 'PASS').length;
      const failed = own.filter((r) => r.status === 'FAIL' && !r.exempted).length;
      const unknown = own.filter((r) => r.status === 'UNKNOWN' && !r.exempted);
      expect(report.summary.frameworks[f.id], f.id).toEqual({
        passed,
        failed,
        unknown: unknown.length,
        score: Math.round((passed / (passed + failed)) * 10_000) / 10_000,
        notJudged: f.controls.filter((id) => unknown.some((r) => r.controlId === id)),
      });
    }
  });

  it('names the controls a CronJob list denied with 403 left unjudged, in every framework that has them', () => {
    const privileged = frameworks.filter((f) => f.controls.includes('workload.privileged')).map((f) => f.id);
    for (const id of privileged) expect(report.summary.frameworks[id]!.notJudged, id).toContain('workload.privileged');
    expect(report.summary.frameworks['pss-baseline']!.notJudged).not.toContain('eks.audit-logging');
  });

  it('holds only the chosen framework when the scan ran one', () => {
    const cis = runScan([{ inventory: clusterInventory }], {
      controls: controls.filter((c) => frameworkById('cis-eks')!.controls.includes(c.id)),
      exemptions: [],
      config: defaultConfig(),
      framework: 'cis-eks',
      startedAt: NOW,
      scanId: 'cis-only',
      finishedAt: () => NOW,
    });
    expect(Object.keys(cis.summary.frameworks)).toEqual(['cis-eks']);
    expect(cis.summary.frameworks['cis-eks']!.passed + cis.summary.frameworks['cis-eks']!.failed).toBeGreaterThan(0);
  });

  it('the table prints each framework’s score briefly and the HTML lists what was not judged', () => {
    const table = formatTable(report, { color: false });
    const f = report.summary.frameworks['cis-eks']!;
    expect(table).toContain(`cis-eks ${(f.score! * 100).toFixed(1)}% (${f.notJudged.length} not judged)`);
    const page = renderedText(formatHtml(report, controls));
    expect(page).toContain(`<li data-framework="cis-eks"><strong>CIS EKS</strong>: ${f.notJudged.join(', ')}</li>`);
    // The HTML's fleet-wide score per framework is the JSON's.
    for (const fw of frameworks)
      expect(page).toContain(`data-testid="score-*-${fw.id}" data-score="${report.summary.frameworks[fw.id]!.score}"`);
  });
});
