import { defineControl } from '../define.js';
import { addedCapabilities, droppedCapabilities } from './security-context.js';
import { containerField, judgeWorkloads } from './walk.js';

export const capabilitiesDropAll = defineControl(
  {
    id: 'workload.capabilities-drop-all',
    title: 'Containers must drop ALL capabilities and add back at most NET_BIND_SERVICE',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      kubescape: ['C-0055'],
      pss: { level: 'restricted', check: 'Capabilities', id: 'capabilities_restricted' },
    },
    rationale:
      'Dropping every capability removes the runtime default set (NET_RAW, SETUID, …) an attacker would use; PSS restricted allows adding back only NET_BIND_SERVICE.',
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] and add only NET_BIND_SERVICE if the process binds a port below 1024.',
  },
  judgeWorkloads({
    notApplicable: (w) => (w.windows ? 'Windows pod: Linux capabilities do not apply' : undefined),
    container: (c) => {
      const problems: string[] = [];
      if (!droppedCapabilities(c).includes('ALL')) problems.push('does not drop ALL');
      const extra = addedCapabilities(c).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (extra.length > 0) problems.push(`adds ${extra.join(', ')}`);
      return problems.length === 0
        ? undefined
        : {
            message: `${c.type} '${c.name}' ${problems.join(' and ')}`,
            evidence: { field: containerField(c, 'securityContext.capabilities'), added: extra },
          };
    },
    passMessage: 'drops ALL capabilities',
  }),
);
