import { asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const procMountRestricted = defineControl(
  {
    id: 'workload.proc-mount-restricted',
    title: 'Containers must use the Default /proc mount, even in a user namespace',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security', pss: { level: 'restricted', check: '/proc Mount Type', id: 'procMount_restricted' } },
    rationale: 'PSS restricted does not take the user-namespace relaxation baseline allows: /proc stays masked.',
    remediation: 'Remove securityContext.procMount or set it to Default.',
  },
  judgeWorkloads({
    container: (c) => {
      const value = c.securityContext['procMount'];
      return value === undefined || value === null || value === 'Default'
        ? undefined
        : {
            message: `${c.type} '${c.name}' sets procMount=${asString(value) ?? String(value)}`,
            evidence: { field: containerField(c, 'securityContext.procMount'), value: String(value) },
          };
    },
    passMessage: 'default /proc mount',
  }),
);
