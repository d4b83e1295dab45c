import { grantsPortForward } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacPortForward = defineControl(
  {
    id: 'rbac.port-forward',
    title: 'Roles should not grant port-forward into pods',
    severity: 'medium',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0063'],
      match:
        'KS C-0063 stricter: C-0063 counts only create on pods/portforward; hardline also get, the verb the websocket client is authorized with before Kubernetes 1.35',
    },
    rationale:
      'pods/portforward opens a tunnel from the caller to any port of a pod, around NetworkPolicies, Services and load balancers (admin ports, databases, the kubelet-facing side of sidecars). kubectl POSTs it (create); the websocket client GETs it, which before Kubernetes 1.35 is authorized as get.',
    remediation:
      'Remove create and get on pods/portforward (and `*` or `*/portforward` resources) from the role, or grant it only to a break-glass group through a separate, audited role.',
  },
  judgeRolePermission({
    grants: grantsPortForward,
    permission: 'port-forward into pods',
    judgeBuiltInRoleBindings: true,
  }),
);
