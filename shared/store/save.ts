import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScanReport, TargetReport } from '../engine/report.js';
import { ResultSet } from '../engine/results.js';
import { diffFindings, type FindingChange } from '../findings/lifecycle.js';
import type { Finding } from '../findings/types.js';
import type { StoreContext } from './client.js';
import { complianceOf, countFindings } from './compliance.js';
import { applyChanges, loadTargetFindings } from './finding-writes.js';
import { emptyChanges, type ScanChanges, type ScanItem } from './items.js';
import { scanKeys, targetId } from './keys.js';
import { claimTarget, finalizeTarget } from './target-marker.js';

export interface SaveOptions {
  /** Controls the scan ran. Without it a control counts as run for a target when it has a result there. */
  evaluatedControls?: readonly string[];
  now?: () => Date;
  /** How long a save may hold a target before another scan stops treating it as in progress. */
  leaseMs?: number;
  settleMs?: number;
  retentionDays?: number;
  /** Conditional writes in flight at once. */
  concurrency?: number;
  /**
   * One part of a run saved by several calls (the pipeline saves one target per invocation): the
   * run's scan item is opened and completed by the run itself (shared/store/run.ts), not here.
   */
  partOfRun?: boolean;
}

export interface SaveOutcome {
  scanId: string;
  changes: ScanChanges;
  /** Finding items written (creates, transitions, refreshes, touches). */
  findingWrites: number;
}

/** Above this the inline target list drops OK targets (the item must stay far below 400 KB). */
const TARGETS_BUDGET_BYTES = 200_000;

export function boundTargets(targets: readonly TargetReport[]): { targets: TargetReport[]; omitted: number } {
  if (JSON.stringify(targets).length <= TARGETS_BUDGET_BYTES) return { targets: [...targets], omitted: 0 };
  const ordered = [...targets.filter((t) => t.status !== 'OK'), ...targets.filter((t) => t.status === 'OK')];
  const kept: TargetReport[] = [];
  let size = 2;
  for (const t of ordered) {
    const s = JSON.stringify(t).length + 1;
    if (size + s > TARGETS_BUDGET_BYTES) break;
    kept.push(t);
    size += s;
  }
  return { targets: kept, omitted: targets.length - kept.length };
}

function tally(changes: ScanChanges, applied: readonly FindingChange[]): void {
  for (const c of applied) {
    if (c.kind === 'refresh') changes.refreshed++;
    else if (c.event === 'OPENED') changes.opened++;
    else if (c.event === 'REOPENED') changes.reopened++;
    else if (c.event === 'RESOLVED') changes.resolved++;
    else if (c.event === 'EXEMPTED') changes.exempted++;
    else changes.unexempted++;
  }
}

async function startScan(ctx: StoreContext, report: ScanReport, targets: TargetReport[], omitted: number): Promise<void> {
  const item: ScanItem = {
    ...scanKeys(report.scan.id),
    entity: 'scan',
    scanId: report.scan.id,
    startedAt: report.scan.startedAt,
    status: 'RUNNING',
    framework: report.scan.framework,
    targets,
  };
  if (omitted > 0) item.targetsOmitted = omitted;
  try {
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
  } catch (e) {
    // Saving the same scan again (a retry): its item exists; the per-target claims keep it idempotent.
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}

/**
 * Saves one scan: the scan item (RUNNING → COMPLETED), then per target a claim, the lifecycle
 * diff against what is stored, conditional writes of what changed, and the target marker. An
 * unchanged rescan writes no finding item at all — only the scan item and one marker per target.
 */
export async function saveScan(ctx: StoreContext, report: ScanReport, opts: SaveOptions = {}): Promise<SaveOutcome> {
  const now = opts.now ?? (() => new Date());
  const { targets, omitted } = boundTargets(report.scan.targets);
  if (!opts.partOfRun) await startScan(ctx, report, targets, omitted);
  const byTarget = report.results.byTarget(targetId);
  const changes = emptyChanges();
  let findingWrites = 0;
  const ref = { id: report.scan.id, startedAt: report.scan.startedAt };
  for (const t of report.scan.targets) {
    const tid = targetId(t);
    const claim = await claimTarget(ctx, {
      target: t,
      targetId: tid,
      scanId: ref.id,
      startedAt: ref.startedAt,
      finishedAt: report.scan.finishedAt,
      now: now(),
      leaseMs: opts.leaseMs ?? 15 * 60_000,
      settleMs: opts.settleMs ?? 30_000,
      clock: now,
    });
    if (claim.superseded) {
      changes.supersededTargets++;
      continue;
    }
    const results = byTarget.get(tid) ?? ResultSet.empty();
    const scan = {
      target: t,
      status: t.status,
      results,
      ...(opts.evaluatedControls ? { evaluatedControls: new Set(opts.evaluatedControls) } : {}),
      ...(claim.previous?.lastSeenAt ? { previousSeenAt: claim.previous.lastSeenAt } : {}),
      ...(t.loadErrors ? { inputIncomplete: true } : {}),
    };
    const previous = await loadTargetFindings(ctx, tid);
    const diff = diffFindings(previous, scan, ref);
    const applied = await applyChanges(ctx, diff.judge, diff.changes, diff.unchanged, {
      scanStartedAt: ref.startedAt,
      retentionDays: opts.retentionDays ?? 90,
      concurrency: opts.concurrency ?? 16,
      unchanged: claim.overlap === 'active' ? 'touch' : claim.overlap === 'recent' ? 'verify' : 'skip',
      ...(ctx.embedded ? { bulk: { targetId: tid, scanId: ref.id, now } } : {}),
    });
    tally(changes, applied.applied);
    changes.unchanged += diff.unchanged.length;
    changes.kept += diff.kept;
    findingWrites += applied.applied.length + applied.touched;
    const after = new Map<string, Finding>(diff.after.map((f) => [f.findingId, f]));
    for (const [id, f] of applied.final) after.set(id, f);
    const read = t.status === 'OK' || t.status === 'PARTIAL';
    await finalizeTarget(ctx, {
      targetId: tid,
      scanId: ref.id,
      ...(read ? { seenAt: ref.startedAt, compliance: complianceOf(results) } : {}),
      blindControls: read ? diff.blind : (claim.previous?.blindControls ?? []),
      counts: countFindings(after.values()),
      now: now(),
    });
  }
  if (!opts.partOfRun) await completeScan(ctx, report, changes);
  return { scanId: report.scan.id, changes, findingWrites };
}

async function completeScan(ctx: StoreContext, report: ScanReport, changes: ScanChanges): Promise<void> {
  await ctx.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: scanKeys(report.scan.id),
      UpdateExpression: 'SET #status = :done, finishedAt = :finished, summary = :summary, changes = :changes',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':done': 'COMPLETED',
        ':finished': report.scan.finishedAt,
        ':summary': report.summary,
        ':changes': changes,
      },
    }),
  );
}
