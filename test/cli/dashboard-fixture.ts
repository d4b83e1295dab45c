import type { ScanReport } from '../../shared/engine/report.js';
import { ResultSet } from '../../shared/engine/results.js';
import type { Result } from '../../shared/engine/types.js';
import type { FindingsStore } from '../../shared/store/store.js';
import { fixtureScan } from '../report/scan-fixture.js';

/**
 * A week of fleet history for the dashboard: the formatter fixture (examples/manifests, an EKS
 * cluster with hostile names, a cluster the scanner could not reach) saved on four days, with the
 * Deployment `web` of examples/manifests fixed on day 3 and broken again on day 5 — so findings
 * resolve, reopen and have a history (prod-eu cannot show that: its unreadable CronJobs keep the
 * workload controls blind there, and a blind control resolves nothing). Nothing is hard-coded: the tests compare the page with the API's answers.
 */
export const DASHBOARD_NOW = new Date('2026-11-30T15:00:00Z');
export const REOPENED = { target: 'examples/manifests', kind: 'Deployment', name: 'web' };

function dated(day: number, id: string, transform?: (r: ScanReport) => void): ScanReport {
  const report = fixtureScan();
  const startedAt = new Date(Date.parse('2026-11-24T09:00:00Z') + day * 86_400_000);
  report.scan.id = id;
  report.scan.startedAt = startedAt.toISOString();
  report.scan.finishedAt = new Date(startedAt.getTime() + 60_000).toISOString();
  for (const t of report.scan.targets) {
    if (t.name === 'prod-eu') t.kubernetesAccess = { state: 'read' };
    if (t.name === 'private-cluster') {
      t.kubernetesAccess = {
        state: 'private-no-route',
        reason: 'private endpoint 10.0.12.7:443 not reachable from the scanner',
        step: 'run the scanner in the cluster VPC (scanners.vpc in hardline.config.yaml)',
      };
    }
  }
  transform?.(report);
  return report;
}

// Results are read through a ResultSet (each read builds a fresh object): the fixed ones make a new set.
const fixApi = (r: ScanReport) => {
  const { target, kind, name } = REOPENED;
  const fixed = (x: Result) => x.target.name === target && x.resource.kind === kind && x.resource.name === name && x.status === 'FAIL';
  r.results = ResultSet.of([...r.results].map((x) => (fixed(x) ? { ...x, status: 'PASS' as const } : x)));
};

export async function saveDashboardHistory(store: FindingsStore): Promise<void> {
  await store.saveScan(dated(0, 'dash-1'));
  await store.saveScan(dated(3, 'dash-2', fixApi));
  await store.saveScan(dated(5, 'dash-3'));
  await store.saveScan(dated(6, 'dash-4'));
}
