import { objectRef } from '../../inventory/objects.js';
import {
  describeBinding,
  describeRole,
  describeRule,
  RBAC_KINDS,
  rbacModel,
  type PolicyRule,
  type Subject,
} from '../../policy/rbac/model.js';
import type { RulePredicate } from '../../policy/rbac/permissions.js';
import { clusterRef } from '../refs.js';
import type { Judge, Outcome } from '../types.js';

export interface PermissionCheck {
  /**
   * Does this rule grant the permission the control is about? A list: the permission needs a rule
   * for each part (update on CSR approval and approve on signers), from the same role.
   */
  grants: RulePredicate | readonly RulePredicate[];
  /** `exec or attach into pods`: completes "grants …" / "does not grant …". */
  permission: string;
  /**
   * Also judge bindings that give user subjects a built-in role carrying the permission (a
   * RoleBinding of `edit` to a developer grants pods/exec although `edit` itself is not a finding).
   */
  judgeBuiltInRoleBindings: boolean;
}

/** The rules that make up the grant, or none when the role does not grant it (in full). */
function grantingRules(rules: readonly PolicyRule[], grants: PermissionCheck['grants']): PolicyRule[] {
  if (typeof grants === 'function') return rules.filter(grants);
  const parts = grants.map((g) => rules.filter(g));
  return parts.every((p) => p.length > 0) ? [...new Set(parts.flat())] : [];
}

function subjectList(subjects: Subject[]): string[] {
  return [...new Set(subjects.filter((s) => !s.builtIn).map((s) => s.text))];
}

/**
 * The shared shape of the RBAC permission controls: each user-defined Role/ClusterRole is judged on
 * its (aggregated) rules whether or not it is bound, and the bindings granting it are named in the
 * evidence. Built-in roles are judged through user bindings only.
 */
export function judgeRolePermission(spec: PermissionCheck): Judge {
  return {
    // Each role is judged on its own: an unreadable kind adds UNKNOWN without hiding other verdicts.
    reads: RBAC_KINDS,
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const model = rbacModel(ctx);
      let judged = 0;
      for (const role of model.roles) {
        if (role.builtIn || !role.object) continue;
        judged++;
        const hits = grantingRules(role.rules, spec.grants);
        const bindings = model.userBindingsOf(role);
        const subjects = subjectList(bindings.flatMap((b) => b.subjects));
        const ref = objectRef(role.object);
        if (hits.length === 0) {
          out.push(ctx.outcome('PASS', ref, `${describeRole(role)} does not grant ${spec.permission}`));
          continue;
        }
        const bound =
          bindings.length > 0
            ? `bound to ${subjects.join(', ')} by ${bindings.map(describeBinding).join(', ')}`
            : 'not bound by any binding in the inventory';
        out.push(
          ctx.outcome('FAIL', ref, `${describeRole(role)} grants ${spec.permission} (${hits.map(describeRule).join('; ')}); ${bound}`, {
            rules: hits.map((r) => r.origin),
            boundBy: bindings.map(describeBinding),
            subjects,
          }),
        );
      }
      if (spec.judgeBuiltInRoleBindings) {
        for (const b of model.bindings) {
          if (b.builtIn || !b.role?.builtIn) continue;
          judged++;
          // cluster-admin grants everything; rbac.cluster-admin-binding (critical) reports that binding once.
          if (b.role.name === 'cluster-admin') {
            out.push(
              ctx.outcome(
                'NOT_APPLICABLE',
                objectRef(b.object),
                `${describeBinding(b)} grants cluster-admin: reported by rbac.cluster-admin-binding`,
              ),
            );
            continue;
          }
          const hits = grantingRules(b.role.rules, spec.grants);
          const subjects = subjectList(b.subjects);
          const scope = b.kind === 'RoleBinding' ? `in namespace ${b.namespace}` : 'in every namespace';
          if (hits.length === 0) {
            out.push(
              ctx.outcome(
                'PASS',
                objectRef(b.object),
                `${describeBinding(b)} grants ${describeRole(b.role)}, which does not include ${spec.permission}`,
              ),
            );
            continue;
          }
          out.push(
            ctx.outcome(
              'FAIL',
              objectRef(b.object),
              `${describeBinding(b)} gives ${subjects.join(', ')} the built-in ${describeRole(b.role)}, which grants ${spec.permission} ${scope} (${hits.map(describeRule).join('; ')})`,
              { role: describeRole(b.role), rules: hits.map((r) => r.origin), subjects },
            ),
          );
        }
      }
      if (judged === 0)
        out.push(
          ctx.outcome(
            'NOT_APPLICABLE',
            clusterRef(ctx),
            'no user-defined Role, ClusterRole or binding of a built-in role in the inventory',
          ),
        );
      return out;
    },
  };
}
