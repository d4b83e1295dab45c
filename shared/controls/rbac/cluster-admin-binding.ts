import { objectRef } from '../../inventory/objects.js';
import { describeBinding, RBAC_KINDS, type BindingInfo, type RoleInfo, rbacTextOf } from '../../policy/rbac/model.js';
import { defineControl } from '../define.js';
import { named } from '../messages.js';
import type { Outcome } from '../types.js';
import { judgeBindings } from './bindings.js';

/** A ClusterRole that grants every verb on every resource of every API group is cluster-admin by another name. */
function equivalentToClusterAdmin(role: RoleInfo | undefined): boolean {
  return role?.rules.some((r) => r.apiGroups.includes('*') && r.resources.includes('*') && r.verbs.includes('*')) ?? false;
}

function grantsClusterAdmin(b: BindingInfo): 'cluster-admin' | 'equivalent' | undefined {
  // The roleRef must be the ClusterRole: a namespaced Role that happens to be named cluster-admin is not it.
  if (b.roleRef.kind !== 'ClusterRole') return undefined;
  if (b.roleRef.name === 'cluster-admin') return 'cluster-admin';
  return equivalentToClusterAdmin(b.role) ? 'equivalent' : undefined;
}

const NO_CLUSTER_ADMIN = named(rbacTextOf, ' does not grant cluster-admin');

export const rbacClusterAdminBinding = defineControl(
  {
    id: 'rbac.cluster-admin-binding',
    title: 'Only the built-in binding may grant cluster-admin',
    severity: 'critical',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0035', 'C-0185'], cis: ['4.1.1'] },
    match: [
      {
        ref: 'KS C-0035',
        match: 'weaker',
        note: 'it also counts namespaced Roles and core-group-only `*`/`*` rules (hardline: rbac.wildcard)',
      },
      {
        ref: 'KS C-0185',
        match: 'stricter',
        note: 'C-0185 checks only ClusterRoleBindings to the role named cluster-admin, hardline also RoleBindings and equivalent ClusterRoles',
      },
      { ref: 'CIS 4.1.1', match: 'stricter', note: '(as C-0185)' },
    ],
    rationale:
      'cluster-admin (or a ClusterRole granting * on */*) is unrestricted control of the cluster and every workload in it. NSA/CISA and CIS 4.1.1: use it only where required; the built-in binding to system:masters should be the only one.',
    remediation:
      'Bind narrower roles instead (admin/edit per namespace, purpose-built ClusterRoles); use EKS access entries with scoped policies for humans; remove the cluster-admin binding.',
  },
  {
    reads: RBAC_KINDS,
    requires: ['ClusterRoleBinding', 'RoleBinding'],
    check(ctx): Outcome[] {
      return judgeBindings(ctx, (b) => {
        const grant = grantsClusterAdmin(b);
        const ref = objectRef(b.object);
        if (!grant) {
          return ctx.outcome('PASS', ref, NO_CLUSTER_ADMIN);
        }
        const userSubjects = b.subjects.filter((s) => !s.builtIn).map((s) => s.text);
        if (userSubjects.length === 0) {
          return ctx.outcome('NOT_APPLICABLE', ref, `${describeBinding(b)} is shipped by Kubernetes/EKS (built-in subjects only)`, {
            builtIn: true,
          });
        }
        const what =
          grant === 'cluster-admin'
            ? 'ClusterRole cluster-admin'
            : `ClusterRole ${b.roleRef.name}, equivalent to cluster-admin (* verbs on * resources in * apiGroups)`;
        const scope = b.kind === 'RoleBinding' ? ` in namespace ${b.namespace}` : ' cluster-wide';
        return ctx.outcome('FAIL', ref, `${describeBinding(b)} grants ${what}${scope} to ${userSubjects.join(', ')}`, {
          roleRef: `ClusterRole/${b.roleRef.name}`,
          subjects: userSubjects,
        });
      });
    },
  },
);
