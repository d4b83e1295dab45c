import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReportJson } from '../../shared/engine/report.js';
import { runCli } from '../support/cli.js';

/**
 * `hardline scan <folder> --format json` on a cluster laid out over several files, the way a
 * platform repository keeps it: Calico policies, Kyverno policies, RBAC, logging, workloads.
 */
const FILES: Record<string, string> = {
  'namespaces.yaml': `
apiVersion: v1
kind: Namespace
metadata:
  name: team-a
  labels: { owner: team-a, pod-security.kubernetes.io/enforce: restricted }
---
apiVersion: v1
kind: Namespace
metadata: { name: team-b }
---
apiVersion: v1
kind: Namespace
metadata: { name: kube-system }
`,
  'network/calico.yaml': `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: default-deny }
spec:
  namespaceSelector: projectcalico.org/name not in {"kube-system"}
  types: [Ingress, Egress]
  egress:
    - action: Allow
      protocol: UDP
      destination: { selector: k8s-app == "kube-dns", ports: [53] }
`,
  // Kubernetes policies sit in Calico's default tier at order 1000, before the unordered global deny.
  'network/team-b-open.yaml': `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all-ingress, namespace: team-b }
spec:
  podSelector: {}
  ingress: [{}]
`,
  'policy/kyverno.yaml': `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: restrict-image-registries }
spec:
  validationFailureAction: Enforce
  rules:
    - name: registries
      match: { any: [{ resources: { kinds: [Pod] } }] }
      exclude: { any: [{ resources: { namespaces: [kube-system] } }] }
      validate:
        pattern:
          spec:
            containers:
              - image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: podsecurity-subrule-baseline }
spec:
  validationFailureAction: Audit
  rules:
    - name: baseline
      match: { any: [{ resources: { kinds: [Pod] } }] }
      validate: { podSecurity: { level: baseline } }
`,
  'rbac/team-b.yaml': `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: team-b-admins, namespace: team-b }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: Group, name: team-b }]
`,
  'logging/fluent-bit.yaml': `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: fluent-bit, namespace: kube-system }
spec:
  template:
    spec:
      containers: [{ name: fluent-bit, image: public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.2 }]
      volumes: [{ name: cfg, configMap: { name: fluent-bit } }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: fluent-bit, namespace: kube-system }
data:
  fluent-bit.conf: |
    [OUTPUT]
        Name  stdout
        Match *
`,
  'apps/team-b.yaml': `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: team-b }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, nodePort: 31080 }]
---
apiVersion: v1
kind: ConfigMap
metadata: { name: web, namespace: team-b }
data:
  SMTP_PASSWORD: "do-not-commit-me-7"
`,
};

let dir: string;
let report: ScanReportJson;
let exitCode: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hardline-cluster-'));
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const run = runCli(['scan', dir, '--format', 'json']);
  exitCode = run.code;
  report = JSON.parse(run.stdout) as ScanReportJson;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function status(controlId: string, kind: string, name: string): string | undefined {
  // The cluster-level resource is named after the scanned target.
  return report.results.find(
    (r) => r.controlId === controlId && r.resource.kind === kind && (kind === 'Cluster' || r.resource.name === name),
  )?.status;
}

describe('hardline scan on a folder of cluster manifests', () => {
  it('gives the verdicts a security engineer expects for each cluster-level control', () => {
    const expected: [string, string, string, string][] = [
      ['network.default-deny', 'Namespace', 'team-a', 'PASS'],
      ['network.default-deny', 'Namespace', 'team-b', 'FAIL'],
      ['network.default-deny', 'Namespace', 'kube-system', 'FAIL'],
      ['admission.pod-security', 'Namespace', 'team-a', 'PASS'],
      ['admission.pod-security', 'Namespace', 'team-b', 'FAIL'],
      ['admission.pod-security', 'Namespace', 'kube-system', 'NOT_APPLICABLE'],
      ['admission.allowed-repos', 'Cluster', dir, 'PASS'],
      ['admission.mutation-defaults', 'Cluster', dir, 'FAIL'],
      ['rbac.cluster-admin-binding', 'RoleBinding', 'team-b-admins', 'FAIL'],
      ['logging.forwarder-siem', 'DaemonSet', 'fluent-bit', 'FAIL'],
      ['logging.forwarder-retry', 'DaemonSet', 'fluent-bit', 'NOT_APPLICABLE'],
      ['network.nodeport-service', 'Service', 'web', 'FAIL'],
      ['config.credentials-in-configmap', 'ConfigMap', 'web', 'FAIL'],
      ['config.credentials-in-configmap', 'ConfigMap', 'fluent-bit', 'PASS'],
      ['namespace.required-labels', 'Namespace', 'team-a', 'PASS'],
      ['namespace.required-labels', 'Namespace', 'team-b', 'FAIL'],
      ['cluster.metrics-server', 'Cluster', dir, 'FAIL'],
      ['dashboard.exposed', 'Cluster', dir, 'PASS'],
    ];
    const actual = expected.map(([c, k, n]) => [c, k, n, status(c, k, n)]);
    expect(actual).toEqual(expected);
    expect(exitCode).toBe(1);
  });

  it('explains a verdict and never prints the credential it found', () => {
    const team = report.results.find((r) => r.controlId === 'network.default-deny' && r.resource.name === 'team-b')!;
    expect(team.message).toContain('NetworkPolicy/team-b/allow-all-ingress');
    const cm = report.results.find((r) => r.controlId === 'config.credentials-in-configmap' && r.resource.name === 'web')!;
    expect(cm.evidence?.['keys']).toEqual(['data.SMTP_PASSWORD']);
    expect(JSON.stringify(report)).not.toContain('do-not-commit-me-7');
  });
});
