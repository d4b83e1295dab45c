import { grantsCsrApprovalUpdate, grantsSignerApprove } from '../../policy/rbac/permissions.js';
import { defineControl } from '../define.js';
import { judgeRolePermission } from './permission.js';

export const rbacCsrApproval = defineControl(
  {
    id: 'rbac.csr-approval',
    title: 'Roles should not grant approval of certificate signing requests',
    severity: 'high',
    category: 'Authentication and authorization',
    scope: 'cluster',
    frameworks: {
      nsa: 'Authentication and authorization',
      kubescape: ['C-0280'],
      match:
        'KS C-0280 weaker: C-0280 fails update on certificatesigningrequests/approval alone; hardline also requires approve on signers. Not C-0282 (token creation); no CIS EKS v1.8.0 recommendation',
    },
    rationale:
      'Approving a CertificateSigningRequest for a signer the cluster trusts (kubernetes.io/kube-apiserver-client-kubelet, kubernetes.io/kube-apiserver-client) issues a client certificate for any user or node name — a credential that cannot be revoked before it expires. Approval needs update on certificatesigningrequests/approval and approve on the signer, both granted here.',
    remediation:
      'Remove update/patch on certificatesigningrequests/approval or approve on signers (certificates.k8s.io) from the role; where an approver is needed, narrow approve with resourceNames to its own signer (example.com/my-signer), never kubernetes.io/*.',
  },
  judgeRolePermission({
    grants: [grantsCsrApprovalUpdate, grantsSignerApprove],
    permission: 'approval of certificate signing requests (update on certificatesigningrequests/approval and approve on signers)',
    judgeBuiltInRoleBindings: true,
  }),
);
