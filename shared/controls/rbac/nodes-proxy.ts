import { grantsNodesProxy } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacNodesProxy = defineControl(
  {
    id: 'rbac.nodes-proxy',
    title: 'Roles must not grant access to the nodes/proxy subresource',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0279'],
      cis: ['4.1.10'],
      match: 'KS C-0279 stricter: C-0279 counts get, create, connect and `*`; hardline any verb; CIS 4.1.10 stricter (as C-0279)',
    },
    rationale:
      'nodes/proxy passes requests straight to the kubelet API: exec into any pod of the node, read its logs and environment — bypassing audit of the pod subresources and admission. The kubelet authorizes a websocket GET as enough, so any verb counts. CIS 4.1.10.',
    remediation:
      'Remove nodes/proxy (and `*` resources in the core group) from the role; monitoring agents need nodes/metrics or nodes/stats, not nodes/proxy.',
  },
  judgeRolePermission({
    grants: grantsNodesProxy,
    permission: 'access to nodes/proxy',
    judgeBuiltInRoleBindings: true,
  }),
);
