import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { findingId } from '../../shared/findings/id.js';
import { ocsfFindings, type OcsfComplianceFinding } from '../../shared/report/ocsf.js';
import { draft04, readSchema } from '../events/schema-validator.js';
import { runCli } from '../support/cli.js';
import { fixtureScan, LEAKED_KEY } from './scan-fixture.js';

const validateOcsf = () => draft04().compile(readSchema('ocsf-compliance-finding.json'));

describe('--format ocsf (OCSF Compliance Finding, class 2003)', () => {
  it('`hardline scan examples --format ocsf` validates against the documented schema and matches the JSON report', () => {
    const ocsf = runCli(['scan', 'examples', '--format', 'ocsf']);
    const json = runCli(['scan', 'examples', '--format', 'json']);
    expect(ocsf.code, ocsf.stderr).toBe(1);
    const findings = JSON.parse(ocsf.stdout) as OcsfComplianceFinding[];
    const validate = validateOcsf();
    expect(validate(findings), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const report = JSON.parse(json.stdout) as { summary: { byStatus: Record<string, number> } };
    const judged =
      report.summary.byStatus['PASS']! +
      report.summary.byStatus['FAIL']! +
      report.summary.byStatus['UNKNOWN']! +
      report.summary.byStatus['ERROR']!;
    expect(findings).toHaveLength(judged);
    expect(findings.filter((f) => f.compliance.status_id === 3)).toHaveLength(report.summary.byStatus['FAIL']!);
    for (const f of findings) expect(f.type_uid).toBe(f.class_uid * 100 + f.activity_id);
  });

  it('maps status, lifecycle, severity and the cloud profile', () => {
    const report = fixtureScan();
    const findings = [...ocsfFindings(report, controls)];
    expect(validateOcsf()(findings)).toBe(true);
    const byUid = new Map(findings.map((f) => [f.finding_info.uid, f]));
    const results = report.results.toArray();
    const of = (i: number) => byUid.get(findingId(results[i]!.target, results[i]!.controlId, results[i]!.resource))!;

    const failOpen = report.results.toArray().findIndex((r) => r.status === 'FAIL' && !r.exempted && r.severity === 'critical');
    expect(of(failOpen)).toMatchObject({
      compliance: { status_id: 3, status: 'Fail' },
      status_id: 1,
      activity_id: 1,
      severity_id: 5,
      severity: 'Critical',
    });
    const exempted = report.results.toArray().findIndex((r) => r.exempted);
    expect(of(exempted)).toMatchObject({
      status_id: 3,
      status: 'Suppressed',
      unmapped: { exemption: { reason: expect.stringContaining('accepted for the demo') } },
    });
    const unknown = report.results.toArray().findIndex((r) => r.status === 'UNKNOWN');
    expect(of(unknown)).toMatchObject({ compliance: { status_id: 2, status: 'Warning', status_detail: 'UNKNOWN' } });
    const pass = report.results.toArray().findIndex((r) => r.status === 'PASS');
    expect(of(pass)).toMatchObject({ compliance: { status_id: 1 }, status_id: 4, activity_id: 3, type_uid: 200303 });

    const inCluster = findings.find((f) => f.resources[0]!.data['target'] === 'prod-eu')!;
    expect(inCluster.cloud).toEqual({ provider: 'AWS', account: { uid: '111122223333' }, region: 'eu-west-1' });
    expect(inCluster.metadata.profiles).toEqual(['cloud']);
    expect(inCluster.resources[0]!.uid).toMatch(/^arn:aws:eks:eu-west-1:111122223333:cluster\/prod-eu\//);
    const manifest = findings.find((f) => f.resources[0]!.data['targetKind'] === 'manifests')!;
    expect(manifest.cloud).toBeUndefined();
    expect(manifest.metadata.profiles).toEqual([]);
  });

  it('carries standards and requirements from the catalog, and never a credential value', () => {
    const findings = [...ocsfFindings(fixtureScan(), controls)];
    const privileged = findings.find((f) => f.compliance.control === 'workload.privileged')!;
    expect(privileged.compliance.standards).toContain('NSA/CISA Kubernetes Hardening Guidance 1.2');
    expect(privileged.compliance.requirements.some((r) => r.startsWith('CIS Amazon EKS Benchmark v1.8.0'))).toBe(true);
    expect(privileged.remediation?.desc).toBe(controls.find((c) => c.id === 'workload.privileged')!.remediation);
    const text = JSON.stringify(findings);
    expect(text).toContain('leaky-[REDACTED]');
    expect(text).not.toContain(LEAKED_KEY);
  });

  it('the schema rejects what OCSF requires and is missing', () => {
    const [one] = [...ocsfFindings(fixtureScan(), controls)];
    const validate = validateOcsf();
    const { finding_info: _f, ...noInfo } = one!;
    expect(validate([noInfo])).toBe(false);
    expect(validate([{ ...one!, class_uid: 2004 }])).toBe(false);
    expect(validate([{ ...one!, metadata: { version: '1.3.0', product: {} } }])).toBe(false);
  });
});
