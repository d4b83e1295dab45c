import { grantsWebhookConfigWrite } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacWebhookConfig = defineControl(
  {
    id: 'rbac.webhook-config',
    title: 'Roles should not grant write access to admission webhook configurations',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0281'],
      cis: ['4.1.11'],
      match:
        'KS C-0281 stricter: C-0281 counts create, update, delete and `*`, not patch; CIS 4.1.11 stricter (as C-0281). Not C-0280 (CSR approval)',
    },
    rationale:
      'A mutating webhook sees and can rewrite every object it matches (Secrets, pods: inject a container); a validating one can be deleted or narrowed to switch a policy engine off. CIS 4.1.11: minimize access to webhook configuration objects.',
    remediation:
      'Remove create, update, patch, delete and deletecollection on validatingwebhookconfigurations and mutatingwebhookconfigurations (admissionregistration.k8s.io) from the role; leave them to the cluster operators and the policy engine’s own controller.',
  },
  judgeRolePermission({
    grants: grantsWebhookConfigWrite,
    permission: 'write access to admission webhook configurations',
    judgeBuiltInRoleBindings: true,
  }),
);
