import { defineControl } from '../define.js';
import { addedCapabilities } from './security-context.js';
import { containerField, judgeWorkloads } from './walk.js';

/** PSS baseline: the only capabilities that may be added (compared exactly, as the admission controller does). */
export const PSS_BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

export const capabilitiesBaseline = defineControl(
  {
    id: 'workload.capabilities-baseline',
    title: 'Containers may add only the PSS baseline capabilities',
    severity: 'high',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security',
      kubescape: ['C-0046'],
      pss: { level: 'baseline', check: 'Capabilities', id: 'capabilities_baseline' },
    },
    match: [
      {
        ref: 'KS C-0046',
        match: 'related',
        note: 'a blocklist, not the PSS allowlist (fails SETPCAP, which baseline allows; passes e.g. SYS_TIME, which baseline forbids)',
      },
      { ref: 'PSS', match: 'same' },
    ],
    rationale:
      'Beyond the default runtime set, added capabilities widen the kernel attack surface. PSS compares names exactly: `chown` or `CAP_CHOWN` are not on the list.',
    remediation: `Add only capabilities from the baseline list (${[...PSS_BASELINE_CAPABILITIES].join(', ')}), spelled exactly so.`,
  },
  judgeWorkloads({
    container: (c) => {
      const added = addedCapabilities(c);
      if (added.length === 0) return undefined;
      const bad = added.filter((cap) => !PSS_BASELINE_CAPABILITIES.has(cap));
      return bad.length === 0
        ? undefined
        : {
            message: `${c.type} '${c.name}' adds non-baseline capabilit${bad.length > 1 ? 'ies' : 'y'} ${bad.join(', ')}`,
            evidence: { field: containerField(c, 'securityContext.capabilities.add'), capabilities: bad },
          };
    },
    passMessage: 'only baseline capabilities added',
  }),
);
