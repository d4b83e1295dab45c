import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Log, Result as SarifResult } from 'sarif';
import { describe, expect, it } from 'vitest';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { defaultConfig } from '../../shared/config/settings.js';
import { controls } from '../../shared/controls/index.js';
import { runScan } from '../../shared/engine/scan.js';
import { renderedText } from '../../shared/report/pieces.js';
import { formatSarif } from '../../shared/report/sarif.js';
import { runCli } from '../support/cli.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: sidecar
          image: busybox:1.36
        - name: app
          image: nginx:1.25
          securityContext:
            privileged: true
`;

const LIST = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata:
      name: other
      namespace: shop
    spec:
      containers:
        - name: main
          image: busybox:1.36
  - apiVersion: v1
    kind: Pod
    metadata:
      name: listed
      namespace: shop
    spec:
      containers:
        - name: main
          image: busybox:1.36
          securityContext:
            privileged: true
`;

/** `# header` lines, a Namespace, then the Deployment: the Deployment's fields are far from line 1. */
const FILE = `# rendered by a chart\n# second comment\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n${DEPLOYMENT}---\n${LIST}`;

/** 1-based line of the n-th (0-based) line containing `needle`. */
function lineOf(text: string, needle: string, nth = 0): number {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, i) => (l.includes(needle) ? [i + 1] : []));
  if (hits[nth] === undefined) throw new Error(`no ${needle} #${nth}`);
  return hits[nth];
}

function sarifOf(loader: ManifestLoader): SarifResult[] {
  const loaded = loader.result({ kind: 'manifests', name: 'regions' }, '2026-11-30T12:00:00.000Z');
  const startedAt = new Date('2026-11-30T12:00:00Z');
  const report = runScan(loaded.targets, {
    controls,
    exemptions: [],
    config: defaultConfig(),
    framework: 'all',
    scanId: 'regions',
    startedAt,
    finishedAt: () => startedAt,
  });
  const log = JSON.parse(renderedText(formatSarif(report, controls, { locations: loaded.locations, sources: loaded.sources }))) as Log;
  return log.runs[0]!.results!;
}

const regionOf = (results: SarifResult[], ruleId: string, name: string) =>
  results.find((r) => r.ruleId === ruleId && fqnHas(r, name))?.locations?.[0]?.physicalLocation;
const fqnHas = (r: SarifResult, name: string) => (r.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? '').includes(`/${name}`);

describe('SARIF regions point at the offending field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hl-regions-'));
  const file = join(dir, 'chart.yaml');
  writeFileSync(file, FILE);

  it('a container field, a pod field and a List item field each get their own line in a multi-document file', () => {
    const loader = new ManifestLoader();
    loader.addPath(file);
    const results = sarifOf(loader);
    const privileged = regionOf(results, 'workload.privileged', 'web');
    expect(privileged?.region?.startLine).toBe(lineOf(FILE, 'privileged: true', 0));
    expect(regionOf(results, 'workload.host-pid', 'web')?.region?.startLine).toBe(lineOf(FILE, 'hostPID: true'));
    expect(regionOf(results, 'workload.privileged', 'listed')?.region?.startLine).toBe(lineOf(FILE, 'privileged: true', 1));
    // The Deployment's other results without a resolvable field still point into the Deployment.
    expect(privileged?.artifactLocation?.uri).toMatch(/chart\.yaml$/);
  });

  it('a source that changed since it was loaded gives the object first line, never a wrong field line', () => {
    const loader = new ManifestLoader();
    loader.addText(FILE, 'chart.yaml', () => FILE.replaceAll('kind: Deployment', 'kind: StatefulSet').replace('hostPID', 'hostIPC'));
    const results = sarifOf(loader);
    const deploymentStart = lineOf(FILE, 'kind: Deployment') - 1;
    expect(regionOf(results, 'workload.privileged', 'web')?.region?.startLine).toBe(deploymentStart);
    expect(regionOf(results, 'workload.host-pid', 'web')?.region?.startLine).toBe(deploymentStart);
  });

  it('JSON input keeps the object first line (no field positions)', () => {
    const loader = new ManifestLoader();
    loader.addText(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }), 'empty.json');
    loader.addText(
      JSON.stringify(
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p', namespace: 'shop' },
          spec: { hostPID: true, containers: [{ name: 'c', image: 'x:1' }] },
        },
        null,
        2,
      ),
      'pod.json',
    );
    const results = sarifOf(loader);
    expect(regionOf(results, 'workload.host-pid', 'p')?.region?.startLine).toBe(1);
  });

  it('standard input is named `stdin`, or what --stdin-name says, with field lines all the same', () => {
    const plain = runCli(['scan', '-', '--format', 'sarif'], { stdin: FILE });
    const named = runCli(['scan', '-', '--format', 'sarif', '--stdin-name', 'charts/web.yaml'], { stdin: FILE });
    for (const [run, uri] of [
      [plain, 'stdin'],
      [named, 'charts/web.yaml'],
    ] as const) {
      expect(run.code, run.stderr).toBe(1);
      const results = (JSON.parse(run.stdout) as Log).runs[0]!.results!;
      const located = results.filter((r) => r.locations?.[0]?.physicalLocation);
      expect(located.length).toBeGreaterThan(0);
      expect(new Set(located.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri))).toEqual(new Set([uri]));
      expect(regionOf(results, 'workload.privileged', 'web')?.region?.startLine).toBe(lineOf(FILE, 'privileged: true', 0));
    }
  }, 120_000);
});
