import { hostNamespaceControl } from './host-namespace.js';

export const hostIpc = hostNamespaceControl({
  id: 'workload.host-ipc',
  field: 'hostIPC',
  title: 'Pods must not share the host IPC namespace',
  severity: 'high',
  kubescape: 'C-0038',
  cis: '4.2.3',
  match: [
    { ref: 'KS C-0038', match: 'same', note: '(with workload.host-pid)' },
    { ref: 'CIS 4.2.3', match: 'related', note: 'admission (C-0195)' },
    { ref: 'PSS', match: 'same', note: '(with workload.host-pid, workload.host-network)' },
  ],
  rationale: 'With hostIPC a container can read and write the shared memory of every process on the node.',
});
