import type { Control } from '../types.js';
import { rbacAnonymousBinding } from './anonymous-binding.js';
import { rbacAuthenticatedBinding } from './authenticated-binding.js';
import { rbacClusterAdminBinding } from './cluster-admin-binding.js';
import { rbacCreatePods } from './create-pods.js';
import { rbacCsrApproval } from './csr-approval.js';
import { rbacDefaultServiceAccount } from './default-service-account.js';
import { rbacEscalationVerbs } from './escalation-verbs.js';
import { rbacExecAttach } from './exec-attach.js';
import { rbacNodesProxy } from './nodes-proxy.js';
import { rbacPersistentVolumeCreate } from './persistent-volume-create.js';
import { rbacPortForward } from './port-forward.js';
import { rbacSecretsRead } from './secrets-read.js';
import { rbacServiceAccountTokenCreate } from './serviceaccount-token-create.js';
import { rbacWebhookConfig } from './webhook-config.js';
import { rbacWildcard } from './wildcard.js';

/** rbac controls, in report order. */
export const rbacControls: readonly Control[] = [
  rbacClusterAdminBinding,
  rbacExecAttach,
  rbacSecretsRead,
  rbacWildcard,
  rbacEscalationVerbs,
  rbacAnonymousBinding,
  rbacDefaultServiceAccount,
  rbacCreatePods,
  rbacPersistentVolumeCreate,
  rbacNodesProxy,
  rbacWebhookConfig,
  rbacServiceAccountTokenCreate,
  rbacCsrApproval,
  rbacPortForward,
  rbacAuthenticatedBinding,
];
