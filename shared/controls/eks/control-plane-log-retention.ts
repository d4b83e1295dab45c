import { asNumber, asRecord, asRecords, asString, asStrings, isTrue } from '../../inventory/read.js';
import { defineControl } from '../define.js';
import { judgeEksCluster } from './cluster.js';

export const controlPlaneLogRetention = defineControl(
  {
    id: 'eks.control-plane-log-retention',
    title: 'Control plane logs must be retained for at least the configured minimum',
    severity: 'low',
    category: 'Logging',
    scope: 'eks',
    frameworks: {
      nsa: 'Audit logging and threat detection: logging',
      cis: ['2.1.2'],
      securityHub: ['CloudWatch.16'],
    },
    match: [
      {
        ref: 'CIS 2.1.2',
        match: 'related',
        note: '(recommendation text "Ensure audit logs are collected and managed"; not in Kubescape\'s cis-eks framework)',
      },
      {
        ref: 'SH CloudWatch.16',
        match: 'related',
        note: "every log group against minRetentionTime (default 365 days); hardline only the cluster's control-plane log group, against its own minimum",
      },
    ],
    rationale:
      'Audit logs help only if they still exist when an incident is investigated, often months later, and are managed rather than ' +
      'left to grow. The control plane log group /aws/eks/<cluster>/cluster must keep logs at least eks.minLogRetentionDays ' +
      '(config, default 365). A group without retention ("never expire") fails too: nobody decided how long audit data is kept, ' +
      'and it accumulates without bound. A cluster with control plane logging off is not applicable here (eks.audit-logging fails it).',
    remediation:
      'aws logs put-retention-policy --log-group-name /aws/eks/<cluster>/cluster --retention-in-days 365 (or more; CloudWatch ' +
      'allows 1–3653). Archive longer through a subscription or export to S3 with its own lifecycle.',
  },
  judgeEksCluster({ reads: ['logs:log-groups'] }, function* ({ ctx, cluster, ref }) {
    const logging = asRecord(cluster['logging']);
    if (!logging) {
      yield ctx.outcome('UNKNOWN', ref, 'DescribeCluster data has no logging configuration');
      return;
    }
    const enabled = asRecords(logging['clusterLogging']).some((s) => isTrue(s['enabled']) && asStrings(s['types']).length > 0);
    if (!enabled) {
      yield ctx.outcome('NOT_APPLICABLE', ref, 'control plane logging is off: there is no log group to judge (see eks.audit-logging)');
      return;
    }
    const group = asRecord(ctx.inventory.eks?.controlPlaneLogGroup);
    if (!group) {
      // A failed DescribeLogGroups is a gap the engine reports; a snapshot without the group is unknown too.
      if (ctx.index.gaps('logs:log-groups').length === 0)
        yield ctx.outcome('UNKNOWN', ref, 'the control plane log group was not collected');
      return;
    }
    const name = asString(group['logGroupName']) ?? 'the control plane log group';
    const minimum = ctx.config.eks.minLogRetentionDays;
    if (asString(group['status']) === 'absent') {
      yield ctx.outcome('FAIL', ref, `control plane logging is on but ${name} does not exist: no log is kept`, { logGroupName: name });
      return;
    }
    const days = asNumber(group['retentionInDays']);
    const evidence = { logGroupName: name, retentionInDays: days ?? null, minimumDays: minimum };
    if (days === undefined) {
      yield ctx.outcome('FAIL', ref, `${name} has no retention set (never expire): choose how long audit logs are kept`, evidence);
      return;
    }
    if (days < minimum) {
      yield ctx.outcome('FAIL', ref, `${name} keeps logs ${days} days, below the minimum of ${minimum}`, evidence);
      return;
    }
    yield ctx.outcome('PASS', ref, `${name} keeps logs ${days} days (minimum ${minimum})`, evidence);
  }),
);
