import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { contentHash, type Decision, type StoredFinding } from '../findings/lifecycle.js';
import type { Finding } from '../findings/types.js';
import type { StoreContext } from './client.js';
import { countFindings } from './compliance.js';
import { applyChanges, loadTargetFindings } from './finding-writes.js';
import type { TargetItem } from './items.js';
import { CURRENT_SK, targetPk } from './keys.js';
import { allTargets } from './query.js';

/** A run needs this many discovery listings in a row without a cluster before it counts as deleted. */
export const ABSENT_RUNS_TO_DELETE = 2;
/** The name of the pseudo-target that stands for a region's clusters when they could not be listed. */
const ALL_CLUSTERS = '*';

/** What one run's discovery saw, per `account|region`. */
export interface ClusterListing {
  scanId: string;
  startedAt: string;
  /** Regions whose clusters were listed (account readable, ListClusters answered): the names listed. */
  listed: ReadonlyMap<string, ReadonlySet<string>>;
  /** Regions discovery tried but could not list (denied AssumeRole, failed ListClusters, region off). */
  unlisted: ReadonlySet<string>;
}

export interface DeletionOutcome {
  /** Clusters absent from this listing whose absence is not yet confirmed. */
  absent: number;
  /** Clusters confirmed deleted by this run (their findings resolved with reason target-deleted). */
  deleted: { targetId: string; name: string; accountId?: string; region?: string }[];
  /** Findings resolved because their cluster was deleted. */
  resolved: number;
}

export interface DeletionOptions {
  retentionDays: number;
  concurrency?: number;
  now: () => Date;
}

export const pairKey = (accountId: string, region: string) => `${accountId}|${region}`;

/**
 * Deleted clusters: a cluster marker in a region whose clusters this run listed, but not among
 * them, is absent once; absent in {@link ABSENT_RUNS_TO_DELETE} listings in a row, it is deleted
 * and every open or exempted finding of it resolves with reason `target-deleted` (a Finding
 * Resolved event each). A listing that names it again, or a run that could not list its region
 * (the account is not readable: a denied AssumeRole proves nothing), ends the streak. Regions a run
 * did not look at (an account that left the organisation, a region no longer configured) are left
 * alone. The pseudo-target of a region that could not be listed retires at once when it can be.
 */
export async function confirmDeletedTargets(ctx: StoreContext, listing: ClusterListing, opts: DeletionOptions): Promise<DeletionOutcome> {
  const out: DeletionOutcome = { absent: 0, deleted: [], resolved: 0 };
  for (const t of await allTargets(ctx, { kind: ['cluster'] })) {
    if (t.deletedAt || !t.accountId || !t.region || !t.targetId) continue;
    const key = pairKey(t.accountId, t.region);
    const names = listing.listed.get(key);
    if (!names) {
      if (listing.unlisted.has(key) && t.absentRuns) await endAbsence(ctx, t.targetId);
      continue;
    }
    if (names.has(t.name)) {
      if (t.absentRuns) await endAbsence(ctx, t.targetId);
      continue;
    }
    const runs = t.name === ALL_CLUSTERS ? ABSENT_RUNS_TO_DELETE : await countAbsence(ctx, t, listing);
    if (runs === undefined) continue;
    if (runs < ABSENT_RUNS_TO_DELETE) {
      out.absent++;
      continue;
    }
    out.resolved += await retireTarget(ctx, t, listing, opts);
    if (t.name !== ALL_CLUSTERS) out.deleted.push({ targetId: t.targetId, name: t.name, accountId: t.accountId, region: t.region });
  }
  return out;
}

/** +1 absent run, once per run (a retried summarize counts nothing twice); undefined when a newer scan took the target. */
async function countAbsence(ctx: StoreContext, t: TargetItem, listing: ClusterListing): Promise<number | undefined> {
  if (t.absentScanId === listing.scanId) return t.absentRuns ?? 1;
  try {
    const res = await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { PK: targetPk(t.targetId!), SK: CURRENT_SK },
        UpdateExpression:
          'SET absentRuns = if_not_exists(absentRuns, :zero) + :one, absentScanId = :scan, absentSince = if_not_exists(absentSince, :started)',
        ConditionExpression:
          'attribute_exists(PK) AND (attribute_not_exists(absentScanId) OR absentScanId <> :scan) AND (attribute_not_exists(lastScanStartedAt) OR lastScanStartedAt < :started)',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':scan': listing.scanId, ':started': listing.startedAt },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return (res.Attributes as TargetItem | undefined)?.absentRuns;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return undefined;
    throw e;
  }
}

async function endAbsence(ctx: StoreContext, tid: string): Promise<void> {
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { PK: targetPk(tid), SK: CURRENT_SK },
      UpdateExpression: 'REMOVE absentRuns, absentScanId, absentSince',
    }),
  );
}

/** Resolves the target's open and exempted findings (reason target-deleted) and marks it deleted. */
export async function retireTarget(
  ctx: StoreContext,
  t: TargetItem,
  listing: Pick<ClusterListing, 'scanId' | 'startedAt'>,
  opts: DeletionOptions,
): Promise<number> {
  const previous = await loadTargetFindings(ctx, t.targetId!);
  const applied = await resolveAsDeleted(ctx, previous, listing, opts);
  const after = new Map<string, Finding>(previous.map((p) => [p.findingId, p]));
  for (const [id, f] of applied.final) after.set(id, f);
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key: { PK: targetPk(t.targetId!), SK: CURRENT_SK },
        UpdateExpression: 'SET deletedAt = :started, counts = :counts REMOVE absentRuns, absentScanId',
        // A scan that claimed the target since (it exists again) wins.
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(lastScanStartedAt) OR lastScanStartedAt < :started)',
        ExpressionAttributeValues: { ':started': listing.startedAt, ':counts': countFindings(after.values()) },
      }),
    );
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
  return applied.applied.length;
}

/**
 * Resolves these stored findings, where still open or exempted, with reason `target-deleted`
 * (conditional writes and history like any diff, so each gives one Finding Resolved event): a
 * deleted cluster's, or a deleted repository's within its registry.
 */
export async function resolveAsDeleted(
  ctx: StoreContext,
  previous: readonly StoredFinding[],
  run: Pick<ClusterListing, 'scanId' | 'startedAt'>,
  opts: DeletionOptions,
) {
  const judge = {
    decide(_id: string, prev: StoredFinding | undefined): Decision {
      if (!prev || prev.state === 'RESOLVED') return { kind: 'none' };
      const next = {
        ...prev,
        state: 'RESOLVED' as const,
        resolvedAt: run.startedAt,
        resolvedReason: 'target-deleted' as const,
        scanId: run.scanId,
        version: prev.version + 1,
        contentHash: prev.contentHash ?? contentHash(prev),
      };
      return { kind: 'change', change: { kind: 'transition', event: 'RESOLVED', previous: prev, next } };
    },
  };
  const changes = previous.flatMap((p) => {
    const d = judge.decide(p.findingId, p);
    return d.kind === 'change' ? [d.change] : [];
  });
  return applyChanges(ctx, judge, changes, [], {
    scanStartedAt: run.startedAt,
    retentionDays: opts.retentionDays,
    concurrency: opts.concurrency ?? 16,
    unchanged: 'skip',
  });
}
