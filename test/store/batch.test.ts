import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HardlineError } from '../../shared/core/errors.js';
import { batchGetAll, batchWriteAll } from '../../shared/store/batch.js';
import { openStore, type OpenedStore } from '../../shared/store/open.js';
import { prod, report, result, tempStore, type TestStore } from './support.js';

/**
 * Throttling, as DynamoDB does it: a BatchWriteItem that succeeds but hands part of its requests
 * back in UnprocessedItems. The middleware withholds the second half of each batch from the
 * server (so those items are really not written) and returns them as unprocessed.
 */
interface Throttle {
  remaining: number;
  batchCalls: number;
  /** The same for BatchGetItem: half of each call's keys come back in UnprocessedKeys, unread. */
  getsRemaining: number;
  getCalls: number;
}

function throttleBatches(raw: DynamoDBClient, t: Throttle): void {
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      if ((context as { commandName?: string }).commandName !== 'BatchGetItemCommand') return next(args);
      t.getCalls++;
      const input = args.input as { RequestItems: Record<string, { Keys: unknown[] }> };
      const [table, read] = Object.entries(input.RequestItems)[0]!;
      if (t.getsRemaining <= 0) return next(args);
      t.getsRemaining--;
      // A single key cannot be split: hand it back unread, as a fully throttled call would.
      if (read.Keys.length < 2)
        return { output: { $metadata: {}, Responses: { [table]: [] }, UnprocessedKeys: { [table]: read } }, response: {} };
      const half = Math.ceil(read.Keys.length / 2);
      const out = await next({ ...args, input: { ...input, RequestItems: { [table]: { ...read, Keys: read.Keys.slice(0, half) } } } });
      const unread = read.Keys.slice(half);
      if (unread.length > 0) (out.output as { UnprocessedKeys?: unknown }).UnprocessedKeys = { [table]: { ...read, Keys: unread } };
      return out;
    },
    { step: 'initialize', name: 'testGetThrottle' },
  );
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      if ((context as { commandName?: string }).commandName !== 'BatchWriteItemCommand') return next(args);
      t.batchCalls++;
      const input = args.input as { RequestItems: Record<string, unknown[]> };
      const [table, requests] = Object.entries(input.RequestItems)[0]!;
      if (t.remaining <= 0) return next(args);
      t.remaining--;
      // A single request cannot be split: hand it back untouched, as a fully throttled call would.
      if (requests.length < 2) return { output: { $metadata: {}, UnprocessedItems: { [table]: requests } }, response: {} };
      const half = Math.ceil(requests.length / 2);
      const out = await next({ ...args, input: { ...input, RequestItems: { [table]: requests.slice(0, half) } } });
      (out.output as { UnprocessedItems?: Record<string, unknown[]> }).UnprocessedItems = { [table]: requests.slice(half) };
      return out;
    },
    { step: 'initialize', name: 'testThrottle' },
  );
}

let s: TestStore;
let throttled: OpenedStore;
const t: Throttle = { remaining: 0, batchCalls: 0, getsRemaining: 0, getCalls: 0 };

beforeAll(async () => {
  s = await tempStore();
  throttled = await openStore({ env: { HARDLINE_STORE_DIR: s.dir }, onClient: (raw) => throttleBatches(raw, t) });
});
afterAll(async () => {
  await throttled?.close();
  await s?.dispose();
});

const noSleep = async () => {};

describe('batchWriteAll', () => {
  it('retries UnprocessedItems until every item is written', async () => {
    t.remaining = 6;
    t.batchCalls = 0;
    const items = Array.from({ length: 60 }, (_, i) => ({
      PutRequest: { Item: { PK: 'BATCHTEST', SK: `item-${String(i).padStart(3, '0')}`, n: i } },
    }));
    await batchWriteAll(throttled.store.ctx.doc, throttled.store.ctx.table, items, { sleep: noSleep, concurrency: 1 });
    const out = await s.store.ctx.doc.send(
      new QueryCommand({
        TableName: s.store.ctx.table,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'BATCHTEST' },
      }),
    );
    expect(out.Items?.map((i) => i['n'])).toEqual(items.map((_, i) => i));
    expect(t.batchCalls).toBeGreaterThan(3); // 3 chunks of ≤ 25, plus the retries
    expect(t.remaining).toBe(0);
  });

  it('gives up with a retryable THROTTLED error when items stay unprocessed', async () => {
    t.remaining = 1_000;
    const items = Array.from({ length: 4 }, (_, i) => ({ PutRequest: { Item: { PK: 'BATCHFAIL', SK: `i${i}` } } }));
    const err = await batchWriteAll(throttled.store.ctx.doc, throttled.store.ctx.table, items, { sleep: noSleep, maxAttempts: 3 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HardlineError);
    expect(err).toMatchObject({ code: 'THROTTLED', retryable: true });
    t.remaining = 0;
  });

  it('a scan saved through a throttled client still records every history event', async () => {
    t.remaining = 4;
    const results = Array.from({ length: 70 }, (_, i) => result({ name: `t${i}`, target: { ...prod, name: 'throttled' } }));
    const out = await throttled.store.saveScan(report('throttled-1', results, { targets: [{ ...prod, name: 'throttled' }] }));
    expect(out.changes.opened).toBe(70);
    const events = await s.store.scanEvents('throttled-1', { limit: 500 });
    expect(events.items).toHaveLength(70);
    expect(t.remaining).toBe(0);
  });
});

describe('batchGetAll', () => {
  const keys = Array.from({ length: 130 }, (_, i) => ({ PK: 'BATCHGET', SK: `item-${String(i).padStart(3, '0')}` }));

  beforeAll(async () => {
    // 120 of the 130 keys exist: an absent item is simply not returned.
    const items = keys.slice(0, 120).map((Key, n) => ({ PutRequest: { Item: { ...Key, n } } }));
    await batchWriteAll(s.store.ctx.doc, s.store.ctx.table, items, { sleep: noSleep });
  });

  it('retries UnprocessedKeys until every key is read, 100 keys a request, with the projection asked for', async () => {
    t.getsRemaining = 5;
    t.getCalls = 0;
    const got = await batchGetAll(
      throttled.store.ctx,
      keys,
      { ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'n' }, ConsistentRead: true },
      noSleep,
    );
    expect(got.map((i) => i['n']).sort((a, b) => Number(a) - Number(b))).toEqual(keys.slice(0, 120).map((_, n) => n));
    expect(got.every((i) => Object.keys(i).join() === 'n')).toBe(true);
    expect(t.getCalls).toBe(7); // 2 requests (100 + 30 keys), plus the 5 throttled ones' retries
    expect(t.getsRemaining).toBe(0);
  });

  it('gives up with a retryable THROTTLED error rather than answer short when keys stay unprocessed', async () => {
    t.getsRemaining = 1_000;
    const err = await batchGetAll(throttled.store.ctx, keys.slice(0, 10), {}, noSleep).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HardlineError);
    expect(err).toMatchObject({ code: 'THROTTLED', retryable: true });
    t.getsRemaining = 0;
  });
});
