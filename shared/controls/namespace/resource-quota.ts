import { groupByNamespace, nameOf } from '../../inventory/objects.js';
import { asRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { named, namespaceName } from '../messages.js';
import { judgeNamespaces } from '../namespaces.js';
import type { Outcome } from '../types.js';

const NO_QUOTA = named(namespaceName, ' has no ResourceQuota with hard limits');

export const namespaceResourceQuota = defineControl(
  {
    id: 'namespace.resource-quota',
    title: 'Every namespace must have a ResourceQuota',
    severity: 'low',
    category: 'Network separation: resource policies',
    scope: 'namespace',
    frameworks: { nsa: 'Network separation: resource policies', kubescape: ['C-0004', 'C-0050'] },
    match: [
      {
        ref: 'KS C-0004, C-0050',
        match: 'related',
        note: 'container memory/CPU requests and limits; no Kubescape control reads ResourceQuota objects',
      },
    ],
    rationale:
      "Without a quota one namespace (or a compromised workload in it) can consume the cluster's CPU, memory and object counts and starve everyone else. NSA/CISA: set resource quotas per namespace.",
    remediation: 'Add a ResourceQuota with `spec.hard` limits (requests/limits for cpu and memory, pod count) to the namespace.',
  },
  {
    reads: ['Namespace'],
    requires: ['ResourceQuota'],
    check(ctx): Outcome[] {
      const quotas = groupByNamespace(ctx.index.byKind('ResourceQuota'));
      return judgeNamespaces(ctx, (ns) => {
        const effective = (quotas.get(ns.name) ?? []).filter((q) => Object.keys(asRecord(asRecord(q['spec'])?.['hard']) ?? {}).length > 0);
        return effective.length > 0
          ? ctx.outcome('PASS', ns.ref, `namespace ${ns.name} has ResourceQuota ${effective.map(nameOf).join(', ')}`)
          : ctx.outcome('FAIL', ns.ref, NO_QUOTA);
      });
    },
  },
);
