import { asRecords, asString } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeWorkloads } from './walk.js';

/** PSS baseline "safe" sysctls (namespaced, cannot affect other pods), as of Kubernetes 1.37. */
export const PSS_SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

export const sysctls = defineControl(
  {
    id: 'workload.sysctls',
    title: 'Pods may set only safe sysctls',
    severity: 'medium',
    category: 'Pod security',
    scope: 'workload',
    frameworks: { nsa: 'Pod security', pss: { level: 'baseline', check: 'Sysctls', id: 'sysctls' } },
    match: [{ ref: 'PSS', match: 'same' }],
    rationale: 'Unsafe sysctls change kernel behaviour for the whole node and every pod on it.',
    remediation: `Remove spec.securityContext.sysctls entries outside the safe set (${[...PSS_SAFE_SYSCTLS].join(', ')}).`,
  },
  judgeWorkloads({
    pod: (w) => {
      const sysctls = w.podSecurityContext['sysctls'];
      if (!Array.isArray(sysctls) || sysctls.length === 0) return undefined;
      const names = asRecords(sysctls).map((s) => asString(s['name']) ?? '');
      const unsafe = names.filter((n) => !PSS_SAFE_SYSCTLS.has(n));
      return unsafe.length === 0
        ? undefined
        : {
            message: `pod sets unsafe sysctl${unsafe.length > 1 ? 's' : ''} ${unsafe.map((n) => n || '(unnamed)').join(', ')}`,
            evidence: { field: 'spec.securityContext.sysctls', sysctls: unsafe },
          };
    },
    passMessage: 'only safe sysctls',
  }),
);
