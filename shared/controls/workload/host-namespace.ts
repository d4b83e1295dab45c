import { isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import type { FrameworkRefs } from '../types.js';
import { judgeWorkloads } from './walk.js';

const NAMESPACE_WORD = { hostPID: 'PID', hostIPC: 'IPC', hostNetwork: 'network' } as const;

/** hostPID, hostIPC and hostNetwork are one PSS check ("Host Namespaces") split into three controls. */
export function hostNamespaceControl(opts: {
  id: string;
  field: 'hostPID' | 'hostIPC' | 'hostNetwork';
  title: string;
  severity: 'critical' | 'high' | 'medium';
  kubescape: string;
  cis: string;
  rationale: string;
}) {
  const frameworks: FrameworkRefs = {
    nsa: 'Pod security',
    kubescape: [opts.kubescape],
    cis: [opts.cis],
    pss: { level: 'baseline', check: 'Host Namespaces', id: 'hostNamespaces' },
  };
  return defineControl(
    {
      id: opts.id,
      title: opts.title,
      severity: opts.severity,
      category: 'Pod security',
      scope: 'workload',
      frameworks,
      rationale: opts.rationale,
      remediation: `Remove spec.${opts.field} (or set it to false); run a node agent as a DaemonSet with only the access it needs.`,
    },
    judgeWorkloads({
      pod: (w) =>
        isTrue(w.podSpec[opts.field])
          ? {
              message: `pod shares the host's ${NAMESPACE_WORD[opts.field]} namespace (${opts.field}: true)`,
              evidence: { field: `spec.${opts.field}`, value: true },
            }
          : undefined,
      passMessage: `${opts.field} is not set`,
    }),
  );
}
