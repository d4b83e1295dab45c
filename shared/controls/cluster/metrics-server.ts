import { describeObject, nameOf } from '../../inventory/objects.js';
import { asRecord, asString } from '../../inventory/read.js';
import type { Workload } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { METRICS_SERVER, watchedWorkloads } from '../watched-workloads.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

/**
 * The first workload named metrics-server or running its image, among the workloads the shared
 * image scan picked out (a superset, in inventory order).
 */
function metricsServerWorkload(workloads: readonly Workload[]): Workload | undefined {
  for (const w of workloads) {
    if (w.name === METRICS_SERVER) return w;
    for (const c of w.containers) {
      const image = c.spec['image'];
      if (typeof image === 'string' && image.includes(METRICS_SERVER)) return w;
    }
  }
  return undefined;
}

export const clusterMetricsServer = defineControl(
  {
    id: 'cluster.metrics-server',
    title: 'A metrics server must be installed',
    severity: 'low',
    category: 'Audit logging and threat detection',
    scope: 'cluster',
    frameworks: { nsa: 'Audit logging and threat detection' },
    match: [],
    rationale:
      'Resource metrics (the metrics.k8s.io API) reveal anomalies such as cryptomining and feed autoscaling. NSA/CISA: configure a metrics logger.',
    remediation: 'Install metrics-server (the EKS add-on `metrics-server`, or the upstream manifest/Helm chart).',
  },
  {
    reads: ['Deployment', 'APIService', 'eks:addons'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const ref = clusterRef(ctx);
      const workload = metricsServerWorkload(watchedWorkloads(ctx.index));
      if (workload) {
        out.push(
          ctx.outcome('PASS', ref, `metrics-server runs as ${workload.kind} ${workload.namespace}/${workload.name}`, {
            evidence: `${workload.kind}/${workload.namespace}/${workload.name}`,
          }),
        );
        return out;
      }
      const api = ctx.index.byKind('APIService').find((a) => nameOf(a).endsWith('.metrics.k8s.io'));
      if (api) {
        out.push(ctx.outcome('PASS', ref, `the metrics API is served (${describeObject(api)})`, { evidence: describeObject(api) }));
        return out;
      }
      const addon = (ctx.inventory.eks?.addons ?? []).find((a) => asString(asRecord(a)?.['addonName']) === 'metrics-server');
      if (addon) {
        out.push(ctx.outcome('PASS', ref, 'metrics-server is installed as an EKS add-on', { evidence: 'eks addon metrics-server' }));
        return out;
      }
      const unreadable = ['Deployment', 'APIService'].filter((k) => ctx.index.gaps(k).length > 0);
      if (unreadable.length > 0) {
        out.push(ctx.outcome('UNKNOWN', ref, `no metrics-server found, but ${unreadable.join(' and ')} could not be read`));
        return out;
      }
      out.push(
        ctx.outcome(
          'FAIL',
          ref,
          'no metrics-server: no metrics-server workload, no metrics.k8s.io APIService and no metrics-server EKS add-on',
        ),
      );
      return out;
    },
  },
);
