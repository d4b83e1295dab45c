import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { sleep } from '../core/backoff.js';
import { ConflictError } from '../core/errors.js';
import type { Target } from '../core/types.js';
import type { TargetReport } from '../engine/report.js';
import type { StoreContext } from './client.js';
import type { ComplianceCount, TargetCounts, TargetItem } from './items.js';
import { CURRENT_SK, targetKeys, targetPk } from './keys.js';

export interface Claim {
  /** A newer scan of this target is already saved: this one must not change its findings. */
  superseded: boolean;
  /**
   * `active`: another scan's save of this target is running — stamp even unchanged findings so its
   * late writes fail their condition. `recent`: one ended moments ago — index reads may lag behind
   * it, so unchanged findings are re-read consistently before trusting them.
   */
  overlap?: Overlap;
  previous?: TargetItem;
}

export type Overlap = 'active' | 'recent';

export interface ClaimInput {
  target: TargetReport;
  targetId: string;
  scanId: string;
  startedAt: string;
  finishedAt: string;
  now: Date;
  leaseMs: number;
  /** A save that ended this recently still counts as overlapping (index reads may lag behind it). */
  settleMs: number;
  /** The clock, read again while the claim waits for another save's batch to end (`now` is the first reading). */
  clock?: () => Date;
}

function targetFields(t: Target): Record<string, string> {
  const f: Record<string, string> = { kind: t.kind, name: t.name };
  if (t.accountId) f['accountId'] = t.accountId;
  if (t.region) f['region'] = t.region;
  if (t.arn) f['arn'] = t.arn;
  return f;
}

/**
 * Claims a target for one scan's save: a conditional update that only succeeds for a scan that
 * started after every scan saved so far. The marker carries the outcome (lastScanId/lastStatus —
 * what the publisher turns into Target Failed) and a lease so an overlapping save can be detected.
 * While another save writes a batch (startBatch), the claim waits for it to end: a save that
 * claimed could otherwise write a finding that the batch then overwrites.
 */
export async function claimTarget(ctx: StoreContext, c: ClaimInput): Promise<Claim> {
  const clock = c.clock ?? (() => new Date());
  const giveUpAt = clock().getTime() + MAX_BATCH_WAIT_MS;
  for (let first = true; ; first = false) {
    const claim = await tryClaim(ctx, c, first ? c.now : clock());
    if (claim !== 'batch-running') return claim;
    if (clock().getTime() > giveUpAt)
      throw new ConflictError(`target ${c.targetId}: another save's batch did not end within ${MAX_BATCH_WAIT_MS} ms`);
    await sleep(BATCH_POLL_MS);
  }
}

async function tryClaim(ctx: StoreContext, c: ClaimInput, now: Date): Promise<Claim | 'batch-running'> {
  const keys = targetKeys(c.target, c.targetId);
  const set: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(keys).filter(([k]) => k !== 'PK' && k !== 'SK')),
    entity: 'target',
    ...targetFields(c.target),
    targetId: c.targetId,
    lastScanId: c.scanId,
    lastScannedAt: c.finishedAt,
    lastStatus: c.target.status,
    lastScanStartedAt: c.startedAt,
    savingScanId: c.scanId,
    savingStartedAt: c.now.toISOString(),
    savingUntil: new Date(c.now.getTime() + c.leaseMs).toISOString(),
  };
  if (c.target.reason) set['lastReason'] = c.target.reason;
  if (c.target.kubernetesAccess) set['kubernetesAccess'] = c.target.kubernetesAccess;
  const names: Record<string, string> = { '#version': 'version' };
  const values: Record<string, unknown> = {
    ':zero': 0,
    ':one': 1,
    ':started': c.startedAt,
    ':scan': c.scanId,
    ':now': now.toISOString(),
  };
  const assignments = Object.entries(set).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v;
    return `#a${i} = :a${i}`;
  });
  // A scan of the target is a sighting: any count of absent discovery runs (and a deletion) ends.
  const remove = ['absentRuns', 'absentScanId', 'absentSince', 'deletedAt'];
  if (!c.target.reason) remove.push('lastReason');
  if (!c.target.kubernetesAccess) remove.push('kubernetesAccess');
  const removeClause = ` REMOVE ${remove.join(', ')}`;
  try {
    const out = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { PK: keys.PK, SK: keys.SK },
        UpdateExpression: `SET ${assignments.join(', ')}, #version = if_not_exists(#version, :zero) + :one${removeClause}`,
        ConditionExpression: `(${NEWEST_SCAN}) AND (${NO_OTHER_BATCH})`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    const previous = out.Attributes as TargetItem | undefined;
    const overlap = overlaps(previous, c);
    return { superseded: false, ...(overlap ? { overlap } : {}), ...(previous ? { previous } : {}) };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // Which half failed: a newer scan is saved (superseded), or another save's batch is running (wait, then try again).
    const marker = await getTarget(ctx, c.targetId);
    const saved = marker?.lastScanStartedAt;
    const newer = saved !== undefined && (saved > c.startedAt || (saved === c.startedAt && marker?.lastScanId !== c.scanId));
    return newer ? { superseded: true } : 'batch-running';
  }
}

const NEWEST_SCAN =
  'attribute_not_exists(PK) OR attribute_not_exists(lastScanStartedAt) OR lastScanStartedAt < :started OR (lastScanStartedAt = :started AND lastScanId = :scan)';
const NO_OTHER_BATCH = 'attribute_not_exists(batchingUntil) OR batchingUntil < :now OR batchingScanId = :scan';
const BATCH_POLL_MS = 25;
/** A batch holds the target at most this long before it must renew (bulk-create.ts renews well before). */
export const BATCH_LEASE_MS = 60_000;
const MAX_BATCH_WAIT_MS = 2 * BATCH_LEASE_MS;

/**
 * Starts a batch of unconditional writes to this target's findings, for the save that holds the
 * lease (`savingScanId`): it fails once any other scan has claimed the target since, and until it
 * ends (or `until` passes) no other scan can claim it. Together that means no other save writes
 * these findings while the batch runs. Renewed with the same call; ended with endBatch.
 */
export function startBatch(ctx: StoreContext, targetId: string, scanId: string, until: Date): Promise<boolean> {
  return updateMarkerIf(ctx, targetId, 'SET batchingScanId = :scan, batchingUntil = :until', 'savingScanId = :scan', {
    ':scan': scanId,
    ':until': until.toISOString(),
  });
}

/** Ends this scan's batch; a no-op when it no longer holds one (its lease ran out and another scan took over). */
export async function endBatch(ctx: StoreContext, targetId: string, scanId: string): Promise<void> {
  await updateMarkerIf(ctx, targetId, 'REMOVE batchingScanId, batchingUntil', 'batchingScanId = :scan', { ':scan': scanId });
}

/** One conditional update of the target marker: false when the condition did not hold. */
async function updateMarkerIf(
  ctx: StoreContext,
  targetId: string,
  update: string,
  condition: string,
  values: Record<string, string>,
): Promise<boolean> {
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { PK: targetPk(targetId), SK: CURRENT_SK },
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

function overlaps(previous: TargetItem | undefined, c: ClaimInput): Overlap | undefined {
  if (!previous) return undefined;
  const now = c.now.getTime();
  if (previous.savingScanId && previous.savingScanId !== c.scanId && previous.savingUntil && Date.parse(previous.savingUntil) > now)
    return 'active';
  return previous.lastSavedAt !== undefined && now - Date.parse(previous.lastSavedAt) < c.settleMs ? 'recent' : undefined;
}

export interface FinalizeInput {
  targetId: string;
  scanId: string;
  /** When results were read (OK/PARTIAL scans only). */
  seenAt?: string;
  blindControls: { controlId: string; namespace?: string }[];
  counts: TargetCounts;
  compliance?: Record<string, ComplianceCount>;
  now: Date;
}

/** Ends the save: counts for /summary, the lease released. Skipped when a newer save took over. */
export async function finalizeTarget(ctx: StoreContext, f: FinalizeInput): Promise<boolean> {
  const values: Record<string, unknown> = {
    ':scan': f.scanId,
    ':counts': f.counts,
    ':saved': f.now.toISOString(),
    ':blind': f.blindControls,
  };
  let set = 'SET counts = :counts, lastSavedAt = :saved, blindControls = :blind';
  if (f.seenAt) {
    set += ', lastSeenAt = :seen';
    values[':seen'] = f.seenAt;
  }
  if (f.compliance) {
    set += ', compliance = :compliance';
    values[':compliance'] = f.compliance;
  }
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { PK: targetPk(f.targetId), SK: CURRENT_SK },
        UpdateExpression: `${set} REMOVE savingScanId, savingStartedAt, savingUntil, batchingScanId, batchingUntil`,
        ConditionExpression: 'savingScanId = :scan',
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
}

export async function getTarget(ctx: StoreContext, tid: string): Promise<TargetItem | undefined> {
  const out = await ctx.doc.send(
    new GetCommand({ TableName: ctx.table, Key: { PK: targetPk(tid), SK: CURRENT_SK }, ConsistentRead: true }),
  );
  return out.Item as TargetItem | undefined;
}
