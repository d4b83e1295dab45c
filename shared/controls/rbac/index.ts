import type { Control } from '../types.js';
import { rbacAnonymousBinding } from './anonymous-binding.js';
import { rbacClusterAdminBinding } from './cluster-admin-binding.js';
import { rbacDefaultServiceAccount } from './default-service-account.js';
import { rbacEscalationVerbs } from './escalation-verbs.js';
import { rbacExecAttach } from './exec-attach.js';
import { rbacSecretsRead } from './secrets-read.js';
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
];
