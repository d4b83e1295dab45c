import { describeObject, labelsOf, nameOf } from '../../inventory/objects.js';
import { asRecord, asRecords, asString, asStrings, getPath } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { POD_BEARING_KINDS, serviceAccountOf, type Workload } from '../../inventory/workloads.js';
import { RBAC_KINDS, rbacModel } from '../../policy/rbac/model.js';
import { selectsLabels } from '../../policy/selectors.js';
import { defineControl } from '../define.js';
import { DASHBOARD_IMAGE, watchedWorkloads } from '../watched-workloads.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

/** The dashboard UI (v2 single image, v7 web/api/auth split, and the Kong proxy its chart puts in front). */
function isDashboard(w: Workload): boolean {
  if (w.name.includes('metrics-scraper')) return false;
  const named = w.name.includes('kubernetes-dashboard');
  for (const c of w.containers) {
    const image = asString(c.spec['image']) ?? '';
    if (DASHBOARD_IMAGE.test(image) || (named && !image.includes('metrics-scraper'))) return true;
  }
  return false;
}

const INSECURE_ARGS = /^--(enable-skip-login|enable-insecure-login)(=true)?$/;

function serviceBackends(ingress: KubeObject): string[] {
  const spec = asRecord(ingress['spec']) ?? {};
  const names: string[] = [];
  const add = (backend: unknown) => {
    const n = asString(getPath(backend, 'service', 'name')) ?? asString(asRecord(backend)?.['serviceName']);
    if (n) names.push(n);
  };
  add(spec['defaultBackend'] ?? spec['backend']);
  for (const rule of asRecords(spec['rules'])) for (const p of asRecords(getPath(rule, 'http', 'paths'))) add(p['backend']);
  return names;
}

function exposure(ctx: CheckContext, w: Workload): string[] {
  const labels = labelsOf(w.podMeta.labels);
  const services = ctx.index
    .byKind('Service')
    .filter(
      (s) =>
        (asString(s.metadata?.namespace) || 'default') === w.namespace && selectsLabels(labelsOf(getPath(s, 'spec', 'selector')), labels),
    );
  const out: string[] = [];
  const names = new Set(services.map(nameOf));
  for (const s of services) {
    const type = asString(getPath(s, 'spec', 'type')) ?? 'ClusterIP';
    if (type === 'LoadBalancer' || type === 'NodePort') out.push(`${describeObject(s)} of type ${type}`);
    if (asStrings(getPath(s, 'spec', 'externalIPs')).length > 0) out.push(`${describeObject(s)} with externalIPs`);
  }
  for (const ing of ctx.index.byKind('Ingress')) {
    if ((asString(ing.metadata?.namespace) || 'default') !== w.namespace) continue;
    const hit = serviceBackends(ing).find((n) => names.has(n));
    if (hit) out.push(`${describeObject(ing)} → Service ${hit}`);
  }
  for (const route of ctx.index.byKind('HTTPRoute')) {
    if ((asString(route.metadata?.namespace) || 'default') !== w.namespace) continue;
    const refs = asRecords(getPath(route, 'spec', 'rules')).flatMap((r) =>
      asRecords(r['backendRefs']).map((b) => asString(b['name']) ?? ''),
    );
    const hit = refs.find((n) => names.has(n));
    if (hit) out.push(`${describeObject(route)} → Service ${hit}`);
  }
  return out;
}

export const dashboardExposed = defineControl(
  {
    id: 'dashboard.exposed',
    title: 'The Kubernetes dashboard must not be exposed or run without login',
    severity: 'high',
    category: 'Network separation',
    scope: 'cluster',
    frameworks: { nsa: 'Network separation', kubescape: ['C-0014'] },
    match: [
      {
        ref: 'KS C-0014',
        match: 'related',
        note: 'it flags subjects bound to the dashboard role and other pods using its ServiceAccount; hardline flags exposure, skip-login flags and a cluster-admin ServiceAccount',
      },
    ],
    rationale:
      'An exposed dashboard, or one that allows skipping login or runs with a cluster-admin service account, hands the cluster to whoever reaches it (the Tesla cryptojacking incident).',
    remediation:
      'Keep the dashboard behind `kubectl proxy`/port-forward (ClusterIP only), remove --enable-skip-login and --enable-insecure-login, and give its service account no more than view access — or uninstall it.',
  },
  {
    reads: [...POD_BEARING_KINDS, 'Service', 'Ingress', 'HTTPRoute', ...RBAC_KINDS],
    requires: ['Deployment'],
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const dashboards = watchedWorkloads(ctx.index).filter(isDashboard);
      if (dashboards.length === 0) {
        out.push(ctx.outcome('PASS', clusterRef(ctx), 'the Kubernetes dashboard is not deployed'));
        return out;
      }
      const admins = rbacModel(ctx).bindings.filter((b) => b.roleRef.kind === 'ClusterRole' && b.roleRef.name === 'cluster-admin');
      for (const w of dashboards) {
        const problems: string[] = [...exposure(ctx, w).map((e) => `reachable through ${e}`)];
        for (const c of w.containers) {
          for (const arg of [...asStrings(c.spec['args']), ...asStrings(c.spec['command'])].filter((a) => INSECURE_ARGS.test(a)))
            problems.push(`container ${c.name} runs with ${arg}`);
        }
        const sa = serviceAccountOf(w);
        for (const b of admins) {
          if (b.subjects.some((s) => s.kind === 'ServiceAccount' && s.name === sa && s.namespace === w.namespace))
            problems.push(`its ServiceAccount ${w.namespace}/${sa} is bound to cluster-admin by ${b.kind} ${b.name}`);
        }
        const ref = w.ref;
        if (problems.length === 0 && w.unreadable)
          out.push(ctx.outcome('UNKNOWN', ref, `dashboard ${w.kind} ${w.namespace}/${w.name}: ${w.unreadable}`));
        else if (problems.length === 0)
          out.push(
            ctx.outcome(
              'PASS',
              ref,
              `dashboard ${w.kind} ${w.namespace}/${w.name} is only reachable inside the cluster and requires login`,
            ),
          );
        else out.push(ctx.outcome('FAIL', ref, `dashboard ${w.kind} ${w.namespace}/${w.name}: ${problems.join('; ')}`, { problems }));
      }
      return out;
    },
  },
);
