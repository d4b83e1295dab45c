import { grantsAnyOf } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

/** `kubectl exec` POSTs (create) pods/exec; the websocket client GETs it. Both open a shell. */
const EXEC_VERBS = ['create', 'get'];
const EXEC_RESOURCES = ['pods/exec', 'pods/attach'];

export const rbacExecAttach = defineControl(
  {
    id: 'rbac.exec-attach',
    title: 'Roles must not grant exec or attach into pods',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: { nsa: 'Authentication and authorization', kubescape: ['C-0002'] },
    match: [
      {
        ref: 'KS C-0002',
        match: 'stricter',
        note: 'hardline also counts pods/attach and the get verb (websocket exec); C-0002 only create on pods/exec',
      },
    ],
    rationale:
      'pods/exec and pods/attach give a shell in running containers: their secrets, tokens and network position. NSA/CISA: restrict exec to the few administrators who need it.',
    remediation:
      'Remove create/get on pods/exec and pods/attach from the role, or grant it only to a break-glass group through a separate, audited role.',
  },
  judgeRolePermission({
    grants: (rule) => grantsAnyOf(rule, EXEC_VERBS, '', EXEC_RESOURCES),
    permission: 'exec or attach into pods',
    judgeBuiltInRoleBindings: true,
  }),
);
