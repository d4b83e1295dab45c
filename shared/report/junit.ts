import type { ControlFacts } from '../controls/types.js';
import { STATUSES } from '../core/types.js';
import type { ScanReport } from '../engine/report.js';
import type { GroupTally } from '../engine/results.js';
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

interface CaseCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** A suite's counts from the result columns: exempted and N/A are skipped, FAIL fails, UNKNOWN/ERROR are errors. */
function countCases(tallies: readonly GroupTally[]): CaseCounts {
  const n: CaseCounts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const g of tallies) {
    for (const status of STATUSES) {
      const all = g.byStatus[status];
      const exempted = g.exempted[status];
      n.tests += all;
      n.skipped += exempted;
      if (status === 'NOT_APPLICABLE') n.skipped += all - exempted;
      else if (status === 'FAIL') n.failures += all - exempted;
      else if (status === 'UNKNOWN' || status === 'ERROR') n.errors += all - exempted;
    }
  }
  return n;
}

function testCase(r: Result): string {
  let body = '';
  if (r.exempted || r.status === 'NOT_APPLICABLE') {
    body = `<skipped message="${xml(r.exempted ? `exempted: ${r.exempted.reason}` : r.message)}"/>`;
  } else if (r.status === 'FAIL') {
    body = `<failure message="${xml(r.message)}" type="${r.severity}">${xml(r.message)}</failure>`;
  } else if (r.status === 'UNKNOWN' || r.status === 'ERROR') {
    body = `<error message="${xml(r.message)}" type="${r.status}"/>`;
  }
  return `    <testcase classname="${xml(r.controlId)}" name="${xml(caseName(r))}">${body}</testcase>`;
}

/** JUnit XML: a testsuite per control, a testcase per result; FAIL → failure, UNKNOWN/ERROR → error, exempted/N/A → skipped. */
export function* formatJunit(report: ScanReport, controls: readonly ControlFacts[]): Generator<string> {
  const titles = new Map(controls.map((c) => [c.id, c.title]));
  const total = countCases(report.results.tally());
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="hardline" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" timestamp="${report.scan.startedAt}">\n`
  );
  let firstSuite = true;
  for (const { controlId, results } of report.results.byControl()) {
    const n = countCases(results.tally());
    yield (
      (firstSuite ? '' : '\n') +
      `  <testsuite name="${xml(controlId)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}">\n` +
      `    <properties><property name="title" value="${xml(titles.get(controlId) ?? controlId)}"/></properties>\n`
    );
    firstSuite = false;
    let firstCase = true;
    for (const r of results) {
      yield (firstCase ? '' : '\n') + testCase(r);
      firstCase = false;
    }
    yield '\n  </testsuite>';
  }
  yield '\n</testsuites>\n';
}
