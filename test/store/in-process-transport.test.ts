import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../shared/store/client.js';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/store/embedded.js';
import { idTable, retry } from './support.js';

let engine: EmbeddedDynamo | undefined;
const clients: DynamoDBClient[] = [];
let dir: string | undefined;

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  engine = dir = undefined;
});

function client(endpoint: string, viaProcess: boolean): DynamoDBClient {
  const c = createDynamoClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...(viaProcess && engine?.requestHandler ? { requestHandler: engine.requestHandler } : {}),
  });
  clients.push(c);
  return c;
}

describe('in-process transport of the embedded store', () => {
  it('answers the owner without a socket, as the server answers other processes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hardline-transport-'));
    engine = await startEmbeddedDynamo(dir);
    expect(engine.requestHandler).toBeDefined();
    // Nothing listens on port 9: only a request that never touches the network gets an answer.
    const inProcess = client('http://127.0.0.1:9', true);
    const overHttp = client(engine.endpoint, false);
    const before = engine.writes!();
    await inProcess.send(new CreateTableCommand(idTable('transport')));
    await retry(() => inProcess.send(new PutItemCommand({ TableName: 'transport', Item: { id: { S: 'a' }, text: { S: 'é ✓ bytes' } } })));
    const put = new PutItemCommand({
      TableName: 'transport',
      Item: { id: { S: 'a' }, text: { S: 'second' } },
      ConditionExpression: 'attribute_not_exists(id)',
    });
    await expect(inProcess.send(put)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(overHttp.send(put)).rejects.toBeInstanceOf(ConditionalCheckFailedException);

    const viaProcess = await inProcess.send(new GetItemCommand({ TableName: 'transport', Key: { id: { S: 'a' } } }));
    const viaHttp = await overHttp.send(new GetItemCommand({ TableName: 'transport', Key: { id: { S: 'a' } } }));
    expect(viaProcess.Item).toEqual({ id: { S: 'a' }, text: { S: 'é ✓ bytes' } });
    expect(viaProcess.Item).toEqual(viaHttp.Item);
    await new Promise((r) => setImmediate(r));
    // The write counter sees in-process writes too (serve reuses answers only while it is unchanged).
    const after = engine.writes!();
    expect(after.started - before.started).toBeGreaterThanOrEqual(4);
    expect(after.finished).toBe(after.started);
  });
});
