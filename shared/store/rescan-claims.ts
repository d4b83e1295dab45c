import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../core/errors.js';
import type { StoreContext } from './client.js';
import { CURRENT_SK } from './keys.js';
import { TTL_ATTRIBUTE } from './table.js';

/**
 * One item per target that change events made due for a rescan (`RESCAN#<targetId>`): when the
 * last rescan of it was started, and as what execution. It debounces: a change received before
 * that start is covered by that rescan, which read AWS after it; a change received later claims
 * the next one. The item is not a finding, a target or a scan: the event publisher ignores it, the
 * API never lists it, and it expires on its own.
 */
export const RESCAN_PK_PREFIX = 'RESCAN#';
export const rescanPk = (targetId: string) => `${RESCAN_PK_PREFIX}${targetId}`;

export interface RescanClaimInput {
  targetId: string;
  /** The latest receipt time (ISO) of the changes this rescan must cover. */
  coversUpTo: string;
  /** When the rescan is claimed: recorded as its start, which covers every change received until then. */
  startedAt: string;
  executionName: string;
  /** The execution input, kept so that a rescan claimed but never started can be started by whoever finds it. */
  executionInput: string;
  /** The item outlives any debounce window by far; then DynamoDB TTL removes it. */
  expiresAt: Date;
}

export interface RescanRecord {
  startedAt: string;
  executionName: string;
  executionInput: string;
}

export type RescanClaim = { claimed: true } | { claimed: false; current: RescanRecord };

/**
 * Claims the next rescan of a target: succeeds unless a rescan started at or after `coversUpTo`
 * is already recorded, in which case that one is returned (it covers these changes).
 */
export async function claimRescan(ctx: StoreContext, c: RescanClaimInput): Promise<RescanClaim> {
  const Key = { PK: rescanPk(c.targetId), SK: CURRENT_SK };
  try {
    await ctx.doc.send(
      new UpdateCommand({
        TableName: ctx.table,
        Key,
        UpdateExpression:
          'SET entity = :entity, targetId = :tid, startedAt = :started, executionName = :name, executionInput = :input, #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(startedAt) OR startedAt < :covers',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':entity': 'rescan',
          ':tid': c.targetId,
          ':started': c.startedAt,
          ':name': c.executionName,
          ':input': c.executionInput,
          ':ttl': Math.floor(c.expiresAt.getTime() / 1000),
          ':covers': c.coversUpTo,
        },
      }),
    );
    return { claimed: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
  const out = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key, ConsistentRead: true }));
  const item = out.Item as Partial<RescanRecord> | undefined;
  if (!item?.startedAt || !item.executionName || !item.executionInput)
    throw new ConflictError(`rescan claim of target ${c.targetId} lost its condition to an item that is gone again; try again`);
  return { claimed: false, current: { startedAt: item.startedAt, executionName: item.executionName, executionInput: item.executionInput } };
}
