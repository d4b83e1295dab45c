/**
 * The run's CloudWatch metrics (embedded metric format, written by summarize). The alarms in
 * infra/constructs/pipeline-alarms.ts read the same names: one definition for both sides.
 */
export const RUN_METRICS = {
  namespace: 'hardline',
  /** Powertools adds `service` as the metric's only dimension. */
  service: 'hardline-summarize',
  targetsScanned: 'TargetsScanned',
  targetsFailed: 'TargetsFailed',
  findingsOpened: 'FindingsOpened',
  findingsResolved: 'FindingsResolved',
  /** Percent of the run's discovered clusters whose Kubernetes API was read (the coverage alarm). */
  clusterCoverage: 'ClusterCoverage',
  clustersUnreadable: 'ClustersUnreadable',
  /** One per organisation-wide run that completed (rescans of named targets do not count): the missed-run alarm. */
  fullRunsCompleted: 'FullRunsCompleted',
} as const;
