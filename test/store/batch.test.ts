import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HardlineError } from '../../shared/core/errors.js';
import { batchWriteAll } from '../../shared/store/batch.js';
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
}

function throttleBatches(raw: DynamoDBClient, t: Throttle): void {
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
const t: Throttle = { remaining: 0, batchCalls: 0 };

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
