import { grantsEscalation } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

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
