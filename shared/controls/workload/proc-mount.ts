import { asString, isFalse } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

export const procMount = defineControl(
  {
    id: 'workload.proc-mount',
    title: 'Containers must use the Default /proc mount (Unmasked only in a user namespace)',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security', pss: { level: 'baseline', check: '/proc Mount Type', id: 'procMount' } },
    rationale: 'An unmasked /proc exposes kernel interfaces the runtime normally hides. PSS baseline allows it only with hostUsers: false.',
    remediation: 'Remove securityContext.procMount or set it to Default (or run the pod with hostUsers: false).',
  },
  judgeWorkloads({
    container: (c, w) => {
      const value = c.securityContext['procMount'];
      if (value === undefined || value === null || value === 'Default') return undefined;
      // PSS baseline (1.35+): Unmasked is allowed when the pod runs in its own user namespace.
      if (value === 'Unmasked' && isFalse(w.podSpec['hostUsers'])) return undefined;
      return {
        message: `${c.type} '${c.name}' sets procMount=${asString(value) ?? String(value)}`,
        evidence: { field: containerField(c, 'securityContext.procMount'), value: String(value) },
      };
    },
    passMessage: 'default /proc mount',
  }),
);
