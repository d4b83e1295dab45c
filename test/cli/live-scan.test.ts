import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectKubeTargets, kubeconfigFiles, targetOf } from '../../cli/sources/kube.js';
import type { ScanReportJson } from '../../shared/engine/report.js';
import type { Result } from '../../shared/engine/types.js';
import { runCliAsync, runMainInProcess } from '../support/cli-async.js';
import { K8sApiServer, kubeconfigFor } from '../support/k8s-api-server.js';
import { mixedClusterObjects } from '../support/k8s-cluster-fixture.js';

const EXEC_TOKEN_JSON = JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: 'token-from-exec-plugin' },
});

const resultKey = (r: Result) =>
  `${r.controlId}|${r.status}|${r.resource.kind}|${r.resource.namespace ?? ''}|${r.resource.name}|${r.resource.container ?? ''}`;

describe('hardline scan/snapshot against live clusters from a kubeconfig', () => {
  let server: K8sApiServer;
  let dir: string;
  let kubeconfig: string;
  let deadUrl: string;

  beforeAll(async () => {
    server = await K8sApiServer.start();
    server.addCluster('prod', { objects: mixedClusterObjects(20), token: 'prod-token' });
    server.addCluster('staging', { objects: mixedClusterObjects(3), token: 'token-from-exec-plugin' });
    server.addCluster('denied', { token: 'the-right-one' });
    server.addCluster('slow', { objects: mixedClusterObjects(2) }).addFault({ path: '/api/v1/pods', delayMs: 300 });
    const doomed = await K8sApiServer.start();
    deadUrl = doomed.url();
    await doomed.close();
    dir = mkdtempSync(join(tmpdir(), 'hl-live-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      kubeconfigFor(
        server,
        [
          { name: 'prod', cluster: 'prod', token: 'prod-token' },
          {
            name: 'staging',
            cluster: 'staging',
            exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'sh', args: ['-c', `printf '%s' '${EXEC_TOKEN_JSON}'`] },
          },
          { name: 'dead', server: deadUrl },
          { name: 'denied', cluster: 'denied', token: 'wrong' },
          { name: 'slow', cluster: 'slow' },
        ],
        'staging',
      ),
    );
  });
  afterAll(() => server.close());

  it('scan --kubeconfig F --context C --format json reports the live cluster (exit 1 on findings)', async () => {
    const r = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--context', 'prod', '--format', 'json']);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    expect(report.schemaVersion).toBe(1);
    expect(report.scan.targets).toEqual([expect.objectContaining({ kind: 'cluster', name: 'prod', status: 'OK', gaps: 0 })]);
    expect(report.scan.targets[0]!.resources).toBeGreaterThan(50);
    // The privileged Deployment is reported once, as the Deployment (not again via its ReplicaSet).
    const privileged = report.results.filter(
      (x) => x.controlId === 'workload.privileged' && x.status === 'FAIL' && x.resource.namespace === 'team-a',
    );
    expect(privileged.map((x) => `${x.resource.kind}/${x.resource.name}`)).toContain('Deployment/web');
    expect(privileged.map((x) => x.resource.kind)).not.toContain('ReplicaSet');
    expect(r.stdout).not.toContain('prod-token');
    expect(report.results.some((x) => x.resource.kind === 'Secret')).toBe(false);
  });

  it('--all-contexts scans every context; a dead server is ERROR and refused credentials UNKNOWN while the others finish', async () => {
    const r = await runCliAsync(['scan', '--kubeconfig', kubeconfig, '--all-contexts', '--format', 'json']);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    const byName = Object.fromEntries(report.scan.targets.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['dead', 'denied', 'prod', 'slow', 'staging']);
    expect(byName['prod']!.status).toBe('OK');
    expect(byName['staging']!.status).toBe('OK');
    expect(byName['slow']!.status).toBe('OK');
    expect(byName['dead']).toMatchObject({ status: 'ERROR', reason: expect.stringMatching(/connection refused/) });
    expect(byName['denied']).toMatchObject({ status: 'UNKNOWN', reason: expect.stringMatching(/401/) });
    expect(r.stderr).toMatch(/target dead: ERROR/);
    for (const name of ['prod', 'staging', 'slow']) expect(report.results.some((x) => x.target.name === name)).toBe(true);
    expect(r.code).toBe(1);
    // The exec credential plugin's token is what the staging cluster saw.
    expect(server.cluster('staging').requests.every((q) => q.authorization === 'Bearer token-from-exec-plugin')).toBe(true);
  });

  it('snapshot records a context; scanning the snapshot offline gives the same results as the live scan', async () => {
    const snap = join(dir, 'prod.json');
    const rec = await runMainInProcess(['snapshot', '--kubeconfig', kubeconfig, '--context', 'prod', '--output', snap]);
    expect(rec.code).toBe(0);
    const doc = JSON.parse(readFileSync(snap, 'utf8')) as Record<string, unknown>;
    expect(doc).toMatchObject({
      apiVersion: 'hardline.dev/v1',
      kind: 'Inventory',
      origin: 'live',
      target: { kind: 'cluster', name: 'prod' },
      gaps: [],
    });
    expect(JSON.stringify(doc)).not.toContain('managedFields');

    const live = await runMainInProcess(['scan', '--kubeconfig', kubeconfig, '--context', 'prod', '--format', 'json']);
    const offline = await runMainInProcess(['scan', snap, '--format', 'json']);
    const a = (JSON.parse(live.stdout) as ScanReportJson).results.map(resultKey).sort();
    const b = (JSON.parse(offline.stdout) as ScanReportJson).results.map(resultKey).sort();
    expect(b.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
    expect(offline.code).toBe(live.code);
  });

  it('uses $KUBECONFIG and its current context by default; bad contexts and missing files are usage errors (exit 2)', async () => {
    const byEnv = await runMainInProcess(['snapshot'], { KUBECONFIG: kubeconfig });
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byEnv.stdout)).toMatchObject({ target: { name: 'staging' } });

    const unknown = await runMainInProcess(['scan', '--kubeconfig', kubeconfig, '--context', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no context 'nope' \(available: prod, staging, dead, denied, slow\)/);

    const missing = await runMainInProcess(['scan', '--context', 'x'], { KUBECONFIG: join(dir, 'absent'), HOME: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no kubeconfig found/);
  });
});

describe('collectKubeTargets (in process)', () => {
  let server: K8sApiServer;
  let kubeconfig: string;

  beforeAll(async () => {
    server = await K8sApiServer.start();
    for (const key of ['a', 'b', 'c', 'd', 'e']) server.addCluster(key, { objects: mixedClusterObjects(2) });
    server.cluster('c').dead = true;
    server.cluster('d').addFault({ path: '/api/v1/pods', delayMs: 400 });
    const dir = mkdtempSync(join(tmpdir(), 'hl-kube-'));
    kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      kubeconfigFor(
        server,
        ['a', 'b', 'c', 'd', 'e'].map((k) => ({ name: `ctx-${k}`, cluster: k })),
      ),
    );
  });
  afterAll(() => server.close());

  it('collects contexts concurrently, keeps their order, isolates the failing one and reports progress', async () => {
    const updates: string[] = [];
    const inputs = await collectKubeTargets({ kubeconfig, allContexts: true }, { update: (m) => updates.push(m), done: () => {} });
    expect(inputs.map((i) => ('inventory' in i ? i.inventory.target.name : i.target.name))).toEqual([
      'ctx-a',
      'ctx-b',
      'ctx-c',
      'ctx-d',
      'ctx-e',
    ]);
    const failed = inputs.filter((i) => 'failure' in i);
    expect(failed).toEqual([
      { target: { kind: 'cluster', name: 'ctx-c' }, failure: { status: 'ERROR', reason: expect.stringContaining(server.url('c')) } },
    ]);
    expect(inputs.filter((i) => 'inventory' in i && i.inventory.resources.length > 0)).toHaveLength(4);
    // Several contexts were in flight at once: some progress line shows two of them connecting or listing.
    expect(updates.some((u) => (u.match(/ctx-[a-e]: (connecting|\w+ \d+)/g) ?? []).length >= 2)).toBe(true);
    expect(updates.at(-1)).toBe('5/5 contexts');
  });

  it('names EKS contexts by cluster, account and region so laptop and scheduled scans share finding ids', () => {
    expect(targetOf('prod', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu')).toEqual({
      kind: 'cluster',
      name: 'prod-eu',
      accountId: '123456789012',
      region: 'eu-west-1',
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu',
    });
    expect(targetOf('kind-dev', 'kind-dev')).toEqual({ kind: 'cluster', name: 'kind-dev' });
    expect(kubeconfigFiles(undefined, { KUBECONFIG: '/a:/b', HOME: '/h' })).toEqual(['/a', '/b']);
    expect(kubeconfigFiles(undefined, { HOME: '/h' })).toEqual(['/h/.kube/config']);
    expect(kubeconfigFiles('/x', { KUBECONFIG: '/a' })).toEqual(['/x']);
  });
});
