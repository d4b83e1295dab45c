import { groupByNamespace, nameOf } from '../../inventory/objects.js';
import { asRecord, asRecords, asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { defineControl } from '../define.js';
import { named, namespaceName } from '../messages.js';
import { judgeNamespaces } from '../namespaces.js';
import type { Outcome } from '../types.js';

/** A LimitRange that bounds containers or pods (defaults or maxima), not only PVC sizes. */
function limitsPods(lr: KubeObject): boolean {
  return asRecords(asRecord(lr['spec'])?.['limits']).some((l) => {
    const type = asString(l['type']) ?? 'Container';
    return (
      (type === 'Container' || type === 'Pod') &&
      ['default', 'defaultRequest', 'max'].some((k) => Object.keys(asRecord(l[k]) ?? {}).length > 0)
    );
  });
}

const NO_LIMIT_RANGE = named(namespaceName, ' has no LimitRange setting container or pod limits');

export const namespaceLimitRange = defineControl(
  {
    id: 'namespace.limit-range',
    title: 'Every namespace must have a LimitRange for containers',
    severity: 'low',
    category: 'Network separation: resource policies',
    scope: 'namespace',
    frameworks: { nsa: 'Network separation: resource policies', kubescape: ['C-0004', 'C-0050'] },
    match: [
      {
        ref: 'KS C-0004, C-0050',
        match: 'related',
        note: "container-level; no Kubescape control reads LimitRange objects (C-0009's description mentions them, its rule does not)",
      },
    ],
    rationale:
      'A LimitRange gives containers that declare no resources a default limit and caps the ones that ask for too much, so a single pod cannot exhaust a node. NSA/CISA: use LimitRanges with quotas.',
    remediation: 'Add a LimitRange with `type: Container` and `default`/`defaultRequest` (and `max`) for cpu and memory to the namespace.',
  },
  {
    reads: ['Namespace'],
    requires: ['LimitRange'],
    check(ctx): Outcome[] {
      const ranges = groupByNamespace(ctx.index.byKind('LimitRange'));
      return judgeNamespaces(ctx, (ns) => {
        const effective = (ranges.get(ns.name) ?? []).filter(limitsPods);
        return effective.length > 0
          ? ctx.outcome('PASS', ns.ref, `namespace ${ns.name} has LimitRange ${effective.map(nameOf).join(', ')}`)
          : ctx.outcome('FAIL', ns.ref, NO_LIMIT_RANGE);
      });
    },
  },
);
