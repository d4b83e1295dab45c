import { repositoryGone } from '../collectors/aws/target-state.js';
import type { TargetInput } from '../inventory/types.js';
import { resolveAsDeleted } from '../store/deleted-targets.js';
import { loadTargetFindings } from '../store/finding-writes.js';
import { targetId } from '../store/keys.js';
import type { PipelineDeps } from './deps.js';
import type { ScanStepInput } from './types.js';

/**
 * In a rescan of a registry (DeleteRepository is one of the changes that trigger it): a repository
 * with open findings that the complete repository listing no longer holds is asked for by name;
 * only RepositoryNotFoundException confirms it deleted, and then its findings resolve with reason
 * `target-deleted` before the scan's own diff runs (which then finds nothing left to resolve).
 * Returns how many findings it resolved.
 */
export async function retireDeletedRepositories(
  collected: TargetInput,
  run: Pick<ScanStepInput, 'scanId' | 'startedAt'>,
  deps: PipelineDeps,
): Promise<number> {
  if ('failure' in collected) return 0;
  const inv = collected.inventory;
  const listed = inv.ecr?.repositories;
  const accountId = inv.target.accountId;
  const region = inv.target.region;
  if (!listed || !accountId || !region) return 0;
  const names = new Set(listed.map((r) => r.repositoryName));
  const stored = await loadTargetFindings(deps.store.ctx, targetId(inv.target));
  const missing = new Map<string, typeof stored>();
  for (const f of stored) {
    if (f.state === 'RESOLVED' || f.resource.kind !== 'Repository' || names.has(f.resource.name)) continue;
    missing.set(f.resource.name, [...(missing.get(f.resource.name) ?? []), f]);
  }
  let resolved = 0;
  const registryId = inv.ecr?.registryId ?? accountId;
  for (const [name, findings] of missing) {
    if (!(await repositoryGone(deps.aws.ecr(accountId, region), registryId, name))) continue;
    const applied = await resolveAsDeleted(deps.store.ctx, findings, run, { retentionDays: deps.settings.retentionDays, now: deps.now });
    resolved += applied.applied.length;
  }
  return resolved;
}
