import { objectRef } from '../../inventory/objects.js';
import { describeBinding, RBAC_KINDS, type BindingInfo, rbacTextOf } from '../../policy/rbac/model.js';
import { isEveryAuthenticatedSubject } from '../../policy/rbac/subjects.js';
import { defineControl } from '../define.js';
import { named } from '../messages.js';
import type { Outcome } from '../types.js';
import { judgeBindings } from './bindings.js';

/** What Kubernetes itself grants every authenticated user: API discovery, its own permissions review, version and OIDC discovery. */
const DISCOVERY_ROLES = new Set([
  'system:discovery',
  'system:basic-user',
  'system:public-info-viewer',
  'system:service-account-issuer-discovery',
]);

function grantsOnlyDiscovery(b: BindingInfo): boolean {
  if (b.roleRef.kind === 'ClusterRole' && DISCOVERY_ROLES.has(b.roleRef.name)) return true;
  // A role known to be empty grants nothing.
  return b.role !== undefined && b.role.rules.length === 0;
}

const NO_AUTHENTICATED = named(rbacTextOf, ' has no system:authenticated subject');

export const rbacAuthenticatedBinding = defineControl(
  {
    id: 'rbac.authenticated-binding',
    title: 'No binding may grant system:authenticated more than API discovery',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0265'],
    },
    match: [
      {
        ref: 'KS C-0265',
        match: 'stricter',
        note: 'C-0265 fails only grants on its listed resources (pods, pods/exec, pods/attach, pods/portforward, secrets, nodes, workload kinds, `*`); hardline any grant beyond the built-in discovery roles',
      },
    ],
    rationale:
      'Every authenticated request carries the group system:authenticated: every service account of every namespace and, on EKS, every IAM principal mapped into the cluster by an access entry or aws-auth — including read-only and CI roles of other teams. A binding to it grants its role to all of them. Counted whatever the subject kind and its spelling.',
    remediation:
      'Bind the role to the groups or service accounts that need it instead of system:authenticated; keep only the built-in bindings of system:discovery, system:basic-user and system:public-info-viewer.',
  },
  {
    reads: RBAC_KINDS,
    requires: ['ClusterRoleBinding', 'RoleBinding'],
    check(ctx): Outcome[] {
      return judgeBindings(ctx, (b) => {
        const ref = objectRef(b.object);
        if (!b.subjects.some(isEveryAuthenticatedSubject)) return ctx.outcome('PASS', ref, NO_AUTHENTICATED);
        const everyone = b.subjects.filter(isEveryAuthenticatedSubject);
        const user = everyone.filter((s) => !s.builtIn);
        if (user.length === 0) {
          return ctx.outcome('NOT_APPLICABLE', ref, `${describeBinding(b)} is shipped by Kubernetes/EKS`, { builtIn: true });
        }
        if (grantsOnlyDiscovery(b)) {
          return ctx.outcome(
            'PASS',
            ref,
            `${describeBinding(b)} grants system:authenticated only ${b.roleRef.kind} ${b.roleRef.name}, which holds no more than discovery`,
          );
        }
        const scope = b.kind === 'RoleBinding' ? `in namespace ${b.namespace}` : 'cluster-wide';
        return ctx.outcome(
          'FAIL',
          ref,
          `${describeBinding(b)} grants ${b.roleRef.kind} ${b.roleRef.name} ${scope} to ${user.map((s) => s.text).join(' and ')}: every authenticated identity (every service account, every IAM principal mapped into the cluster)`,
          { roleRef: `${b.roleRef.kind}/${b.roleRef.name}`, subjects: user.map((s) => s.text) },
        );
      });
    },
  },
);
