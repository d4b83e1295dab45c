import type { ResourceRef } from '../../core/types.js';
import { namespaceOf } from '../../inventory/indexed.js';
import { objectRef } from '../../inventory/objects.js';
import { asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { POD_BEARING_KINDS, type PodBearingKind } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

const DEFAULT = 'default';
const KIND_PREFIX = Object.fromEntries(POD_BEARING_KINDS.map((k) => [k, `${k} `])) as Record<PodBearingKind, string>;

/** ` lives in namespace x` per namespace: messages are `<Kind> <name>` plus this, two pieces rather than four. */
class NamespaceTails {
  private readonly tails = new Map<string, string>();

  of(ns: string): string {
    let tail = this.tails.get(ns);
    if (tail === undefined) this.tails.set(ns, (tail = ` lives in namespace ${ns}`));
    return tail;
  }
}

/** `what` is `<Kind> <name>`. */
function judge(ctx: CheckContext, obj: KubeObject, ns: string, ref: ResourceRef, what: string, tails: NamespaceTails): Outcome {
  if (ns !== DEFAULT) return ctx.outcome('PASS', ref, what + tails.of(ns));
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
    },
    match: [
      {
        ref: 'KS C-0212',
        match: 'weaker',
        note: 'it fails every namespaced object in `default` (ConfigMaps, Secrets, Roles, ServiceAccounts, Ingresses, …) except the built-in `kubernetes` Service; hardline only workloads and Services',
      },
      { ref: 'KS C-0061', match: 'stricter', note: 'C-0061 covers workloads only' },
      { ref: 'CIS 4.5.2', match: 'weaker', note: '(as C-0212)' },
    ],
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
      const tails = new NamespaceTails();
      const workloads = ctx.index.workloads();
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        out.push(judge(ctx, w.object, namespaceOf(w.object), w.ref, KIND_PREFIX[w.kind] + w.name, tails));
      }
      const services = ctx.index.byKind('Service');
      for (let i = 0; i < services.length; i++) {
        const s = services[i]!;
        const ref = objectRef(s);
        // The ref holds the object's namespace, read once when it was built ('' for none).
        const ns = ref.namespace ?? '';
        if (ref.name === 'kubernetes' && ns === DEFAULT) {
          out.push(ctx.outcome('NOT_APPLICABLE', ref, 'the API server’s own Service, which Kubernetes keeps in the default namespace'));
          continue;
        }
        out.push(judge(ctx, s, ns, ref, `Service ${ref.name}`, tails));
      }
      if (out.length === 0) out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no workload and no Service in the inventory'));
      return out;
    },
  },
);
