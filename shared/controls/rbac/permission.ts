import { objectRef } from '../../inventory/objects.js';
import { RBAC_KINDS, rbacModel, rbacTextOf, type Subject } from '../../policy/rbac/model.js';
import { describeRule, type PolicyRule } from '../../policy/rbac/rules.js';
import type { RulePredicate } from '../../policy/rbac/permissions.js';
import { named } from '../messages.js';
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

/** Whether the role grants the permission (in full): answered without building the list of rules. */
function grantsAny(rules: readonly PolicyRule[], grants: PermissionCheck['grants']): boolean {
  if (typeof grants === 'function') return someRule(rules, grants);
  for (const g of grants) if (!someRule(rules, g)) return false;
  return true;
}

function someRule(rules: readonly PolicyRule[], grants: RulePredicate): boolean {
  for (let i = 0; i < rules.length; i++) if (grants(rules[i]!)) return true;
  return false;
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
      // A PASS builds no rule, binding or subject list: most roles of a large cluster pass.
      const doesNotGrant = named(rbacTextOf, ` does not grant ${spec.permission}`);
      const roles = model.roles;
      for (let i = 0; i < roles.length; i++) {
        const role = roles[i]!;
        if (role.builtIn || !role.object) continue;
        judged++;
        const ref = objectRef(role.object);
        if (!grantsAny(role.rules, spec.grants)) {
          out.push(ctx.outcome('PASS', ref, doesNotGrant));
          continue;
        }
        const hits = grantingRules(role.rules, spec.grants);
        const { bindings, boundBy, subjects } = model.granteesOf(role);
        const bound =
          bindings.length > 0 ? `bound to ${subjects.join(', ')} by ${boundBy.join(', ')}` : 'not bound by any binding in the inventory';
        out.push(
          ctx.outcome('FAIL', ref, `${role.text} grants ${spec.permission} (${hits.map(describeRule).join('; ')}); ${bound}`, {
            rules: hits.map((r) => r.origin),
            boundBy,
            subjects,
          }),
        );
      }
      if (spec.judgeBuiltInRoleBindings) {
        const bindings = model.bindings;
        for (let i = 0; i < bindings.length; i++) {
          const b = bindings[i]!;
          if (b.builtIn || !b.role?.builtIn) continue;
          judged++;
          // cluster-admin grants everything; rbac.cluster-admin-binding (critical) reports that binding once.
          if (b.role.name === 'cluster-admin') {
            out.push(
              ctx.outcome('NOT_APPLICABLE', objectRef(b.object), `${b.text} grants cluster-admin: reported by rbac.cluster-admin-binding`),
            );
            continue;
          }
          if (!grantsAny(b.role.rules, spec.grants)) {
            out.push(
              ctx.outcome('PASS', objectRef(b.object), `${b.text} grants ${b.role.text}, which does not include ${spec.permission}`),
            );
            continue;
          }
          const hits = grantingRules(b.role.rules, spec.grants);
          const subjects = subjectList(b.subjects);
          const scope = b.kind === 'RoleBinding' ? `in namespace ${b.namespace}` : 'in every namespace';
          out.push(
            ctx.outcome(
              'FAIL',
              objectRef(b.object),
              `${b.text} gives ${subjects.join(', ')} the built-in ${b.role.text}, which grants ${spec.permission} ${scope} (${hits.map(describeRule).join('; ')})`,
              { role: b.role.text, rules: hits.map((r) => r.origin), subjects },
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
