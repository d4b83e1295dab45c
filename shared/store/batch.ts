import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { HardlineError } from '../core/errors.js';

type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface BatchOptions {
  /** Attempts per chunk, counting the first (UnprocessedItems are retried with backoff). */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Chunks in flight at once. */
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

const BATCH_LIMIT = 25; // BatchWriteItem accepts at most 25 requests.

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Full jitter (AWS Architecture Blog "Exponential Backoff and Jitter"), capped at 5 s. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(5_000, baseMs * 2 ** attempt));
}

async function writeChunk(doc: DynamoDBDocumentClient, table: string, chunk: WriteRequest[], o: Required<BatchOptions>): Promise<void> {
  let pending = chunk;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= o.maxAttempts) {
      throw new HardlineError('THROTTLED', `BatchWriteItem left ${pending.length} item(s) unprocessed after ${o.maxAttempts} attempts`, { retryable: true });
    }
    if (attempt > 0) await o.sleep(backoffDelay(attempt, o.baseDelayMs));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
  }
}

/**
 * Writes items that need no condition (history events, TTL-free puts) in batches of 25, retrying
 * UnprocessedItems — DynamoDB returns them under throttling instead of failing the call.
 */
export async function batchWriteAll(doc: DynamoDBDocumentClient, table: string, requests: readonly WriteRequest[], opts: BatchOptions = {}): Promise<void> {
  const o: Required<BatchOptions> = {
    maxAttempts: opts.maxAttempts ?? 8,
    baseDelayMs: opts.baseDelayMs ?? 50,
    concurrency: opts.concurrency ?? 4,
    sleep: opts.sleep ?? defaultSleep,
  };
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_LIMIT) chunks.push(requests.slice(i, i + BATCH_LIMIT));
  await forEachLimited(chunks, o.concurrency, (c) => writeChunk(doc, table, c, o));
}

/** Runs `fn` over items with at most `limit` promises in flight; the first failure rejects. */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
