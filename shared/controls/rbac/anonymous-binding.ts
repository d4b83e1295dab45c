import { objectRef } from '../../inventory/objects.js';
import { describeBinding, RBAC_KINDS, rbacTextOf } from '../../policy/rbac/model.js';
import { isAnonymousSubject } from '../../policy/rbac/subjects.js';
import { defineControl } from '../define.js';
import { named } from '../messages.js';
import type { Outcome } from '../types.js';
import { judgeBindings } from './bindings.js';

const NO_ANONYMOUS = named(rbacTextOf, ' has no anonymous subject');

export const rbacAnonymousBinding = defineControl(
  {
    id: 'rbac.anonymous-binding',
    title: 'No binding may grant permissions to anonymous or unauthenticated users',
    severity: 'critical',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0262'] },
    match: [{ ref: 'KS C-0262', match: 'same' }],
    rationale:
      'Requests without credentials run as system:anonymous in group system:unauthenticated. A binding to either hands its permissions to anyone who can reach the API endpoint. Both names count whatever the subject kind and its spelling (User system:unauthenticated, Group system:anonymous, kind: group): none has another use. NSA/CISA: disable anonymous access.',
    remediation:
      "Remove system:anonymous and system:unauthenticated from the binding's subjects (keep only the built-in system:public-info-viewer binding).",
  },
  {
    reads: RBAC_KINDS,
    requires: ['ClusterRoleBinding', 'RoleBinding'],
    check(ctx): Outcome[] {
      return judgeBindings(ctx, (b) => {
        const ref = objectRef(b.object);
        if (!b.subjects.some(isAnonymousSubject)) return ctx.outcome('PASS', ref, NO_ANONYMOUS);
        const anonymous = b.subjects.filter(isAnonymousSubject);
        const user = anonymous.filter((s) => !s.builtIn);
        if (user.length === 0) {
          return ctx.outcome(
            'NOT_APPLICABLE',
            ref,
            `${describeBinding(b)} is shipped by Kubernetes (${anonymous.map((s) => s.text).join(', ')} may read public cluster information)`,
            { builtIn: true },
          );
        }
        const scope = b.kind === 'RoleBinding' ? `in namespace ${b.namespace}` : 'cluster-wide';
        return ctx.outcome(
          'FAIL',
          ref,
          `${describeBinding(b)} grants ${b.roleRef.kind} ${b.roleRef.name} ${scope} to ${user.map((s) => s.text).join(' and ')}`,
          {
            roleRef: `${b.roleRef.kind}/${b.roleRef.name}`,
            subjects: user.map((s) => s.text),
          },
        );
      });
    },
  },
);
