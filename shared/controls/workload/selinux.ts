import { asRecord, asString, type JsonRecord } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { containerField, judgeWorkloads } from './walk.js';

/** PSS baseline SELinux types; container_engine_t is allowed since Kubernetes 1.31. */
const ALLOWED_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function seLinuxProblem(securityContext: JsonRecord): string | undefined {
  const opts = asRecord(securityContext['seLinuxOptions']);
  if (!opts) return undefined;
  const problems: string[] = [];
  const type = opts['type'];
  if (type !== undefined && type !== null && !ALLOWED_TYPES.has(asString(type) ?? '\u0000')) problems.push(`type=${String(type)}`);
  for (const field of ['user', 'role'] as const) {
    const v = opts[field];
    if (v !== undefined && v !== null && v !== '') problems.push(`${field}=${String(v)}`);
  }
  return problems.length ? problems.join(', ') : undefined;
}

export const selinux = defineControl(
  {
    id: 'workload.selinux',
    title: 'Pods must not set custom SELinux user, role or type',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: {
      nsa: 'Pod security: hardening container environments',
      kubescape: ['C-0055'],
      pss: { level: 'baseline', check: 'SELinux', id: 'seLinuxOptions' },
    },
    rationale: 'A custom SELinux user, role or type can lift the confinement container_t gives every container.',
    remediation:
      'Remove seLinuxOptions.user and .role; use type container_t, container_init_t, container_kvm_t or container_engine_t (level may be set).',
  },
  judgeWorkloads({
    pod: (w) => {
      const p = seLinuxProblem(w.podSecurityContext);
      return p ? { message: `pod sets seLinuxOptions ${p}`, evidence: { field: 'spec.securityContext.seLinuxOptions' } } : undefined;
    },
    container: (c) => {
      const p = seLinuxProblem(c.securityContext);
      return p
        ? {
            message: `${c.type} '${c.name}' sets seLinuxOptions ${p}`,
            evidence: { field: containerField(c, 'securityContext.seLinuxOptions') },
          }
        : undefined;
    },
    passMessage: 'SELinux options within the baseline',
  }),
);
