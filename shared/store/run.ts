import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Summary, TargetReport } from '../engine/report.js';
import type { StoreContext } from './client.js';
import type { ScanChanges, ScanItem } from './items.js';
import { scanKeys } from './keys.js';
import { boundTargets } from './save.js';

/**
 * The scan item of a run saved in parts (the pipeline: one target per invocation, each through
 * `saveScan(…, { partOfRun: true })`). The run opens it RUNNING before any target is saved and
 * completes it once with the totals — the stream turns that change into one Scan Completed event.
 */
export interface RunStart {
  scanId: string;
  startedAt: string;
  framework: string;
}

/** Opens the run's scan item (RUNNING). A retry of the same run finds it and leaves it as it is. */
export async function openRun(ctx: StoreContext, run: RunStart): Promise<void> {
  const item: ScanItem = {
    ...scanKeys(run.scanId),
    entity: 'scan',
    scanId: run.scanId,
    startedAt: run.startedAt,
    status: 'RUNNING',
    framework: run.framework,
    targets: [],
  };
  try {
    await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
}

export interface RunCompletion extends RunStart {
  finishedAt: string;
  summary: Summary;
  changes: ScanChanges;
  targets: readonly TargetReport[];
}

/**
 * Completes the run: totals, every target's outcome (failing ones first when the list must be cut
 * to keep the item small). Written whole, so a retried summarize rewrites the same item and the
 * stream sees COMPLETED → COMPLETED: no second Scan Completed event.
 */
export async function completeRun(ctx: StoreContext, run: RunCompletion): Promise<ScanItem> {
  const { targets, omitted } = boundTargets(run.targets);
  const item: ScanItem = {
    ...scanKeys(run.scanId),
    entity: 'scan',
    scanId: run.scanId,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    status: 'COMPLETED',
    framework: run.framework,
    summary: run.summary,
    changes: run.changes,
    targets,
  };
  if (omitted > 0) item.targetsOmitted = omitted;
  await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: item }));
  return item;
}

export async function getRun(ctx: StoreContext, scanId: string): Promise<ScanItem | undefined> {
  const out = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: scanKeys(scanId), ConsistentRead: true }));
  return out.Item as ScanItem | undefined;
}
