import type { Control, Outcome } from '../types.js';
import { namespaceInfos, skippedSystemNamespace } from './namespaces.js';
import { clusterRef, namespaceRef } from './refs.js';

export const namespaceRequiredLabels: Control = {
  id: 'namespace.required-labels',
  title: 'Namespaces must carry the labels the organisation requires',
  severity: 'low',
  category: 'Governance',
  scope: 'namespace',
  frameworks: { kubescape: ['C-0076', 'C-0077'] },
  rationale:
    'Ownership and classification labels (configured in requiredLabels.namespace) route findings to the responsible team and drive policy selection; an unlabelled namespace has no owner to fix it.',
  remediation: 'Add the required labels (see hardline.config.yaml requiredLabels.namespace) with non-empty values to the Namespace.',
  reads: [],
  requires: ['Namespace'],
  check(ctx): Outcome[] {
    const out: Outcome[] = [];
    const required = ctx.config.requiredLabels.namespace;
    const namespaces = namespaceInfos(ctx);
    if (required.length === 0 || namespaces.length === 0) {
      out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), required.length === 0 ? 'no required namespace labels configured (requiredLabels.namespace)' : 'no namespace in the inventory'));
      return out;
    }
    for (const ns of namespaces) {
      const skipped = skippedSystemNamespace(ctx, ns);
      if (skipped) {
        out.push(skipped);
        continue;
      }
      const labels = ns.object ? ns.labels : {};
      const missing = required.filter((l) => !labels[l] || labels[l]!.trim() === '');
      if (missing.length === 0) out.push(ctx.outcome('PASS', namespaceRef(ns.name), `namespace ${ns.name} carries ${required.join(', ')}`));
      else
        out.push(ctx.outcome('FAIL', namespaceRef(ns.name), `namespace ${ns.name} lacks required label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${ns.object ? '' : ' (no Namespace object in the inventory)'}`, {
          missingLabels: missing,
        }));
    }
    return out;
  },
};
