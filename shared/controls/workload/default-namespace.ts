import type { ResourceRef } from '../../core/types.js';
import { namespaceOf } from '../../inventory/indexed.js';
import { objectRef } from '../../inventory/objects.js';
import { asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

const DEFAULT = 'default';

function judge(ctx: CheckContext, obj: KubeObject, ref: ResourceRef, what: string): Outcome {
  const ns = namespaceOf(obj);
  if (ns !== DEFAULT) return ctx.outcome('PASS', ref, `${what} lives in namespace ${ns}`);
  // A manifest without metadata.namespace lands in the namespace it is applied to: `default` unless one is given.
  const explicit = Boolean(asString(obj.metadata?.namespace));
  return ctx.outcome(
    'FAIL',
    ref,
    explicit ? `${what} lives in the default namespace` : `${what} names no namespace: applied as it is, it lands in the default namespace`,
    { field: 'metadata.namespace', ...(explicit ? { value: DEFAULT } : {}) },
  );
}

export const defaultNamespace = defineControl(
  {
    id: 'workload.default-namespace',
    title: 'Workloads and Services should not run in the default namespace',
    severity: 'low',
    category: 'Workloads',
    scope: 'workload',
    frameworks: {
      nsa: 'Network separation: namespaces',
      kubescape: ['C-0212', 'C-0061'],
      cis: ['4.5.2'],
      match:
        'KS C-0212 weaker: it fails every namespaced object in `default` (ConfigMaps, Secrets, Roles, ServiceAccounts, Ingresses, …) except the built-in `kubernetes` Service; hardline only workloads and Services; KS C-0061 stricter: C-0061 covers workloads only; CIS 4.5.2 weaker (as C-0212)',
    },
    rationale:
      'Namespaces are where RBAC, NetworkPolicies, Pod Security admission, quotas and exemptions are scoped. The default namespace is where everything without a home lands: its policies cannot fit one application, and whoever may deploy there shares a boundary with all of it. CIS 4.5.2: the default namespace should not be used.',
    remediation:
      'Create a namespace per application or team, move the workload and its Service there (set metadata.namespace in the manifests) and apply that namespace’s RBAC, NetworkPolicies and Pod Security labels.',
  },
  {
    reads: [...POD_BEARING_KINDS, 'Service'],
    // Judged on metadata alone: an unreadable pod spec does not change where the workload lives.
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      for (const w of ctx.index.workloads()) out.push(judge(ctx, w.object, w.ref, `${w.kind} ${w.name}`));
      for (const s of ctx.index.byKind('Service')) {
        const ref = objectRef(s);
        if (ref.name === 'kubernetes' && namespaceOf(s) === DEFAULT) {
          out.push(ctx.outcome('NOT_APPLICABLE', ref, 'the API server’s own Service, which Kubernetes keeps in the default namespace'));
          continue;
        }
        out.push(judge(ctx, s, ref, `Service ${ref.name}`));
      }
      if (out.length === 0) out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no workload and no Service in the inventory'));
      return out;
    },
  },
);
