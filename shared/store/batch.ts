import {
  BatchGetCommand,
  BatchWriteCommand,
  PutCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { backoffDelay, sleep } from '../core/backoff.js';
import { mapLimit } from '../core/concurrency.js';
import { HardlineError } from '../core/errors.js';
import type { StoreContext } from './client.js';

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];
/** What a BatchGetItem reads of each item besides the keys: consistency and projection. */
type GetOptions = Omit<NonNullable<BatchGetCommandInput['RequestItems']>[string], 'Keys'>;

export interface BatchOptions {
  /** Attempts per chunk, counting the first (UnprocessedItems are retried with backoff). */
  maxAttempts?: number;
  /** The cap of the first retry's delay (full jitter, doubling up to 5 s). */
  baseDelayMs?: number;
  /** Chunks in flight at once. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

const BATCH_LIMIT = 25; // BatchWriteItem accepts at most 25 requests.

/** DynamoDB's UnprocessedItems/UnprocessedKeys: the first retry waits up to 100 ms, later ones up to 5 s. */
export const STORE_RETRY = { baseDelayMs: 100, maxDelayMs: 5_000 } as const;

async function writeChunk(doc: DynamoDBDocumentClient, table: string, chunk: WriteRequest[], o: Required<BatchOptions>): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= o.maxAttempts) {
      throw new HardlineError('THROTTLED', `BatchWriteItem left ${pending.length} item(s) unprocessed after ${o.maxAttempts} attempts`, {
        retryable: true,
      });
    }
    if (attempt > 0) await o.sleep(backoffDelay(attempt, { baseDelayMs: o.baseDelayMs, maxDelayMs: STORE_RETRY.maxDelayMs }));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
  }
}

/**
 * Writes items that need no condition (history events, TTL-free puts) in batches of 25, retrying
 * UnprocessedItems — DynamoDB returns them under throttling instead of failing the call.
 */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
  opts: BatchOptions = {},
): Promise<void> {
  const o: Required<BatchOptions> = {
    maxAttempts: opts.maxAttempts ?? 8,
    baseDelayMs: opts.baseDelayMs ?? STORE_RETRY.baseDelayMs,
    concurrency: opts.concurrency ?? 4,
    sleep: opts.sleep ?? sleep,
  };
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_LIMIT) chunks.push(requests.slice(i, i + BATCH_LIMIT));
  await mapLimit(chunks, o.concurrency, (c) => writeChunk(doc, table, c, o));
}

/** Requests in flight when items are put one by one (AWS: the adaptive retry mode absorbs throttling). */
const PUT_CONCURRENCY = 8;

/**
 * Items that need no condition (history events): in the embedded store one BatchWriteItem per 25;
 * in AWS one PutItem each, bounded — the scanner roles then need no BatchWriteItem, which IAM
 * cannot stop from carrying deletes.
 */
export async function putUnconditionally(ctx: StoreContext, items: readonly Record<string, unknown>[]): Promise<void> {
  if (ctx.embedded) {
    await batchWriteAll(
      ctx.doc,
      ctx.table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
    return;
  }
  await mapLimit(items, PUT_CONCURRENCY, (Item) => ctx.doc.send(new PutCommand({ TableName: ctx.table, Item })));
}

const GET_LIMIT = 100; // BatchGetItem accepts at most 100 keys.
const GET_ATTEMPTS = 8;

/**
 * The items under `keys` (absent ones are simply not returned), 100 keys per BatchGetItem; the
 * UnprocessedKeys DynamoDB returns under throttling are retried with backoff, and a THROTTLED error
 * (retryable) says so when some are still left after 8 attempts — never a silently short answer.
 */
export async function batchGetAll(
  ctx: StoreContext,
  keys: readonly Record<string, unknown>[],
  read: GetOptions = {},
  wait: (ms: number) => Promise<void> = sleep,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += GET_LIMIT) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + GET_LIMIT);
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt >= GET_ATTEMPTS)
        throw new HardlineError('THROTTLED', `BatchGetItem left ${pending.length} key(s) unprocessed`, { retryable: true });
      if (attempt > 0) await wait(backoffDelay(attempt, STORE_RETRY));
      const out: BatchGetCommandOutput = await ctx.doc.send(
        new BatchGetCommand({ RequestItems: { [ctx.table]: { ...read, Keys: pending } } }),
      );
      items.push(...(out.Responses?.[ctx.table] ?? []));
      pending = out.UnprocessedKeys?.[ctx.table]?.Keys;
    }
  }
  return items;
}
