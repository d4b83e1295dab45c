import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { findingId } from '../../shared/findings/id.js';
import { formatSarif } from '../../shared/report/sarif.js';
import type { Result } from '../../shared/engine/types.js';
import { renderedText } from '../../shared/report/pieces.js';
import { fixtureScan } from './scan-fixture.js';

describe('SARIF exemptions as suppressions', () => {
  const report = fixtureScan();
  const log = JSON.parse(renderedText(formatSarif(report, controls))) as Log;
  const results = log.runs[0]!.results!;
  const fingerprint = (r: Result) => findingId(r.target, r.controlId, r.resource);

  it('every exempted FAIL/UNKNOWN/ERROR result is suppressed with its justification, and only those', () => {
    const exempted = report.results.toArray().filter((r) => r.exempted && r.status !== 'PASS' && r.status !== 'NOT_APPLICABLE');
    expect(exempted.length).toBeGreaterThan(0);
    const suppressed = results.filter((r) => r.suppressions?.length);
    expect(suppressed.map((r) => r.partialFingerprints!['hardline/findingId']).sort()).toEqual(exempted.map(fingerprint).sort());
    for (const s of suppressed)
      expect(s.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'accepted for the demo <b>until Q1</b>' }]);
  });

  it('an expired exemption suppresses nothing: the result is reported as an ordinary failure', () => {
    const expired = report.results.toArray().filter((r) => r.exemptionExpired && r.status === 'FAIL');
    expect(expired.length).toBeGreaterThan(0);
    for (const r of expired) {
      const sarif = results.find((x) => x.partialFingerprints!['hardline/findingId'] === fingerprint(r) && x.ruleId === r.controlId)!;
      expect(sarif.suppressions).toBeUndefined();
      expect(sarif.kind).toBe('fail');
    }
  });
});
