import { defineControl } from '../define.js';
import { addedCapabilities, normalizeCapability } from './security-context.js';
import { containerField, judgeWorkloads } from './walk.js';

const sets = new WeakMap<readonly string[], Set<string>>();
function dangerousSet(list: readonly string[]): Set<string> {
  let set = sets.get(list);
  if (!set) sets.set(list, (set = new Set(list.map(normalizeCapability))));
  return set;
}

export const capabilitiesDangerous = defineControl(
  {
    id: 'workload.capabilities-dangerous',
    title: 'Containers must not add dangerous capabilities',
    severity: 'high',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security: hardening container environments', kubescape: ['C-0046'] },
    match: [
      {
        ref: 'KS C-0046',
        match: 'related',
        note: 'different default lists (C-0046 has SETPCAP; hardline adds SYS_TIME, DAC_READ_SEARCH, SYSLOG, LINUX_IMMUTABLE) and hardline ignores case and the CAP_ prefix',
      },
    ],
    rationale: 'SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE and the like are container-escape primitives; NSA/CISA list them as insecure.',
    remediation: 'Remove the capability from securityContext.capabilities.add; redesign the workload or isolate it on dedicated nodes.',
  },
  judgeWorkloads({
    container: (c, _w, ctx) => {
      // Case and the CAP_ prefix do not matter to container runtimes, so they must not matter here either.
      const dangerous = dangerousSet(ctx.config.dangerousCapabilities);
      const added = addedCapabilities(c);
      if (added.length === 0) return undefined;
      const found = added.filter((cap) => dangerous.has(normalizeCapability(cap)));
      return found.length === 0
        ? undefined
        : {
            message: `${c.type} '${c.name}' adds ${found.join(', ')}`,
            evidence: { field: containerField(c, 'securityContext.capabilities.add'), capabilities: found },
          };
    },
    passMessage: 'no dangerous capabilities added',
  }),
);
