import { grantsServiceAccountTokenCreate } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacServiceAccountTokenCreate = defineControl(
  {
    id: 'rbac.serviceaccount-token-create',
    title: 'Roles should not grant create on serviceaccounts/token',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0282'],
      cis: ['4.1.12'],
      match: 'same (not C-0281, which is webhook configurations)',
    },
    rationale:
      'create on serviceaccounts/token mints a token for any service account in scope: the subject acts with every permission those accounts hold, from outside the cluster. CIS 4.1.12: minimize access to service account token creation.',
    remediation:
      'Remove create on serviceaccounts/token from the role (the built-in edit and admin roles include it: bind view where people do not need to act as service accounts); narrow it with resourceNames to the one account an automation needs.',
  },
  judgeRolePermission({
    grants: grantsServiceAccountTokenCreate,
    permission: 'create on serviceaccounts/token',
    judgeBuiltInRoleBindings: true,
  }),
);
