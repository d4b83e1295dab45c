import {
  CreateTableCommand,
  DeleteTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../shared/store/client.js';
import { coalesced } from '../../shared/store/dynalite-tuning.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/store/embedded.js';
import { idTable, retry } from './support.js';

let engine: EmbeddedDynamo | undefined;
let client: DynamoDBClient | undefined;
let dir: string | undefined;

async function start(): Promise<DynamoDBClient> {
  dir = mkdtempSync(join(tmpdir(), 'hardline-tuning-'));
  engine = await startEmbeddedDynamo(dir);
  client = createDynamoClient({
    region: 'us-east-1',
    endpoint: engine.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return client;
}

afterEach(async () => {
  client?.destroy();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  engine = client = dir = undefined;
});

const waitActive = (db: DynamoDBClient, name: string) =>
  retry(() => db.send(new GetItemCommand({ TableName: name, Key: { id: { S: 'probe' } } })));

const moving = (name: string): CreateTableCommandInput => ({
  TableName: name,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'id', AttributeType: 'S' },
    { AttributeName: 'g', AttributeType: 'S' },
    { AttributeName: 's', AttributeType: 'S' },
  ],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'byG',
      KeySchema: [
        { AttributeName: 'g', KeyType: 'HASH' },
        { AttributeName: 's', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});

describe('dynalite tuning (embedded store)', () => {
  it('reads and writes of many concurrent requests go to LevelDB in shared requests, and every index entry follows its item', async () => {
    const db = await start();
    await db.send(new CreateTableCommand(moving('moving')));
    await waitActive(db, 'moving');
    const before = { ...coalesced };
    // 20 items rewritten 10 times each, all at once: each rewrite moves the item's index entry.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        db.send(
          new PutItemCommand({
            TableName: 'moving',
            Item: { id: { S: `item-${i % 20}` }, g: { S: 'all' }, s: { S: `${String(i).padStart(3, '0')}-${i % 20}` } },
          }),
        ),
      ),
    );
    const writes = coalesced.writes - before.writes;
    const reads = coalesced.reads - before.reads;
    expect(writes).toBeGreaterThanOrEqual(200 * 2); // item + index entry each (+ moved entries deleted)
    expect(coalesced.batches - before.batches).toBeLessThan(writes / 2);
    expect(reads).toBeGreaterThanOrEqual(200); // the stored item, read before each write
    expect(coalesced.getManys - before.getManys).toBeLessThan(reads / 2);

    const index = await db.send(
      new QueryCommand({
        TableName: 'moving',
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'all' } },
      }),
    );
    expect(index.Items).toHaveLength(20);
    for (const entry of index.Items ?? []) {
      const item = await db.send(new GetItemCommand({ TableName: 'moving', Key: { id: entry['id']! }, ConsistentRead: true }));
      expect(item.Item?.['s']).toEqual(entry['s']);
    }
  });

  it('item requests see a table recreated with another key schema (the reused description is dropped)', async () => {
    const db = await start();
    await db.send(new CreateTableCommand(moving('moving')));
    await waitActive(db, 'moving');
    await db.send(new PutItemCommand({ TableName: 'moving', Item: { id: { S: 'a' }, g: { S: 'x' }, s: { S: 'y' } } }));
    await db.send(new DeleteTableCommand({ TableName: 'moving' }));
    // dynalite deletes the table's items first: create it again (another key schema) once it is gone, then use it.
    await retry(() =>
      db.send(
        new CreateTableCommand({
          TableName: 'moving',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'n', AttributeType: 'N' }],
          KeySchema: [{ AttributeName: 'n', KeyType: 'HASH' }],
        }),
      ),
    );
    await retry(() => db.send(new GetItemCommand({ TableName: 'moving', Key: { n: { N: '1' } } })));
    await db.send(new PutItemCommand({ TableName: 'moving', Item: { n: { N: '1' }, v: { S: 'new schema' } } }));
    await expect(db.send(new PutItemCommand({ TableName: 'moving', Item: { id: { S: 'b' } } }))).rejects.toThrow(/key/i);
    const out = await db.send(new GetItemCommand({ TableName: 'moving', Key: { n: { N: '1' } } }));
    expect(out.Item?.['v']).toEqual({ S: 'new schema' });
  });

  it('opens LevelDB with a write buffer that holds a bulk load of several MB without flushing it to table files', async () => {
    const db = await start();
    await db.send(new CreateTableCommand(idTable('big')));
    await waitActive(db, 'big');
    const blob = 'x'.repeat(300_000);
    // ~9 MB: LevelDB's default 4 MB buffer would have been written out as .ldb table files by now.
    for (let i = 0; i < 30; i++) await db.send(new PutItemCommand({ TableName: 'big', Item: { id: { S: `b${i}` }, blob: { S: blob } } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(readdirSync(join(dir!, 'data')).filter((f) => f.endsWith('.ldb'))).toEqual([]);
  });
});
