import type { Control } from '../types.js';
import { addonCurrent } from './addon-current.js';
import { auditLogging } from './audit-logging.js';
import { authenticationMode } from './authentication-mode.js';
import { clusterAdminAccess } from './cluster-admin-access.js';
import { controlPlaneLogRetention } from './control-plane-log-retention.js';
import { endpointPrivateAccess } from './endpoint-private-access.js';
import { endpointPublicAccess } from './endpoint-public-access.js';
import { guarddutyProtection } from './guardduty-protection.js';
import { nodeRoleEcrReadonly } from './node-role-ecr-readonly.js';
import { nodegroupImdsv2 } from './nodegroup-imdsv2.js';
import { nodegroupRemoteAccess } from './nodegroup-remote-access.js';
import { privateNodes } from './private-nodes.js';
import { secretsEncryption } from './secrets-encryption.js';
import { supportedVersion } from './supported-version.js';

/** eks controls, in report order. */
export const eksControls: readonly Control[] = [
  endpointPublicAccess,
  secretsEncryption,
  auditLogging,
  supportedVersion,
  clusterAdminAccess,
  nodegroupImdsv2,
  nodegroupRemoteAccess,
  addonCurrent,
  endpointPrivateAccess,
  privateNodes,
  authenticationMode,
  guarddutyProtection,
  controlPlaneLogRetention,
  nodeRoleEcrReadonly,
];
