import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, type StoreContext } from '../../shared/store/client.js';
import { queryItems } from '../../shared/store/paginate.js';
import { tempStore, type TestStore } from './support.js';

/** The store's table, with a client that counts the requests sent through it. */
function counted(s: TestStore): { ctx: StoreContext; queries: () => number } {
  const doc = documentClient(s.raw);
  let n = 0;
  const send = doc.send.bind(doc) as (c: never) => Promise<unknown>;
  const counting = Object.assign(Object.create(doc) as typeof doc, {
    send: (command: never) => {
      n++;
      return send(command);
    },
  });
  return { ctx: { doc: counting, table: s.location.table }, queries: () => n };
}

describe('queryItems (every store Query that reads a whole partition)', () => {
  let s: TestStore;
  const PK = 'TEST#paging';
  // 30 items of 60 kB: 1.8 MB, more than one Query page (DynamoDB stops a page at 1 MB).
  const pad = 'x'.repeat(60_000);

  beforeAll(async () => {
    s = await tempStore();
    const doc = documentClient(s.raw);
    for (let i = 0; i < 30; i++)
      await doc.send(new PutCommand({ TableName: s.location.table, Item: { PK, SK: `item#${String(i).padStart(2, '0')}`, pad } }));
  }, 60_000);
  afterAll(() => s.dispose());

  const query = { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': PK }, ProjectionExpression: 'SK' };

  it('follows LastEvaluatedKey across pages and returns every item once, in key order', async () => {
    const { ctx, queries } = counted(s);
    const items = await queryItems<{ SK: string }>(ctx, { ...query, ProjectionExpression: undefined });
    expect(items.map((i) => i.SK)).toEqual(Array.from({ length: 30 }, (_, i) => `item#${String(i).padStart(2, '0')}`));
    expect(queries()).toBeGreaterThan(1);
  });

  it('stops at max, asking the later pages only for what is still wanted', async () => {
    const { ctx, queries } = counted(s);
    const items = await queryItems<{ SK: string }>(ctx, query, 7);
    expect(items.map((i) => i.SK)).toEqual(Array.from({ length: 7 }, (_, i) => `item#0${i}`));
    expect(queries()).toBe(1);
    expect(await queryItems(ctx, { ...query, ExpressionAttributeValues: { ':pk': 'TEST#empty' } })).toEqual([]);
  });
});
