import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ScanReportJson } from '../../shared/engine/report.js';
import { runMainInProcess } from '../support/cli-async.js';
import { K8sApiServer, kubeconfigFor } from '../support/k8s-api-server.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * Exit 3: nothing failed at or above --fail-on, but the scan did not read or judge everything —
 * a CI gate must not go green on a cluster nobody could read. 1 (failures) wins over 3.
 */
const CLEAN = `${REPO_ROOT}test/controls/fixtures/workload.privileged/pass/hardened-deployment.yaml`;
const PRIVILEGED = `${REPO_ROOT}test/controls/fixtures/workload.privileged/fail/privileged-sidecar-daemonset.yaml`;

/** A recorded cluster whose workloads were read but whose RBAC answered 403: PASS + UNKNOWN only. */
function halfReadSnapshot(resources: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-exit-'));
  const file = join(dir, 'half-read.json');
  const gaps = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((source) => ({
    source,
    reason: 'forbidden',
    message: 'the scanner may not list RBAC objects',
  }));
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'hardline.dev/v1',
      kind: 'Inventory',
      target: { kind: 'cluster', name: 'half-read' },
      collectedAt: '2026-12-01T00:00:00Z',
      origin: 'live',
      resources,
      gaps,
    }),
  );
  return file;
}

const CONTROLS = ['--controls', 'workload.privileged,rbac.wildcard'];

describe('a scan whose only non-PASS results are UNKNOWN', () => {
  let snapshot: string;
  beforeAll(() => {
    snapshot = halfReadSnapshot([parse(readFileSync(CLEAN, 'utf8'))]);
  });

  it('exits 3, says why on stderr, and --allow-incomplete turns 3 into 0', async () => {
    const r = await runMainInProcess(['scan', snapshot, ...CONTROLS]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/incomplete: 1 target not fully read, 1 result UNKNOWN: exit 3/);
    expect((await runMainInProcess(['scan', snapshot, ...CONTROLS, '--allow-incomplete'])).code).toBe(0);
  });

  it('never shows a bare 100.0% in the table, and colours UNKNOWN apart from failures', async () => {
    const r = await runMainInProcess(['scan', snapshot, ...CONTROLS]);
    expect(r.stdout).toMatch(/compliance score: 100\.0% \(incomplete: 1 target not fully read, 1 result UNKNOWN\)/);
    expect(r.stdout).toMatch(/Target half-read: PARTIAL — could not read Role, ClusterRole/);
    expect(r.stdout).toMatch(/ {4}UNKNOWN +rbac\.wildcard/);
  });

  it('says so in the JSON summary, SARIF run properties and the HTML report', async () => {
    const json = JSON.parse((await runMainInProcess(['scan', snapshot, ...CONTROLS, '--format', 'json'])).stdout) as ScanReportJson;
    expect(json.schemaVersion).toBe(1);
    expect(json.summary).toMatchObject({
      score: 1,
      complete: false,
      incompleteTargets: [
        { kind: 'cluster', name: 'half-read', status: 'PARTIAL', reason: expect.stringMatching(/could not read Role.*; 1 result UNKNOWN/) },
      ],
    });

    const sarif = JSON.parse((await runMainInProcess(['scan', snapshot, ...CONTROLS, '--format', 'sarif'])).stdout) as {
      runs: { properties: Record<string, unknown>; invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[];
    };
    expect(sarif.runs[0]!.properties).toMatchObject({ complete: false, incompleteTargets: [{ name: 'half-read', status: 'PARTIAL' }] });
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text)).toContainEqual(
      expect.stringMatching(/^target half-read PARTIAL/),
    );

    const html = (await runMainInProcess(['scan', snapshot, ...CONTROLS, '--format', 'html'])).stdout;
    expect(html).toMatch(/data-testid="incomplete"[^>]*><strong>Incomplete scan<\/strong> — 1 target not fully read, 1 result UNKNOWN/);
    expect(html).toMatch(/data-complete="false">100%<\/div><div class="l">compliance score \(incomplete\)/);
    // The UNKNOWN row wears its own badge, not the severity colour a FAIL has.
    expect(html).toMatch(
      /<tr class="finding" data-severity="high" data-status="UNKNOWN"[^>]*>\s*<td><span class="badge UNKNOWN" data-testid="verdict-badge">unknown<\/span>/,
    );
  });

  it('an OK target with UNKNOWN results is incomplete too, and a complete scan says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-exit-'));
    writeFileSync(join(dir, 'no-containers.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: empty, namespace: a}\nspec: {}\n');
    const unknown = await runMainInProcess(['scan', dir, '--controls', 'workload.privileged', '--format', 'json']);
    expect(unknown.code).toBe(3);
    expect((JSON.parse(unknown.stdout) as ScanReportJson).summary.incompleteTargets).toEqual([
      expect.objectContaining({ status: 'OK', reason: '1 result UNKNOWN' }),
    ]);
    const clean = await runMainInProcess(['scan', CLEAN, '--controls', 'workload.privileged', '--format', 'json']);
    expect(clean.code).toBe(0);
    expect((JSON.parse(clean.stdout) as ScanReportJson).summary).toMatchObject({ complete: true, incompleteTargets: [] });
  });
});

describe('failures win over incompleteness', () => {
  it('exits 1 when something fails at or above --fail-on, even with a target not fully read', async () => {
    const snapshot = halfReadSnapshot([parse(readFileSync(PRIVILEGED, 'utf8'))]);
    expect((await runMainInProcess(['scan', snapshot, ...CONTROLS])).code).toBe(1);
    // A medium FAIL below --fail-on critical does not count; the incompleteness does.
    const below = await runMainInProcess([
      'scan',
      snapshot,
      '--controls',
      'network.workload-isolated,rbac.wildcard',
      '--fail-on',
      'critical',
      '--format',
      'json',
    ]);
    expect((JSON.parse(below.stdout) as ScanReportJson).summary.bySeverity.medium).toBe(1);
    expect(below.code).toBe(3);
  });
});

describe('a dead --context', () => {
  it('exits 3 (the cluster could not be read), not 0 or 2; --allow-incomplete accepts it', async () => {
    const doomed = await K8sApiServer.start();
    const url = doomed.url();
    await doomed.close();
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'hl-exit-')), 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(doomed, [{ name: 'dead', server: url }]));
    const r = await runMainInProcess(['scan', '--kubeconfig', kubeconfig, '--context', 'dead', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/target dead: ERROR/);
    expect((JSON.parse(r.stdout) as ScanReportJson).summary).toMatchObject({
      complete: false,
      incompleteTargets: [{ name: 'dead', status: 'ERROR' }],
    });
    expect((await runMainInProcess(['scan', '--kubeconfig', kubeconfig, '--context', 'dead', '--allow-incomplete'])).code).toBe(0);
  });
});
