import { controlById } from '../../../shared/controls/index.js';
import { evaluate } from '../../../shared/engine/evaluate.js';
import type { Result } from '../../../shared/engine/types.js';
import type { Gap, Inventory, KubeObject } from '../../../shared/inventory/types.js';

export const NOW = new Date('2026-11-30T12:00:00Z');

export function clusterInventory(parts: {
  eks?: Inventory['eks'];
  ecr?: Inventory['ecr'];
  resources?: KubeObject[];
  gaps?: Gap[];
}): Inventory {
  const inv: Inventory = {
    target: {
      kind: 'cluster',
      accountId: '111122223333',
      region: 'eu-west-1',
      name: 'prod',
      arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
    },
    collectedAt: NOW.toISOString(),
    origin: 'live',
    resources: parts.resources ?? [],
    gaps: parts.gaps ?? [],
  };
  if (parts.eks) inv.eks = parts.eks;
  if (parts.ecr) inv.ecr = parts.ecr;
  return inv;
}

export function run(controlId: string, inv: Inventory, now = NOW): Result[] {
  const control = controlById(controlId);
  if (!control) throw new Error(`no control ${controlId}`);
  return evaluate(inv, [control], [], { now }).toArray();
}

/** `STATUS Kind/name` per result, for compact assertions. */
export function verdicts(results: readonly Result[]): string[] {
  return results.map((r) => `${r.status} ${r.resource.kind}/${r.resource.name}${r.resource.container ? `[${r.resource.container}]` : ''}`);
}
