import { BatchGetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Invocation } from './lambda.js';

/**
 * The DynamoDB stream the publisher would read. dynalite has no Streams, so the records are
 * derived: every invocation's write keys are recorded by a client middleware (lambda.ts); when the
 * invocation has ended, the current images of those items are read (consistent BatchGetItem) and
 * compared with the last image the stream emitted for each key — a changed item gives one record
 * with OldImage/NewImage (NEW_AND_OLD_IMAGES), an unchanged one none, as DynamoDB Streams do.
 * Invocations running at the same time write disjoint items (one target each; summarize runs
 * alone), so per-invocation diffs see every change. Several writes of one item inside one
 * invocation collapse into one record, which loses nothing a state transition could depend on:
 * one save writes a finding's state once.
 *
 * Only the items the publisher turns into events are followed (finding CURRENT, target, scan);
 * history and exemption items would be records without an event.
 */
type Image = Record<string, AttributeValue>;

const FOLLOWED = (key: string) =>
  (key.startsWith('FINDING#') && key.endsWith('|CURRENT')) ||
  (key.startsWith('TARGET#') && key.endsWith('|CURRENT')) ||
  (key.startsWith('SCAN#') && key.endsWith('|SCAN'));

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

export class SimulatedStream {
  readonly records: DynamoDBRecord[] = [];
  private readonly shadow = new Map<string, Image>();
  private sequence = 100_000_000_000_000_000_000n;

  constructor(
    private readonly raw: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** Appends the records of what one finished invocation changed. */
  async capture(inv: Invocation): Promise<number> {
    const keys = [...inv.touched].filter(FOLLOWED);
    const images = await this.read(keys);
    let added = 0;
    for (const key of keys.sort()) {
      const next = images.get(key);
      const prev = this.shadow.get(key);
      if (canonical(next) === canonical(prev)) continue;
      if (next) this.shadow.set(key, next);
      else this.shadow.delete(key);
      this.sequence += 1n;
      const [PK, SK] = key.split('|') as [string, string];
      this.records.push({
        eventID: `sim-${this.sequence}`,
        eventName: !prev ? 'INSERT' : !next ? 'REMOVE' : 'MODIFY',
        eventSource: 'aws:dynamodb',
        awsRegion: 'eu-west-1',
        dynamodb: {
          Keys: { PK: { S: PK }, SK: { S: SK } },
          SequenceNumber: String(this.sequence),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
          ...(next ? { NewImage: next as never } : {}),
          ...(prev ? { OldImage: prev as never } : {}),
        },
      });
      added++;
    }
    return added;
  }

  private async read(keys: readonly string[]): Promise<Map<string, Image>> {
    const out = new Map<string, Image>();
    for (let i = 0; i < keys.length; i += 100) {
      let request: Image[] | undefined = keys.slice(i, i + 100).map((k) => {
        const [PK, SK] = k.split('|') as [string, string];
        return { PK: { S: PK }, SK: { S: SK } };
      });
      while (request && request.length > 0) {
        const res = await this.raw.send(
          new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: request, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[this.table] ?? []) out.set(`${item['PK']?.S}|${item['SK']?.S}`, item);
        request = res.UnprocessedKeys?.[this.table]?.Keys as Image[] | undefined;
      }
    }
    return out;
  }
}

export interface Delivery {
  invocations: number;
  /** Records handed to the DLQ after the event source mapping's retries (must stay empty). */
  dlq: DynamoDBRecord[];
  /** Records delivered again after a partial batch failure. */
  redelivered: number;
}

/**
 * The event source mapping (batch size 100, ReportBatchItemFailures, 10 retries): a batch with
 * failures is retried from its lowest failed sequence number, the records after it included;
 * a record that keeps failing goes to the DLQ.
 */
export async function deliver(
  records: readonly DynamoDBRecord[],
  from: number,
  handler: (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>,
  opts: { batchSize?: number; retryAttempts?: number } = {},
): Promise<Delivery> {
  const size = opts.batchSize ?? 100;
  const retries = opts.retryAttempts ?? 10;
  const out: Delivery = { invocations: 0, dlq: [], redelivered: 0 };
  const context = {
    functionName: 'hardline-publish-events',
    awsRequestId: 'sim-stream',
    getRemainingTimeInMillis: () => 300_000,
  } as unknown as Context;
  let pos = from;
  let attempts = 0;
  let failedAt = -1;
  while (pos < records.length) {
    const batch = records.slice(pos, pos + size);
    out.invocations++;
    let failed: string | undefined;
    try {
      const res = await handler({ Records: [...batch] }, context);
      const ids = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      failed = batch.find((r) => ids.has(r.dynamodb!.SequenceNumber!))?.dynamodb!.SequenceNumber;
    } catch {
      failed = batch[0]!.dynamodb!.SequenceNumber; // the whole batch is retried
    }
    if (failed === undefined) {
      pos += batch.length;
      attempts = 0;
      continue;
    }
    const at = pos + batch.findIndex((r) => r.dynamodb!.SequenceNumber === failed);
    out.redelivered += pos + batch.length - at;
    // The retry count belongs to the record the checkpoint stopped at.
    attempts = at === failedAt ? attempts + 1 : 1;
    failedAt = at;
    pos = at;
    if (attempts > retries) {
      out.dlq.push(records[pos]!);
      pos++;
      attempts = 0;
    }
  }
  return out;
}
