import type { ControlFacts } from '../controls/types.js';
import type { ScanReport } from '../engine/report.js';
import type { Result } from '../engine/types.js';

function xml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters: they are dropped
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

function caseName(r: Result): string {
  const res = r.resource;
  return `${r.target.name}: ${res.kind} ${res.namespace ? res.namespace + '/' : ''}${res.name}${res.container ? ` [${res.container}]` : ''}`;
}

/** JUnit XML: a testsuite per control, a testcase per result; FAIL → failure, UNKNOWN/ERROR → error, exempted/N/A → skipped. */
export function formatJunit(report: ScanReport, controls: readonly ControlFacts[]): string {
  const byControl = new Map<string, Result[]>();
  for (const r of report.results) byControl.set(r.controlId, [...(byControl.get(r.controlId) ?? []), r]);
  const titles = new Map(controls.map((c) => [c.id, c.title]));
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const [controlId, results] of byControl) {
    const cases: string[] = [];
    let f = 0;
    let e = 0;
    let s = 0;
    for (const r of results) {
      const name = xml(caseName(r));
      let body = '';
      if (r.exempted || r.status === 'NOT_APPLICABLE') {
        s++;
        body = `<skipped message="${xml(r.exempted ? `exempted: ${r.exempted.reason}` : r.message)}"/>`;
      } else if (r.status === 'FAIL') {
        f++;
        body = `<failure message="${xml(r.message)}" type="${r.severity}">${xml(r.message)}</failure>`;
      } else if (r.status === 'UNKNOWN' || r.status === 'ERROR') {
        e++;
        body = `<error message="${xml(r.message)}" type="${r.status}"/>`;
      }
      cases.push(`    <testcase classname="${xml(controlId)}" name="${name}">${body}</testcase>`);
    }
    total += results.length;
    failures += f;
    errors += e;
    skipped += s;
    suites.push(
      `  <testsuite name="${xml(controlId)}" tests="${results.length}" failures="${f}" errors="${e}" skipped="${s}">\n` +
        `    <properties><property name="title" value="${xml(titles.get(controlId) ?? controlId)}"/></properties>\n` +
        cases.join('\n') +
        '\n  </testsuite>',
    );
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="hardline" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${report.scan.startedAt}">\n` +
    suites.join('\n') +
    '\n</testsuites>\n'
  );
}
