import type { Control } from '../types.js';
import { allowedRegistries } from './allowed-registries.js';
import { apparmor } from './apparmor.js';
import { automountServiceAccountToken } from './automount-service-account-token.js';
import { capabilitiesBaseline } from './capabilities-baseline.js';
import { capabilitiesDangerous } from './capabilities-dangerous.js';
import { capabilitiesDropAll } from './capabilities-drop-all.js';
import { credentialsInEnv } from './credentials-in-env.js';
import { defaultNamespace } from './default-namespace.js';
import { hostIpc } from './host-ipc.js';
import { hostNetwork } from './host-network.js';
import { hostPath } from './host-path.js';
import { hostPid } from './host-pid.js';
import { hostPort } from './host-port.js';
import { hostProbes } from './host-probes.js';
import { imageDigest } from './image-digest.js';
import { imageTag } from './image-tag.js';
import { nakedPod } from './naked-pod.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { privilegedServiceAccount } from './privileged-service-account.js';
import { privileged } from './privileged.js';
import { procMountRestricted } from './proc-mount-restricted.js';
import { procMount } from './proc-mount.js';
import { pullPolicy } from './pull-policy.js';
import { readOnlyRootFilesystem } from './read-only-root-filesystem.js';
import { resourceLimits } from './resource-limits.js';
import { resourceRequests } from './resource-requests.js';
import { runAsNonRoot } from './run-as-non-root.js';
import { runAsUserRoot } from './run-as-user-root.js';
import { secretsInEnv } from './secrets-in-env.js';
import { seccompUnconfined } from './seccomp-unconfined.js';
import { seccomp } from './seccomp.js';
import { selinux } from './selinux.js';
import { sysctls } from './sysctls.js';
import { volumeTypes } from './volume-types.js';
import { windowsHostProcess } from './windows-host-process.js';

export const workloadControls: readonly Control[] = [
  privileged,
  privilegeEscalation,
  runAsNonRoot,
  runAsUserRoot,
  readOnlyRootFilesystem,
  hostPid,
  hostIpc,
  hostNetwork,
  hostPort,
  hostPath,
  capabilitiesDangerous,
  capabilitiesBaseline,
  capabilitiesDropAll,
  seccomp,
  seccompUnconfined,
  apparmor,
  selinux,
  procMount,
  procMountRestricted,
  sysctls,
  volumeTypes,
  hostProbes,
  windowsHostProcess,
  automountServiceAccountToken,
  resourceLimits,
  resourceRequests,
  credentialsInEnv,
  imageTag,
  imageDigest,
  allowedRegistries,
  pullPolicy,
  nakedPod,
  privilegedServiceAccount,
  secretsInEnv,
  defaultNamespace,
];
