import { defineControl } from '../define.js';
import { addedCapabilities, droppedCapabilities } from './security-context.js';
import { KeptVerdicts } from './verdicts.js';
import { containerField, judgeWorkloads } from './walk.js';

const notDropped = new KeptVerdicts({
  container: (c) => ({
    message: `${c.type} '${c.name}' does not drop ALL`,
    evidence: { field: containerField(c, 'securityContext.capabilities'), added: [] },
  }),
});

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
    match: [
      { ref: 'KS C-0055', match: 'related', note: 'its rule only checks that a seccompProfile is set' },
      { ref: 'PSS', match: 'same' },
    ],
    rationale:
      'Dropping every capability removes the runtime default set (NET_RAW, SETUID, …) an attacker would use; PSS restricted allows adding back only NET_BIND_SERVICE.',
    remediation: 'Set securityContext.capabilities.drop: ["ALL"] and add only NET_BIND_SERVICE if the process binds a port below 1024.',
  },
  judgeWorkloads({
    notApplicable: (w) => (w.windows ? 'Windows pod: Linux capabilities do not apply' : undefined),
    container: (c, _w, ctx) => {
      const dropsAll = droppedCapabilities(c).includes('ALL');
      const added = addedCapabilities(c);
      // The common fault alone is kept; one that adds capabilities names them and is built as it is.
      const extra = added.length === 0 ? undefined : added.filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (!extra?.length) return dropsAll ? undefined : notDropped.container(ctx, c, '');
      const problems = dropsAll ? [] : ['does not drop ALL'];
      problems.push(`adds ${extra.join(', ')}`);
      return {
        message: `${c.type} '${c.name}' ${problems.join(' and ')}`,
        evidence: { field: containerField(c, 'securityContext.capabilities'), added: extra },
      };
    },
    passMessage: 'drops ALL capabilities',
  }),
);
