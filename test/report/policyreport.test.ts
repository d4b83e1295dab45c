import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { STATUSES } from '../../shared/core/types.js';
import { findingId } from '../../shared/findings/id.js';
import { formatReport } from '../../shared/report/format.js';
import {
  buildPolicyReports,
  policyReportFiles,
  policyResultOf,
  SCAN_POLICY,
  type PolicyReport,
  type PolicyReportResult,
} from '../../shared/report/policyreport.js';
import { reportName, targetSlug } from '../../shared/report/policyreport-names.js';
import { POLICY_REPORT_CRDS, policyReportValidator } from '../support/policyreport-crd.js';
import { hasShared } from '../support/requirements.js';
import { clusterInventory, fixtureScan, LEAKED_KEY, XSS_NAMESPACE } from './scan-fixture.js';

const haveCrds = hasShared(POLICY_REPORT_CRDS, 'the wg-policy PolicyReport CRDs');
const report = fixtureScan();
const docs = buildPolicyReports(report, controls);
const all = (list: readonly PolicyReport[]) => list.flatMap((d) => d.results);
const fromControls = (list: readonly PolicyReport[]) => all(list).filter((r) => r.policy !== SCAN_POLICY);

describe('PolicyReport (wgpolicyk8s.io/v1alpha2)', () => {
  it.skipIf(!haveCrds)('every report validates against the upstream CRD schema (unknown fields refused)', () => {
    const validate = policyReportValidator();
    expect(docs.length).toBeGreaterThan(3);
    for (const doc of docs) expect(validate(doc), `${doc.kind} ${doc.metadata.name}`).toEqual([]);
    // The validator is not a rubber stamp: a field the CRD does not know, or a result outside its enum, is refused.
    const bad = structuredClone(docs[0]!) as unknown as { results: Record<string, unknown>[] };
    bad.results[0]!['status'] = 'FAIL';
    bad.results[1]!['result'] = 'unknown';
    expect(validate(bad).length).toBe(2);
  });

  it('maps every status: PASS pass, FAIL fail, exempted FAIL warn (not scored), UNKNOWN/ERROR error, NOT_APPLICABLE skip', () => {
    const cases = STATUSES.flatMap((status) => [false, true].map((exempted) => ({ status, exempted })));
    const mapped = cases.map(({ status, exempted }) => ({
      status,
      exempted,
      ...policyResultOf({ status, ...(exempted ? { exempted: { by: 'x', reason: 'y', source: 'default' } } : {}) }),
    }));
    expect(mapped.filter((m) => m.result === 'pass').map((m) => m.status)).toEqual(['PASS', 'PASS']);
    expect(mapped.find((m) => m.status === 'FAIL' && !m.exempted)).toMatchObject({ result: 'fail', scored: true });
    expect(mapped.find((m) => m.status === 'FAIL' && m.exempted)).toMatchObject({ result: 'warn', scored: false });
    for (const s of ['UNKNOWN', 'ERROR'] as const) {
      expect(mapped.find((m) => m.status === s && !m.exempted)).toMatchObject({ result: 'error', scored: true });
      expect(mapped.find((m) => m.status === s && m.exempted)).toMatchObject({ result: 'error', scored: false });
    }
    expect(mapped.filter((m) => m.status === 'NOT_APPLICABLE').map((m) => m.result)).toEqual(['skip', 'skip']);
  });

  it('carries every result of the scan once, with its control, severity, resource, message and status', () => {
    const results = fromControls(docs);
    expect(results.length).toBe(report.results.size);
    const key = (policy: string, kind: string, ns: string | undefined, name: string, container?: string) =>
      `${policy}|${kind}|${ns ?? ''}|${name}|${container ?? ''}`;
    const byKey = new Map(
      results.map((r) => [
        key(r.policy, r.resources![0]!.kind!, r.resources![0]!.namespace, r.resources![0]!.name!, r.properties?.['container']),
        r,
      ]),
    );
    for (const r of report.results) {
      const p = byKey.get(
        key(
          r.controlId,
          r.resource.kind,
          r.resource.kind === 'Namespace' ? undefined : r.resource.namespace,
          r.resource.name,
          r.resource.container,
        ),
      );
      expect(p, `${r.controlId} ${r.resource.kind}/${r.resource.name}`).toBeDefined();
      expect(p).toMatchObject({ source: 'hardline', severity: r.severity, message: r.message, ...policyResultOf(r) });
      expect(p!.properties!['status']).toBe(r.status);
      expect(p!.rule).toBe(controls.find((c) => c.id === r.controlId)!.title);
      if (r.status === 'FAIL' || r.status === 'UNKNOWN')
        expect(p!.properties!['findingId']).toBe(findingId(r.target, r.controlId, r.resource));
      if (r.evidence) expect(JSON.parse(p!.properties!['evidence']!)).toEqual(JSON.parse(JSON.stringify(r.evidence)));
      if (r.exempted) expect(p!.properties).toMatchObject({ exemptionSource: r.exempted.source, exemptedBy: r.exempted.by });
    }
  });

  it('a PolicyReport per target and namespace, the cluster-scoped and AWS resources in a ClusterPolicyReport; summaries count the results', () => {
    for (const doc of docs) {
      const counts = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
      for (const r of doc.results) counts[r.result]++;
      expect(doc.summary).toEqual(counts);
      expect(doc.metadata.labels['app.kubernetes.io/managed-by']).toBe('hardline');
      expect(doc.metadata.annotations['hardline.dev/scan-id']).toBe('scan-fixture');
      for (const r of fromControls([doc])) {
        const ref = r.resources![0]!;
        if (doc.kind === 'PolicyReport') expect(ref.namespace).toBe(doc.metadata.namespace);
        else expect(ref.kind === 'Namespace' || !ref.namespace || ref.namespace === XSS_NAMESPACE).toBe(true);
      }
    }
    const namespaced = (target: string) =>
      docs
        .filter((d) => d.kind === 'PolicyReport' && d.metadata.annotations['hardline.dev/target'] === target)
        .map((d) => d.metadata.namespace);
    expect(namespaced('examples/manifests').sort()).toEqual(['kube-system', 'logging', 'payments', 'storefront']);
    expect(namespaced('prod-eu')).toEqual(['shop']); // the hostile namespace cannot hold a report: its results stay in the cluster report
    const cluster = docs.find((d) => d.kind === 'ClusterPolicyReport' && d.metadata.annotations['hardline.dev/target'] === 'prod-eu')!;
    expect(cluster.results.some((r) => r.resources?.[0]?.namespace === XSS_NAMESPACE)).toBe(true);
    const nonKubernetes = fromControls(docs).filter(
      (r) => !/^(v1|[a-z.]+\.k8s\.io\/v1|apps\/v1|batch\/v1)$/.test(r.resources![0]!.apiVersion!),
    );
    expect(nonKubernetes.length).toBeGreaterThan(0);
    for (const r of nonKubernetes) expect(docs.find((d) => d.results.includes(r))!.kind).toBe('ClusterPolicyReport');
    const rbac = fromControls(docs).filter((r) => r.resources?.[0]?.kind === 'ClusterRoleBinding');
    expect(rbac.length).toBeGreaterThan(0);
    // No report counts one scope twice, and the totals add up to the scan's.
    const names = docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    const fails = report.results.toArray().filter((r) => r.status === 'FAIL' && !r.exempted).length;
    expect(docs.reduce((n, d) => n + d.summary.fail, 0)).toBe(fails);
  });

  it('a target that could not be read is an error result of the hardline policy, never an empty report', () => {
    const doc = docs.find((d) => d.metadata.annotations['hardline.dev/target'] === 'private-cluster')!;
    expect(doc.kind).toBe('ClusterPolicyReport');
    expect(doc.metadata.annotations['hardline.dev/target-status']).toBe('UNKNOWN');
    expect(doc.results).toEqual([
      expect.objectContaining({
        policy: SCAN_POLICY,
        rule: 'target',
        result: 'error',
        scored: true,
        message: expect.stringContaining('private endpoint'),
      }),
    ]);
    expect(doc.summary.error).toBe(1);
  });

  it('files that did not load are error results in the manifests target report', () => {
    // The results are a ResultSet (a class structuredClone would not keep): only the scan is copied.
    const broken = { ...report, scan: { ...report.scan, errors: [{ file: 'k8s/bad.yaml', line: 7, message: 'invalid YAML' }] } };
    const out = buildPolicyReports(broken, controls);
    const load = all(out).filter((r) => r.policy === SCAN_POLICY && r.rule === 'load');
    expect(load).toEqual([expect.objectContaining({ result: 'error', properties: { file: 'k8s/bad.yaml', line: '7' } })]);
    const home = out.find((d) => d.results.includes(load[0]!))!;
    expect(home.metadata.annotations['hardline.dev/target-kind']).toBe('manifests');
  });

  it('splits a scope too large for kubectl apply into numbered reports, losing nothing', () => {
    const small = buildPolicyReports(report, controls, {}, 4_000);
    expect(small.length).toBeGreaterThan(docs.length);
    for (const d of small) {
      expect(Buffer.byteLength(JSON.stringify(d.results))).toBeLessThan(4_000 + 2_000);
      expect(d.metadata.name).toMatch(/^hardline-[a-z0-9.-]+$/);
    }
    const storefront = small.filter((d) => d.metadata.namespace === 'storefront').map((d) => d.metadata.name);
    expect(storefront.length).toBeGreaterThan(1);
    expect(storefront.slice(1)).toEqual(storefront.slice(1).map((_, i) => `${storefront[0]}-${i + 2}`));
    const sig = (r: PolicyReportResult) => JSON.stringify(r);
    expect(all(small).map(sig).sort()).toEqual(all(docs).map(sig).sort());
  });

  it('names are valid, stable and distinct: the same cluster name in two accounts gets two reports', () => {
    const a = { kind: 'cluster' as const, name: 'prod', accountId: '111111111111', region: 'eu-west-1' };
    const b = { ...a, accountId: '222222222222' };
    expect(targetSlug(a)).not.toBe(targetSlug(b));
    expect(targetSlug(a)).toBe(targetSlug({ ...a }));
    expect(targetSlug({ kind: 'cluster', name: 'prod' })).toBe('prod');
    expect(targetSlug({ kind: 'manifests', name: 'Shop/deploy_A' })).toMatch(/^shop-deploy-a-[0-9a-f]{8}$/);
    expect(targetSlug({ kind: 'manifests', name: 'shop-deploy-a' })).toBe('shop-deploy-a');
    expect(targetSlug({ kind: 'manifests', name: '///' })).toMatch(/^[0-9a-f]{8}$/);
    expect(reportName({ kind: 'manifests', name: `${'x'.repeat(400)}` }, 12).length).toBeLessThanOrEqual(253);
  });

  it('YAML: one document per report on stdout, one redacted file per report for a directory', () => {
    const text = formatReport(report, 'policyreport', { controls });
    const parsed = parseAllDocuments(text).map((d) => d.toJS() as PolicyReport);
    expect(parsed.map((d) => d.metadata.name)).toEqual(docs.map((d) => d.metadata.name));
    expect(text).not.toContain(LEAKED_KEY);
    expect(text).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
    const files = policyReportFiles(report, controls);
    expect(files.map((f) => f.fileName)).toContain(`policyreport-shop-hardline-${targetSlug(clusterInventory.target)}.yaml`);
    expect(new Set(files.map((f) => f.fileName)).size).toBe(files.length);
    for (const f of files) {
      expect(f.text).not.toContain(LEAKED_KEY);
      const doc = parse(f.text) as PolicyReport;
      expect(f.fileName).toBe(
        `${doc.kind.toLowerCase()}-${doc.metadata.namespace ? `${doc.metadata.namespace}-` : ''}${doc.metadata.name}.yaml`,
      );
    }
    const leaky = fromControls(docs).find((r: PolicyReportResult) => r.resources?.[0]?.name?.includes(LEAKED_KEY));
    expect(leaky, 'the fixture plants a key in a resource name').toBeDefined();
  });
});
