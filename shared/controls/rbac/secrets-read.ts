import { grantsSecretsRead } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacSecretsRead = defineControl(
  {
    id: 'rbac.secrets-read',
    title: 'Roles must not grant get, list or watch on all Secrets',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0186', 'C-0015'], cis: ['4.1.2'] },
    rationale:
      'Reading Secrets reveals service account tokens, registry and database credentials; list and watch return every value at once. CIS 4.1.2: minimize access to secrets.',
    remediation:
      'Remove get/list/watch on secrets, or restrict get to the named Secrets the workload needs with resourceNames (list and watch cannot be narrowed that way).',
  },
  judgeRolePermission({
    grants: grantsSecretsRead,
    permission: 'read access to Secrets',
    judgeBuiltInRoleBindings: true,
  }),
);
