import type { Exemption } from './types.js';

/**
 * The built-in exemptions (README: Default exemptions), mirroring the known cases in the hardening
 * guides: ingress data planes that must bind privileged ports and run as root, policy engines that
 * must reach the API server, and the node agents EKS itself installs. They keep the result visible
 * as EXEMPTED; `defaultExemptions: false` in hardline.config.yaml turns them all off.
 */
const EKS_NODE_AGENTS = ['aws-node', 'kube-proxy', 'ebs-csi-node', 'efs-csi-node', 'eks-pod-identity-agent'];
const INGRESS_NAMESPACES = 'tanzu-system-ingress';

const entry = (controlId: string, match: Exemption['match'], reason: string): Exemption => ({
  controlId,
  match,
  reason,
  source: 'default',
});

export const DEFAULT_EXEMPTIONS: readonly Exemption[] = [
  ...EKS_NODE_AGENTS.map((name) =>
    entry(
      'workload.*',
      { namespace: 'kube-system', kind: 'DaemonSet', name },
      `EKS-managed node agent ${name}: needs host network, host paths and capabilities to program the node; upgraded through the EKS add-on`,
    ),
  ),
  ...[
    'workload.run-as-non-root',
    'workload.run-as-user-root',
    'workload.capabilities-dangerous',
    'workload.capabilities-baseline',
    'workload.capabilities-drop-all',
    'workload.read-only-root-filesystem',
  ].flatMap((controlId) =>
    ['contour*', 'envoy*'].map((name) =>
      entry(
        controlId,
        { namespace: INGRESS_NAMESPACES, name },
        'Ingress data plane (contour/envoy) binds privileged ports and needs root and NET_BIND_SERVICE (NSA/CISA hardening exceptions for Tanzu System Ingress)',
      ),
    ),
  ),
  entry(
    'workload.automount-service-account-token',
    { namespace: 'gatekeeper-system' },
    'Gatekeeper must call the API server, so its service account token is mounted (NSA/CISA hardening exception)',
  ),
  entry(
    'workload.automount-service-account-token',
    { namespace: 'kyverno' },
    'Kyverno must call the API server, so its service account token is mounted',
  ),
  ...['workload.host-network', 'workload.host-port', 'workload.read-only-root-filesystem'].map((controlId) =>
    entry(
      controlId,
      { name: 'kapp-controller*' },
      'kapp-controller needs host network access for Tanzu to function (NSA/CISA hardening exception)',
    ),
  ),
];
