import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ConfigError, describeError } from '../core/errors.js';
import { INDEX } from './keys.js';

/** Attribute holding the TTL (epoch seconds) of resolved findings and their history. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The single table (TABLE.md). The CDK construct declares the same keys and indexes; the
 * embedded store creates it from here. Projections are ALL: the API answers from an index alone.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const indexes = Object.values(INDEX);
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['PK', 'SK', ...indexes.flatMap((i) => [i.pk, i.sk])].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.pk, KeyType: 'HASH' },
        { AttributeName: i.sk, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates the table when missing and waits until it is ACTIVE (embedded store only). */
export async function ensureTable(client: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<void> {
  try {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (c) {
      if (!(c instanceof ResourceInUseException)) throw c;
    }
  }
  // waitUntilTableExists refuses delays below 20 s; dynalite needs a few ms.
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
    await sleep(10);
  }
  throw new ConfigError(`table ${tableName} did not become ACTIVE within ${timeoutMs} ms`);
}

/** Checks that a configured (AWS) table exists, with an error that says what to do. */
export async function checkTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (e) {
    if (e instanceof ResourceNotFoundException) {
      throw new ConfigError(
        `findings table '${tableName}' (HARDLINE_TABLE) does not exist in this account/region; deploy the stack or unset HARDLINE_TABLE to use the embedded store`,
      );
    }
    throw new ConfigError(`cannot open findings table '${tableName}': ${describeError(e)}`, { cause: e });
  }
}
