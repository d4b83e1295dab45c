import { hostNamespaceControl } from './host-namespace.js';

export const hostPid = hostNamespaceControl({
  id: 'workload.host-pid',
  field: 'hostPID',
  title: 'Pods must not share the host PID namespace',
  severity: 'high',
  kubescape: 'C-0038',
  cis: '4.2.2',
  match: [
    { ref: 'KS C-0038', match: 'same', note: '(with workload.host-ipc)' },
    { ref: 'CIS 4.2.2', match: 'related', note: 'admission (C-0194)' },
    { ref: 'PSS', match: 'same', note: '(with workload.host-ipc, workload.host-network)' },
  ],
  rationale: 'With hostPID a container sees and can signal or ptrace every process on the node, including other pods.',
});
