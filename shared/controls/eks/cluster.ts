import type { ResourceRef } from '../../core/types.js';
import { asRecord, asString, type JsonRecord } from '../../inventory/read.js';
import type { CheckContext, Judge, Outcome } from '../types.js';

export const EKS_API_VERSION = 'eks.amazonaws.com/v1';

export type EksResourceKind = 'Cluster' | 'Nodegroup' | 'Addon' | 'AccessEntry';

export function eksRef(kind: EksResourceKind, name: string): ResourceRef {
  return { apiVersion: EKS_API_VERSION, kind, name };
}

/** The cluster's name as DescribeCluster reports it, else the target's. */
export function clusterName(ctx: CheckContext): string {
  return asString(asRecord(ctx.inventory.eks?.cluster)?.['name']) ?? ctx.inventory.target.name;
}

export function clusterRef(ctx: CheckContext): ResourceRef {
  return eksRef('Cluster', clusterName(ctx));
}

export interface EksCheckInput {
  ctx: CheckContext;
  cluster: JsonRecord;
  ref: ResourceRef;
}

/**
 * An EKS control: runs only on inventories that carry EKS data (a manifests scan has none and gets
 * no EKS results at all). Without DescribeCluster the control is UNKNOWN — the engine does that for
 * an `eks:cluster` gap, and this wrapper for a snapshot that simply lacks the cluster.
 */
export function judgeEksCluster(
  sources: { reads?: readonly string[]; requires?: readonly string[] },
  check: (input: EksCheckInput) => Iterable<Outcome>,
): Judge {
  return {
    reads: sources.reads ?? [],
    requires: ['eks:cluster', ...(sources.requires ?? [])],
    *check(ctx) {
      const eks = ctx.inventory.eks;
      if (!eks) return;
      const cluster = asRecord(eks.cluster);
      if (!cluster) {
        yield ctx.outcome('UNKNOWN', clusterRef(ctx), 'the snapshot has no DescribeCluster data for this cluster');
        return;
      }
      yield* check({ ctx, cluster, ref: clusterRef(ctx) });
    },
  };
}
