import { hostNamespaceControl } from './host-namespace.js';

export const hostNetwork = hostNamespaceControl({
  id: 'workload.host-network',
  field: 'hostNetwork',
  title: 'Pods must not use the host network',
  severity: 'high',
  kubescape: 'C-0041',
  cis: '4.2.4',
  rationale: 'hostNetwork bypasses network policies, exposes node-local services (kubelet, IMDS) and lets the pod sniff node traffic.',
});
