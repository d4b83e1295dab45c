import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReportJson } from '../../shared/engine/report.js';
import type { PolicyReport } from '../../shared/report/policyreport.js';
import { runMainInProcess } from '../support/cli-async.js';
import { K8sApiServer, kubeconfigFor } from '../support/k8s-api-server.js';
import { mixedClusterObjects } from '../support/k8s-cluster-fixture.js';
import { REPO_ROOT } from '../support/paths.js';
import { POLICY_REPORT_CRDS, policyReportValidator } from '../support/policyreport-crd.js';
import { hasShared } from '../support/requirements.js';

const haveCrds = hasShared(POLICY_REPORT_CRDS, 'the wg-policy PolicyReport CRDs');
const EXAMPLES = `${REPO_ROOT}examples`;
const unfailed = (r: ScanReportJson) => r.results.filter((x) => x.status === 'FAIL' && !x.exempted).length;

function expectValid(docs: readonly PolicyReport[]): void {
  const validate = policyReportValidator();
  for (const doc of docs) expect(validate(doc), `${doc.kind} ${doc.metadata.namespace ?? ''}/${doc.metadata.name}`).toEqual([]);
}

describe('hardline scan --format policyreport', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hl-polr-'));
  });

  it.skipIf(!haveCrds)('--output DIR/ writes one valid file per report for the examples (kubectl apply -f DIR/)', async () => {
    const out = join(dir, 'reports');
    mkdirSync(out);
    const r = await runMainInProcess(['scan', EXAMPLES, '--output', `${out}/`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const files = readdirSync(out).sort();
    expect(r.stderr).toContain(`wrote ${files.length} PolicyReport files to ${out}/`);
    const docs = files.map((f) => parse(readFileSync(join(out, f), 'utf8')) as PolicyReport);
    expectValid(docs);
    const kinds = new Set(docs.map((d) => d.metadata.annotations['hardline.dev/target-kind']));
    expect(kinds).toEqual(new Set(['manifests', 'cluster', 'registry']));
    const eks = docs.filter((d) => d.results.some((x) => x.resources?.[0]?.apiVersion === 'eks.amazonaws.com/v1'));
    const ecr = docs.filter((d) => d.results.some((x) => x.resources?.[0]?.apiVersion === 'ecr.amazonaws.com/v1'));
    expect([...eks, ...ecr].map((d) => d.kind)).toEqual(expect.arrayContaining(['ClusterPolicyReport']));
    expect([...eks, ...ecr].every((d) => d.kind === 'ClusterPolicyReport')).toBe(true);
    const json = JSON.parse((await runMainInProcess(['scan', EXAMPLES, '--format', 'json'])).stdout) as ScanReportJson;
    expect(docs.reduce((n, d) => n + d.summary.fail, 0)).toBe(unfailed(json));
  });

  describe('a live scan of the test API server', () => {
    let server: K8sApiServer;
    let kubeconfig: string;
    beforeAll(async () => {
      server = await K8sApiServer.start();
      server.addCluster('prod', { objects: mixedClusterObjects(6), token: 'prod-token' });
      kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigFor(server, [{ name: 'prod', cluster: 'prod', token: 'prod-token' }]));
    });
    afterAll(() => server?.close());

    it.skipIf(!haveCrds)('stdout is one multi-document YAML that validates, a PolicyReport per namespace', async () => {
      const r = await runMainInProcess(['scan', '--kubeconfig', kubeconfig, '--context', 'prod', '--format', 'policyreport']);
      expect(r.code, r.stderr).toBe(1);
      const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as PolicyReport);
      expectValid(docs);
      const json = await runMainInProcess(['scan', '--kubeconfig', kubeconfig, '--context', 'prod', '--format', 'json']);
      const report = JSON.parse(json.stdout) as ScanReportJson;
      const namespaces = new Set(
        report.results.filter((x) => x.resource.namespace && x.resource.kind !== 'Namespace').map((x) => x.resource.namespace),
      );
      expect(new Set(docs.filter((d) => d.kind === 'PolicyReport').map((d) => d.metadata.namespace))).toEqual(namespaces);
      expect(docs.filter((d) => d.kind === 'ClusterPolicyReport').map((d) => d.metadata.name)).toEqual(['hardline-prod']);
      expect(docs.reduce((n, d) => n + d.results.length, 0)).toBe(report.results.length);
      expect(docs.reduce((n, d) => n + d.summary.fail, 0)).toBe(unfailed(report));
    });
  });
});

describe('--output: the format from the extension, the folder must exist', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hl-out-'));
  });
  const payments = `${EXAMPLES}/manifests/payments`;

  it.each([
    ['r.json', (t: string) => expect(JSON.parse(t).schemaVersion).toBe(1)],
    ['r.sarif', (t: string) => expect(JSON.parse(t).version).toBe('2.1.0')],
    ['r.xml', (t: string) => expect(t).toMatch(/^<\?xml[^]*<testsuites /)],
    ['r.html', (t: string) => expect(t).toMatch(/^<!doctype html>/i)],
    ['r.yaml', (t: string) => expect(parseAllDocuments(t)[0]!.toJS().apiVersion).toBe('wgpolicyk8s.io/v1alpha2')],
    ['r.YML', (t: string) => expect(parseAllDocuments(t)[0]!.toJS().kind).toMatch(/PolicyReport$/)],
    ['r.txt', (t: string) => expect(t).toContain('payments')],
  ])('--output %s without --format', async (name, check) => {
    const r = await runMainInProcess(['scan', payments, '--output', join(dir, name)]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    check(readFileSync(join(dir, name), 'utf8'));
  });

  it('--format wins over the extension', async () => {
    const r = await runMainInProcess(['scan', payments, '--format', 'json', '--output', join(dir, 'named.html')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`wrote json report to ${join(dir, 'named.html')}`);
    expect(JSON.parse(readFileSync(join(dir, 'named.html'), 'utf8')).schemaVersion).toBe(1);
  });

  it('a missing folder is a usage error before anything is scanned or saved; nothing is created', async () => {
    const store = join(dir, 'store');
    for (const output of [join(dir, 'missing', 'deeper', 'r.json'), join(dir, 'missing-dir') + '/']) {
      const r = await runMainInProcess(['scan', payments, '--save', '--output', output], { HARDLINE_STORE_DIR: store });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/hardline: --output .*: no such (folder|directory)/);
      expect(existsSync(join(dir, 'missing'))).toBe(false);
      expect(existsSync(join(dir, 'missing-dir'))).toBe(false);
      expect(existsSync(store)).toBe(false);
    }
    const snap = await runMainInProcess(['snapshot', '--kubeconfig', join(dir, 'none'), '--output', join(dir, 'missing', 's.json')]);
    expect(snap.code).toBe(2);
    expect(snap.stderr).toContain('no such folder');
  });

  it('a directory takes only PolicyReports', async () => {
    const r = await runMainInProcess(['scan', payments, '--format', 'sarif', '--output', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('only --format policyreport writes one file per report');
    const unknown = await runMainInProcess(['scan', payments, '--format', 'yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown format 'yaml'");
  });
});
