import { hostNamespaceControl } from './host-namespace.js';

export const hostNetwork = hostNamespaceControl({
  id: 'workload.host-network',
  field: 'hostNetwork',
  title: 'Pods must not use the host network',
  severity: 'high',
  kubescape: 'C-0041',
  cis: '4.2.4',
  match: [
    { ref: 'KS C-0041', match: 'same' },
    { ref: 'CIS 4.2.4', match: 'related', note: 'admission (C-0196)' },
    { ref: 'PSS', match: 'same', note: '(with workload.host-pid, workload.host-ipc)' },
  ],
  rationale: 'hostNetwork bypasses network policies, exposes node-local services (kubelet, IMDS) and lets the pod sniff node traffic.',
});
