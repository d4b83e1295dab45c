/**
 * EKS data as collected from DescribeCluster and friends, kept JSON-serialisable (dates as ISO
 * strings) so a snapshot replays exactly. Filled by shared/collectors/eks; read by the eks.*
 * controls and by network.metadata-endpoint-blocked (node IMDS settings).
 * Gap sources: `eks:cluster`, `eks:nodegroups`, `eks:addons`, `eks:access-entries`.
 */
export interface EksImdsSettings {
  httpTokens?: 'required' | 'optional';
  httpPutResponseHopLimit?: number;
  httpEndpoint?: 'enabled' | 'disabled';
  /** Where the setting comes from: the nodegroup's launch template version, or EKS's default when it has none. */
  source: 'launch-template' | 'eks-default';
}

export interface EksNodegroup {
  name: string;
  /** The rest of DescribeNodegroup's `nodegroup` (JSON form). */
  [key: string]: unknown;
  /** IMDS settings in effect on the nodes; undefined when they could not be read (then there is a gap). */
  imds?: EksImdsSettings;
}

export interface EksInventory {
  /** DescribeCluster's `cluster` (JSON form). */
  cluster?: Record<string, unknown>;
  nodegroups?: EksNodegroup[];
  addons?: Record<string, unknown>[];
  accessEntries?: Record<string, unknown>[];
  [key: string]: unknown;
}
