import type { ResourceRef } from '../core/types.js';
import type { CheckContext } from './types.js';

/**
 * Verdicts about the cluster as a whole (no admission policy at all, no metrics-server): the
 * resource is the scanned target itself, so the finding id stays stable across scans.
 */
export function clusterRef(ctx: CheckContext): ResourceRef {
  return { apiVersion: 'hardline.dev/v1', kind: 'Cluster', name: ctx.inventory.target.name };
}
