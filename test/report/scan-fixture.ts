import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { defaultConfig } from '../../shared/config/settings.js';
import { controls } from '../../shared/controls/index.js';
import type { ScanReport } from '../../shared/engine/report.js';
import { runScan } from '../../shared/engine/scan.js';
import type { Exemption } from '../../shared/engine/types.js';
import type { Inventory, KubeObject } from '../../shared/inventory/types.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * A real scan for the formatter tests: examples/manifests (a `manifests` target, no account) plus
 * a recorded-style EKS cluster target with hostile names, a leaked key in a resource name, an
 * unreachable cluster, exemptions (one expired). Nothing here is a hard-coded result: the numbers
 * come from the engine and the tests compare the formats with the JSON report.
 */
export const LEAKED_KEY = 'AKIAIOSFODNN7EXAMPLE';
export const XSS_NAME = '<script>window.__xss=1</script>';
export const XSS_NAMESPACE = '"><img src=x onerror="window.__xss=2">';
export const NOW = new Date('2026-11-30T12:00:00Z');

function pod(name: string, namespace: string, securityContext: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { containers: [{ name: 'app', image: 'nginx:latest', securityContext }] },
  };
}

export const clusterInventory: Inventory = {
  target: {
    kind: 'cluster',
    accountId: '111122223333',
    region: 'eu-west-1',
    name: 'prod-eu',
    arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu',
  },
  collectedAt: NOW.toISOString(),
  origin: 'snapshot',
  resources: [
    pod(XSS_NAME, 'shop', { privileged: true }),
    pod('api', XSS_NAMESPACE, { privileged: true, allowPrivilegeEscalation: true }),
    pod(`leaky-${LEAKED_KEY}`, 'shop', { runAsNonRoot: true }),
  ],
  gaps: [
    { source: 'CronJob', reason: 'forbidden', message: 'cronjobs.batch is forbidden: User "hardline" cannot list resource "cronjobs"' },
  ],
};

export const exemptions: Exemption[] = [
  {
    controlId: 'workload.privileged',
    match: { namespace: 'storefront' },
    reason: 'accepted for the demo <b>until Q1</b>',
    source: 'file:test',
    by: 'security@example.com',
  },
  { controlId: 'workload.image-tag', match: { cluster: 'prod-eu' }, reason: 'old exemption', expires: '2026-01-01', source: 'file:test' },
];

export function fixtureScan(): ScanReport {
  const loader = new ManifestLoader();
  loader.addPath(`${REPO_ROOT}examples/manifests`);
  const loaded = loader.result({ kind: 'manifests', name: 'examples/manifests' }, NOW.toISOString());
  return runScan(
    [
      ...loaded.inventories.map((inventory) => ({ inventory })),
      { inventory: clusterInventory },
      {
        target: { kind: 'cluster', accountId: '444455556666', region: 'us-east-1', name: 'private-cluster' },
        failure: { status: 'UNKNOWN', reason: 'private endpoint unreachable from the scanner' },
      },
    ],
    {
      controls,
      exemptions,
      config: defaultConfig(),
      framework: 'all',
      startedAt: NOW,
      now: NOW,
      scanId: 'scan-fixture',
      finishedAt: () => new Date(NOW.getTime() + 4_000),
    },
  );
}
