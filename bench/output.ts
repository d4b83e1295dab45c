import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticPods } from './synthetic.js';

function child(args: string[]): Record<string, number> {
  const script = fileURLToPath(new URL('./output-child.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`output child failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/**
 * Peak RSS of the real CLI scanning a snapshot of `pods` workloads into `--format json --output`:
 * the report is larger than one string may be, so this only finishes when it is written as made.
 */
export function benchJsonOutput(pods = 100_000): { pods: number; rss_mb: number; output_mb: number; exit_code: number } {
  const dir = mkdtempSync(join(tmpdir(), 'hardline-bench-output-'));
  try {
    const snapshot = join(dir, 'pods.json');
    // A `List` of the pods, as `kubectl get pods -A -o json` writes it.
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: syntheticPods(pods).resources }));
    const r = child(['scan', snapshot, join(dir, 'report.json')]);
    return { pods, rss_mb: r['rss_mb']!, output_mb: r['output_mb']!, exit_code: r['code']! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A plain Deployment of about 530 bytes, as charts render them (a 50 MB file holds some 95,000). */
function deploymentYaml(i: number): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: team-${i % 500}
  labels:
    app: app-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      containers:
        - name: app
          image: registry.example.com/team/app-${i}:1.${i % 50}.0
          ports:
            - containerPort: 8080
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
          securityContext:
            privileged: ${i % 7 === 0}
            runAsNonRoot: true
`;
}

/** Peak RSS of loading one multi-document YAML file of Deployments of about `mb` megabytes. */
export function benchManifestLoad(mb = 50): { mb: number; deployments: number; documents: number; rss_mb: number } {
  const dir = mkdtempSync(join(tmpdir(), 'hardline-bench-manifest-'));
  try {
    const file = join(dir, 'deployments.yaml');
    const fd = openSync(file, 'w');
    let written = 0;
    let deployments = 0;
    while (written < mb * 1e6) written += writeSync(fd, deploymentYaml(deployments++));
    closeSync(fd);
    const r = child(['load', file]);
    return { mb: Math.round(statSync(file).size / 1e5) / 10, deployments, documents: r['documents']!, rss_mb: r['rss_mb']! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
