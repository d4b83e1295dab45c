import { ruleGrants, type PolicyRule } from '../../policy/rbac/model.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** escalate/bind let a subject grant permissions it does not hold; impersonate lets it act as anyone. */
function grantsEscalation(rule: PolicyRule): boolean {
  for (const verb of ['escalate', 'bind']) {
    if (['roles', 'clusterroles'].some((res) => ruleGrants(rule, verb, RBAC_GROUP, res))) return true;
  }
  if (['users', 'groups', 'serviceaccounts'].some((res) => ruleGrants(rule, 'impersonate', '', res))) return true;
  return ['uids', 'userextras/scopes'].some((res) => ruleGrants(rule, 'impersonate', 'authentication.k8s.io', res));
}

export const rbacEscalationVerbs = defineControl(
  {
    id: 'rbac.escalation-verbs',
    title: 'Roles must not grant escalate, bind or impersonate',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0191', 'C-0065'], cis: ['4.1.8'] },
    rationale:
      'escalate and bind on roles let a subject create bindings to permissions it does not have; impersonate lets it act as any user, group or service account. CIS 4.1.8.',
    remediation: 'Remove escalate, bind and impersonate (and `*` verbs on roles, users, groups, serviceaccounts) from the role.',
  },
  judgeRolePermission({
    grants: grantsEscalation,
    permission: 'escalate, bind or impersonate',
    judgeBuiltInRoleBindings: true,
  }),
);
