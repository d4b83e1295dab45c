import type { Target } from '../core/types.js';
import type { StoreContext } from './client.js';
import { retireTarget, type DeletionOptions, type DeletionOutcome } from './deleted-targets.js';
import { targetId } from './keys.js';
import { getTarget } from './target-marker.js';

/**
 * Clusters a rescan confirmed deleted (its DescribeCluster answered ResourceNotFound): resolved at
 * once, without waiting for two listings — the confirmation is direct. A cluster hardline never
 * saved has nothing to resolve; one a newer scan has claimed since exists again.
 */
export async function retireConfirmedDeletions(
  ctx: StoreContext,
  run: { scanId: string; startedAt: string },
  targets: readonly Target[],
  opts: DeletionOptions,
): Promise<DeletionOutcome> {
  const out: DeletionOutcome = { absent: 0, deleted: [], resolved: 0 };
  for (const t of targets) {
    const tid = targetId(t);
    const item = await getTarget(ctx, tid);
    if (!item || item.deletedAt || (item.lastScanStartedAt && item.lastScanStartedAt >= run.startedAt)) continue;
    out.resolved += await retireTarget(ctx, { ...item, targetId: tid }, run, opts);
    out.deleted.push({
      targetId: tid,
      name: t.name,
      ...(t.accountId ? { accountId: t.accountId } : {}),
      ...(t.region ? { region: t.region } : {}),
    });
  }
  return out;
}
