import { paginateDescribeLogGroups, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EksControlPlaneLogGroup } from '../../inventory/eks.js';
import type { Gap } from '../../inventory/types.js';
import { gapFrom } from './errors.js';

/** Where EKS writes a cluster's control plane logs (fixed by EKS, one group for every log type). */
export function controlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

/**
 * The control plane log group and its retention (DescribeLogGroups by prefix; the exact name is
 * picked, since the prefix also matches e.g. `/aws/eks/prod/cluster-old`). No group is an answer
 * (`absent`), a failed call a gap.
 */
export async function collectControlPlaneLogGroup(
  logs: CloudWatchLogsClient,
  clusterName: string,
): Promise<{ logGroup?: EksControlPlaneLogGroup; gaps: Gap[] }> {
  const logGroupName = controlPlaneLogGroupName(clusterName);
  try {
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: logGroupName })) {
      const group = (page.logGroups ?? []).find((g) => g.logGroupName === logGroupName);
      if (!group) continue;
      const logGroup: EksControlPlaneLogGroup = { status: 'present', logGroupName };
      if (typeof group.retentionInDays === 'number') logGroup.retentionInDays = group.retentionInDays;
      return { logGroup, gaps: [] };
    }
    return { logGroup: { status: 'absent', logGroupName }, gaps: [] };
  } catch (e) {
    return { gaps: [gapFrom('logs:log-groups', e, `DescribeLogGroups ${logGroupName}`)] };
  }
}
