import { describe, expect, it } from 'vitest';
import { formatTable } from '../../shared/report/table.js';
import { fixtureScan } from './scan-fixture.js';

describe('table report', () => {
  const report = fixtureScan();
  const coloured = formatTable(report, { color: true });

  it('paints UNKNOWN rows blue and FAIL rows in their severity colour, so "not judged" never reads as "failed"', () => {
    const rows = coloured.split('\n');
    const unknown = rows.filter((l) => l.includes('UNKNOWN ') && l.includes(' — could not read'));
    expect(unknown.length).toBeGreaterThan(0);
    // eslint-disable-next-line no-control-regex -- ANSI colour codes are what is checked
    for (const l of unknown) expect(l).toMatch(/^ {4}\x1b\[34mUNKNOWN +\x1b\[0m/);
    // eslint-disable-next-line no-control-regex -- ANSI colour codes are what is checked
    expect(rows.some((l) => /^ {4}\x1b\[31mHIGH +\x1b\[0m/.test(l))).toBe(true);
  });

  it('labels the score of an incomplete scan and lists the targets not fully read', () => {
    const plain = formatTable(report, { color: false });
    expect(report.summary.complete).toBe(false);
    expect(plain).toMatch(/compliance score: \d+\.\d% \(incomplete: 2 targets not fully read, \d+ results? UNKNOWN\)/);
    expect(plain).toMatch(/Target prod-eu: PARTIAL — could not read CronJob/);
    expect(plain).toMatch(/Target private-cluster: UNKNOWN — private endpoint unreachable/);
  });
});
