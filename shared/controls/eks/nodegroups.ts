import { asRecord, asRecords, asString, type JsonRecord } from '../../inventory/read.js';
import type { CheckContext, Outcome } from '../types.js';
import { clusterRef, eksRef } from './cluster.js';

/**
 * The managed nodegroups of the inventory, or the outcome that stands in for them: NOT_APPLICABLE
 * when the cluster has none (Fargate, Karpenter or self-managed nodes are not covered by these
 * settings), UNKNOWN when a snapshot lacks them without a recorded gap.
 */
export function nodegroupsOrOutcome(ctx: CheckContext): { nodegroups: JsonRecord[] } | { outcome?: Outcome } {
  const list = ctx.inventory.eks?.nodegroups;
  if (!Array.isArray(list)) {
    if (ctx.index.gaps('eks:nodegroups').length > 0) return {};
    return { outcome: ctx.outcome('UNKNOWN', clusterRef(ctx), 'nodegroups were not collected') };
  }
  const nodegroups = asRecords(list);
  if (nodegroups.length === 0) {
    return { outcome: ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'the cluster has no managed nodegroups') };
  }
  return { nodegroups };
}

export function nodegroupName(ng: JsonRecord): string {
  return asString(ng['name']) ?? asString(ng['nodegroupName']) ?? '(unnamed)';
}

export function nodegroupRef(ng: JsonRecord) {
  return eksRef('Nodegroup', nodegroupName(ng));
}

export function imdsOf(ng: JsonRecord): JsonRecord | undefined {
  return asRecord(ng['imds']);
}
