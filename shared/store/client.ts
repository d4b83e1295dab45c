import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every store function needs: the document client and the table. */
export interface StoreContext {
  doc: DynamoDBDocumentClient;
  table: string;
  /**
   * The embedded store (dynalite): its indexes are updated within each write, so index reads are
   * consistent, and writes may be batched (shared/store/bulk-create.ts). In AWS every write is a
   * single-item request, as the scanner roles allow.
   */
  embedded?: boolean;
}

export function documentClient(raw: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(raw, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ maxAttempts: 5, ...config });
}

/** Write traffic seen by a client: requests sent and items they carried. */
export interface WriteCounter {
  requests: number;
  items: number;
  byCommand: Record<string, number>;
  /** Items written, by kind of item (from the keys): finding, finding-event, target, scan, exemption, other. */
  itemsByKind: Record<string, number>;
  reset(): void;
}

function keyString(v: unknown): string {
  if (typeof v === 'string') return v;
  const s = v !== null && typeof v === 'object' ? (v as { S?: unknown }).S : undefined;
  return typeof s === 'string' ? s : '';
}

/** Which item a write touches, from its keys (works on native and marshalled input). */
export function itemKind(key: Record<string, unknown> | undefined): string {
  const pk = keyString(key?.['PK']);
  const sk = keyString(key?.['SK']);
  if (pk.startsWith('FINDING#')) return sk === 'CURRENT' ? 'finding' : 'finding-event';
  if (pk.startsWith('TARGET#')) return 'target';
  if (pk.startsWith('SCAN#')) return 'scan';
  if (pk === 'EXEMPTIONS') return 'exemption';
  return 'other';
}

type WriteInput = {
  Item?: Record<string, unknown>;
  Key?: Record<string, unknown>;
  RequestItems?: Record<string, { PutRequest?: { Item?: Record<string, unknown> }; DeleteRequest?: { Key?: Record<string, unknown> } }[]>;
};

function writtenKinds(name: string, input: WriteInput): string[] {
  if (name === 'BatchWriteItemCommand') {
    return Object.values(input.RequestItems ?? {}).flatMap((l) => l.map((r) => itemKind(r.PutRequest?.Item ?? r.DeleteRequest?.Key)));
  }
  return [itemKind(input.Item ?? input.Key)];
}

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

/**
 * Counts write requests on a client (a middleware, so every path is seen — used by the benchmark
 * and the steady-state test to prove a rescan writes almost nothing).
 */
export function countWrites(client: DynamoDBClient): WriteCounter {
  const counter: WriteCounter = {
    requests: 0,
    items: 0,
    byCommand: {},
    itemsByKind: {},
    reset() {
      this.requests = 0;
      this.items = 0;
      this.byCommand = {};
      this.itemsByKind = {};
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context as { commandName?: string }).commandName ?? '';
      if (WRITE_COMMANDS.has(name)) {
        counter.requests++;
        counter.byCommand[name] = (counter.byCommand[name] ?? 0) + 1;
        for (const kind of writtenKinds(name, args.input as WriteInput)) {
          counter.items++;
          counter.itemsByKind[kind] = (counter.itemsByKind[kind] ?? 0) + 1;
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'hardlineWriteCounter' },
  );
  return counter;
}
