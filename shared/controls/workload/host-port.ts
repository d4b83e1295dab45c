import { asNumber, type JsonRecord, recordsWhere } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

function bindsHostPort(port: JsonRecord): boolean {
  const hostPort = asNumber(port['hostPort']);
  return hostPort !== undefined && hostPort !== 0;
}

export const hostPort = defineControl(
  {
    id: 'workload.host-port',
    title: 'Containers must not bind host ports',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security', kubescape: ['C-0044'], pss: { level: 'baseline', check: 'Host Ports', id: 'hostPorts' } },
    match: [
      { ref: 'KS C-0044', match: 'weaker', note: 'it also fails an explicit `hostPort: 0`, which PSS allows' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale: 'A hostPort exposes the container on the node address, outside network policies and Service controls.',
    remediation: 'Remove ports[].hostPort (or set it to 0) and expose the container through a Service.',
  },
  judgeWorkloads({
    container: (c) => {
      const binding = recordsWhere(c.spec['ports'], bindsHostPort);
      if (!binding) return undefined;
      const ports = binding.map((p) => asNumber(p['hostPort'])!);
      return {
        message: `${c.type} '${c.name}' binds host port${ports.length > 1 ? 's' : ''} ${ports.join(', ')}`,
        evidence: { field: containerField(c, 'ports[].hostPort'), hostPorts: ports.map(String) },
      };
    },
    passMessage: 'no host ports',
  }),
);
