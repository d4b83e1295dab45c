import type { Evidence, ResourceMessage, ResourceRef } from '../../core/types.js';
import { objectRef } from '../../inventory/objects.js';
import { asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { POD_BEARING_KINDS } from '../../inventory/workloads.js';
import { defineControl } from '../define.js';
import { named, type NameOf } from '../messages.js';
import { clusterRef } from '../refs.js';
import type { CheckContext, Outcome } from '../types.js';

const DEFAULT = 'default';
/** `<Kind> <name>`: how these messages name the workload or Service. */
const kindAndName: NameOf = (ref) => `${ref.kind} ${ref.name}`;
const LIVES_IN: ResourceMessage = (ref) => `${kindAndName(ref)} lives in namespace ${ref.namespace ?? ''}`;
const IN_DEFAULT = named(kindAndName, ' lives in the default namespace');
const NAMES_NO_NAMESPACE = named(kindAndName, ' names no namespace: applied as it is, it lands in the default namespace');
const EXPLICIT_DEFAULT: Evidence = Object.freeze({ field: 'metadata.namespace', value: DEFAULT });
const IMPLICIT_DEFAULT: Evidence = Object.freeze({ field: 'metadata.namespace' });

/** `ns` is where the object lives, as its ref holds it. */
function judge(ctx: CheckContext, obj: KubeObject, ns: string, ref: ResourceRef): Outcome {
  if (ns !== DEFAULT) return ctx.outcome('PASS', ref, LIVES_IN);
  // A manifest without metadata.namespace lands in the namespace it is applied to: `default` unless one is given.
  return asString(obj.metadata?.namespace)
    ? ctx.outcome('FAIL', ref, IN_DEFAULT, EXPLICIT_DEFAULT)
    : ctx.outcome('FAIL', ref, NAMES_NO_NAMESPACE, IMPLICIT_DEFAULT);
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
      const workloads = ctx.index.workloads();
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        out.push(judge(ctx, w.object, w.namespace, w.ref));
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
        out.push(judge(ctx, s, ns, ref));
      }
      if (out.length === 0) out.push(ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no workload and no Service in the inventory'));
      return out;
    },
  },
);
