import { asRecord } from '../../inventory/read.js';
import type { Control, Outcome } from '../types.js';
import { namespaceInfos, skippedSystemNamespace } from './namespaces.js';
import { clusterRef, groupByNamespace, nameOf, namespaceRef } from './refs.js';

export const namespaceResourceQuota: Control = {
  id: 'namespace.resource-quota',
  title: 'Every namespace must have a ResourceQuota',
  severity: 'low',
  category: 'Network separation: resource policies',
  scope: 'namespace',
  frameworks: { nsa: 'Network separation: resource policies', kubescape: ['C-0004', 'C-0050'] },
  rationale:
    'Without a quota one namespace (or a compromised workload in it) can consume the cluster\'s CPU, memory and object counts and starve everyone else. NSA/CISA: set resource quotas per namespace.',
  remediation: 'Add a ResourceQuota with `spec.hard` limits (requests/limits for cpu and memory, pod count) to the namespace.',
  reads: ['Namespace'],
  requires: ['ResourceQuota'],
  check(ctx): Outcome[] {
    const out: Outcome[] = [];
    const namespaces = namespaceInfos(ctx);
    if (namespaces.length === 0) {
      out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no namespace in the inventory'));
      return out;
    }
    const quotas = groupByNamespace(ctx.index.byKind('ResourceQuota'));
    for (const ns of namespaces) {
      const skipped = skippedSystemNamespace(ctx, ns);
      if (skipped) {
        out.push(skipped);
        continue;
      }
      const effective = (quotas.get(ns.name) ?? []).filter((q) => Object.keys(asRecord(asRecord(q['spec'])?.['hard']) ?? {}).length > 0);
      if (effective.length > 0) out.push(ctx.outcome('PASS', namespaceRef(ns.name), `namespace ${ns.name} has ResourceQuota ${effective.map(nameOf).join(', ')}`));
      else out.push(ctx.outcome('FAIL', namespaceRef(ns.name), `namespace ${ns.name} has no ResourceQuota with hard limits`));
    }
    return out;
  },
};
