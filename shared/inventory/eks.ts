/**
 * EKS data as collected from DescribeCluster and friends, kept JSON-serialisable (dates as ISO
 * strings) so a snapshot replays exactly. Filled by shared/collectors/eks.
 */
export interface EksInventory {
  cluster?: Record<string, unknown>;
  nodegroups?: Record<string, unknown>[];
  addons?: Record<string, unknown>[];
  accessEntries?: Record<string, unknown>[];
  [key: string]: unknown;
}
