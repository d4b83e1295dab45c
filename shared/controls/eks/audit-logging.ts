import { asRecord, asRecords, asStrings, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

/** The five control plane log types EKS can ship to CloudWatch Logs. */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export const auditLogging = defineControl(
  {
    id: 'eks.audit-logging',
    title: 'All five control plane log types must be enabled',
    severity: 'medium',
    category: 'Logging',
    scope: 'eks',
    frameworks: { nsa: 'Audit logging: Kubernetes native audit logging', kubescape: ['C-0067'], cis: ['2.1.1'], securityHub: ['EKS.8'] },
    rationale:
      'Audit and authenticator logs are the only record of who did what through the API (and which IAM principal it was); api, ' +
      'controllerManager and scheduler logs explain control plane behaviour during an incident. EKS reports log types in several ' +
      'clusterLogging entries (enabled and disabled groups): every entry is read, not only the first.',
    remediation:
      'aws eks update-cluster-config --name <cluster> --logging \'{"clusterLogging":[{"types":["api","audit","authenticator","controllerManager","scheduler"],"enabled":true}]}\'',
  },
  judgeEksCluster({}, function* ({ ctx, cluster, ref }) {
    const logging = asRecord(cluster['logging']);
    if (!logging) {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no logging configuration');
      return;
    }
    const enabled = new Set<string>();
    for (const setup of asRecords(logging['clusterLogging'])) {
      if (isTrue(setup['enabled'])) for (const t of asStrings(setup['types'])) enabled.add(t);
    }
    const missing = EKS_LOG_TYPES.filter((t) => !enabled.has(t));
    const evidence = { enabled: EKS_LOG_TYPES.filter((t) => enabled.has(t)), missing };
    if (missing.length === 0) {
      yield ctx.outcome('PASS', ref, 'all five control plane log types are enabled', evidence);
      return;
    }
    yield ctx.outcome('FAIL', ref, `control plane log types not enabled: ${missing.join(', ')}`, evidence);
  }),
);
