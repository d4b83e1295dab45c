import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacWildcard = defineControl(
  {
    id: 'rbac.wildcard',
    title: 'Roles must not use wildcards in apiGroups, resources or verbs',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0187'], cis: ['4.1.3'] },
    rationale:
      'A `*` grants every current and future resource or verb, including ones added by CRDs later; the grant cannot be reviewed. CIS 4.1.3: minimize wildcard use in Roles and ClusterRoles.',
    remediation: 'Replace `*` with the explicit apiGroups, resources and verbs the subject needs.',
  },
  judgeRolePermission({
    grants: (rule) => rule.apiGroups.includes('*') || rule.resources.includes('*') || rule.verbs.includes('*'),
    permission: 'wildcard (`*`) permissions',
    judgeBuiltInRoleBindings: false,
  }),
);
