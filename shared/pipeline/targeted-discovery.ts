import { mapLimit } from '../core/concurrency.js';
import { classifyAwsError } from '../collectors/aws/errors.js';
import { clusterState } from '../collectors/aws/target-state.js';
import { describeError } from '../core/errors.js';
import { followUpBody, followUpDelaySeconds, MAX_FOLLOW_UPS } from './follow-up.js';
import type { PipelineDeps } from './deps.js';
import { awsTargetOf, refKey, type RescanExecutionInput, type TargetRef } from './rescan-input.js';
import type { AwsTarget, DiscoveredTarget } from './types.js';

/** What a rescan's discovery found for the targets it was given. */
export interface NamedDiscovery {
  items: DiscoveredTarget[];
  /** Clusters a DescribeCluster confirmed deleted. */
  deleted: AwsTarget[];
  /** Targets still changing, sent back to the change queue. */
  settling: number;
  /** Targets outside this deployment's accounts or regions (not scanned, not recorded). */
  rejected: string[];
  /** What went wrong on the way without stopping the rescan (a follow-up that could not be queued). */
  problems: string[];
}

/**
 * Discovery of a rescan: no organisation-wide listing, only the named targets. Each must be in
 * an ACTIVE account this deployment scans and one of its regions; its account's member role is
 * assumed (a denial is that target's UNKNOWN, as in a full run), and a cluster is looked at first:
 * gone (ResourceNotFound) → its findings resolve as target-deleted; settling → back to the queue
 * for a later look, while follow-ups remain; otherwise it is scanned.
 */
export async function discoverNamedTargets(
  request: RescanExecutionInput,
  accounts: readonly string[],
  deps: PipelineDeps,
): Promise<NamedDiscovery> {
  const out: NamedDiscovery = { items: [], deleted: [], settling: 0, rejected: [], problems: [] };
  const active = new Set(accounts);
  const unique = new Map(request.targets.map((r) => [refKey(r), r]));
  const refs: TargetRef[] = [];
  for (const [key, ref] of unique) {
    if (active.has(ref.accountId) && deps.settings.regions.includes(ref.region)) refs.push(ref);
    else out.rejected.push(key);
  }
  const attempt = request.attempt ?? 0;
  const results = await mapLimit(refs, 4, (ref) => lookAt(ref, attempt, request.reason ?? 'rescan', deps));
  for (const r of results) {
    if (r.kind === 'item') {
      out.items.push(r.item);
      if (r.problem) out.problems.push(r.problem);
    } else if (r.kind === 'deleted') out.deleted.push(r.target);
    else out.settling++;
  }
  return out;
}

type Look = { kind: 'item'; item: DiscoveredTarget; problem?: string } | { kind: 'deleted'; target: AwsTarget } | { kind: 'settling' };

async function lookAt(ref: TargetRef, attempt: number, reason: string, deps: PipelineDeps): Promise<Look> {
  const target = awsTargetOf(ref);
  try {
    await deps.openSession(ref.accountId);
  } catch (e) {
    const f = classifyAwsError(e, `account ${ref.accountId}: cannot assume the member role ${deps.settings.memberRoleName}`);
    return { kind: 'item', item: { target, failure: { status: f.status, reason: f.message } } };
  }
  if (ref.kind === 'registry') return { kind: 'item', item: { target, rescan: true } };
  const state = await clusterState(deps.aws.eks(ref.accountId, ref.region), ref.name);
  if (state.state === 'gone') return { kind: 'deleted', target };
  if (state.state === 'settling' && attempt < MAX_FOLLOW_UPS && deps.rescanQueue) {
    const next = attempt + 1;
    try {
      await deps.rescanQueue.send(followUpBody([ref], next, `${reason}; ${state.what}: follow-up ${next}`), followUpDelaySeconds(next));
      return { kind: 'settling' };
    } catch (e) {
      // Without the follow-up nobody would look again until the next scheduled run: scan what is there now.
      return {
        kind: 'item',
        item: { target, rescan: true },
        problem: `${refKey(ref)}: follow-up not queued (${describeError(e)}); scanned while ${state.what}`,
      };
    }
  }
  return { kind: 'item', item: { target, rescan: true } };
}
