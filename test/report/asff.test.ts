import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Result } from '../../shared/engine/types.js';
import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { findingId } from '../../shared/findings/id.js';
import { ASFF_PLACEHOLDER_ACCOUNT, ASFF_PLACEHOLDER_REGION, asffFinding, asffFindings } from '../../shared/report/asff.js';
import { runCli } from '../support/cli.js';
import { asffViolations } from './asff-rules.js';
import { fixtureScan, LEAKED_KEY } from './scan-fixture.js';

describe('--format asff (BatchImportFindings)', () => {
  it('`hardline scan examples --format asff` gives findings with every required field within limits, placeholders for a manifest scan', () => {
    const run = runCli(['scan', 'examples', '--format', 'asff']);
    expect(run.code, run.stderr).toBe(1);
    const findings = JSON.parse(run.stdout) as AwsSecurityFinding[];
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.flatMap((f) => asffViolations(f).map((v) => `${f.Id}: ${v}`))).toEqual([]);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    expect(findings[0]).toMatchObject({
      AwsAccountId: ASFF_PLACEHOLDER_ACCOUNT,
      Region: ASFF_PLACEHOLDER_REGION,
      ProductArn: `arn:aws:securityhub:${ASFF_PLACEHOLDER_REGION}:${ASFF_PLACEHOLDER_ACCOUNT}:product/${ASFF_PLACEHOLDER_ACCOUNT}/default`,
    });
  });

  it('Compliance.Status, Workflow and RecordState follow the lifecycle', () => {
    const report = fixtureScan();
    const findings = [...asffFindings(report, { controls })];
    expect(findings.flatMap(asffViolations)).toEqual([]);
    const byId = new Map(findings.map((f) => [f.Id, f]));
    const of = (pred: (r: Result) => boolean) => {
      const r = report.results.toArray().find(pred)!;
      return byId.get(`hardline/${findingId(r.target, r.controlId, r.resource)}`)!;
    };
    expect(of((r) => r.status === 'FAIL' && !r.exempted)).toMatchObject({
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(of((r) => Boolean(r.exempted))).toMatchObject({
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'SUPPRESSED' },
      RecordState: 'ACTIVE',
      ProductFields: { 'hardline/exemptionReason': 'accepted for the demo <b>until Q1</b>' },
    });
    expect(of((r) => r.status === 'UNKNOWN')).toMatchObject({
      Compliance: { Status: 'WARNING' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(of((r) => r.status === 'PASS')).toMatchObject({
      Compliance: { Status: 'PASSED' },
      Workflow: { Status: 'RESOLVED' },
      RecordState: 'ARCHIVED',
    });
    // A stored finding's own state wins over what the result alone suggests.
    const r = report.results.toArray().find((x) => x.status === 'FAIL' && !x.exempted)!;
    expect(asffFinding(report, r, { controls, state: 'RESOLVED' })).toMatchObject({
      Workflow: { Status: 'RESOLVED' },
      RecordState: 'ARCHIVED',
    });
  });

  it('cluster findings carry their own account, region and partition; ids are stable across scans', () => {
    const a = [...asffFindings(fixtureScan(), { controls })];
    const b = [...asffFindings(fixtureScan(), { controls })];
    expect(a.map((f) => f.Id)).toEqual(b.map((f) => f.Id));
    const inCluster = a.find((f) => f.Resources![0]!.Details?.Other?.['target'] === 'prod-eu')!;
    expect(inCluster).toMatchObject({
      AwsAccountId: '111122223333',
      Region: 'eu-west-1',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
    });
    expect(inCluster.Resources![0]).toMatchObject({
      Type: 'Other',
      Partition: 'aws',
      Region: 'eu-west-1',
      Id: expect.stringMatching(/^arn:aws:eks:eu-west-1:111122223333:cluster\/prod-eu\//),
    });
  });

  it('long texts are cut to the ASFF limits and no credential value gets through', () => {
    const report = fixtureScan();
    const r = { ...report.results.toArray().find((x) => x.status === 'FAIL')!, message: 'x'.repeat(5000) };
    const f = asffFinding(report, r, { controls });
    expect(f.Description!.length).toBe(1024);
    expect(asffViolations(f)).toEqual([]);
    const text = JSON.stringify([...asffFindings(report, { controls })]);
    expect(text).not.toContain(LEAKED_KEY);
    expect(text).toContain('[REDACTED]');
  });

  it('the checker itself catches a finding BatchImportFindings would reject', () => {
    const [f] = [...asffFindings(fixtureScan(), { controls })];
    expect(asffViolations({ ...f!, Title: 't'.repeat(257) })).toContain('Title > 256');
    expect(asffViolations({ ...f!, AwsAccountId: 'abc' })).toContain('AwsAccountId');
    const { Resources: _r, ...noResources } = f!;
    expect(asffViolations(noResources as AwsSecurityFinding)).toContain('missing Resources');
  });
});
