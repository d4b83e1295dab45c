import { defineControl } from '../define.js';
import { named, namespaceName } from '../messages.js';
import { judgeNamespaces } from '../namespaces.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';

export const namespaceRequiredLabels = defineControl(
  {
    id: 'namespace.required-labels',
    title: 'Namespaces must carry the labels the organisation requires',
    severity: 'low',
    category: 'Governance',
    scope: 'namespace',
    frameworks: { kubescape: ['C-0076', 'C-0077'] },
    match: [
      {
        ref: 'KS C-0076, C-0077',
        match: 'related',
        note: 'they check workload labels (app, tier, … / app.kubernetes.io/*), not namespace labels',
      },
    ],
    rationale:
      'Ownership and classification labels (configured in requiredLabels.namespace) route findings to the responsible team and drive policy selection; an unlabelled namespace has no owner to fix it.',
    remediation: 'Add the required labels (see hardline.config.yaml requiredLabels.namespace) with non-empty values to the Namespace.',
  },
  {
    reads: [],
    requires: ['Namespace'],
    check(ctx): Outcome[] {
      const required = ctx.config.requiredLabels.namespace;
      if (required.length === 0)
        return [ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no required namespace labels configured (requiredLabels.namespace)')];
      const carries = named(namespaceName, ` carries ${required.join(', ')}`);
      return judgeNamespaces(ctx, (ns) => {
        const labels = ns.object ? ns.labels : {};
        const missing = required.filter((l) => !labels[l] || labels[l]!.trim() === '');
        if (missing.length === 0) return ctx.outcome('PASS', ns.ref, carries);
        return ctx.outcome(
          'FAIL',
          ns.ref,
          `namespace ${ns.name} lacks required label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${ns.object ? '' : ' (no Namespace object in the inventory)'}`,
          {
            missingLabels: missing,
          },
        );
      });
    },
  },
);
