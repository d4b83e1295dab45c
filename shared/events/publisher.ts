import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { awsErrorName, isPermanentAwsError } from '../core/aws-errors.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../core/backoff.js';
import { describeError, InputError } from '../core/errors.js';
import { chunkBySize, entrySize, fitEntry, toEntry } from './size.js';
import { streamRecordSchema } from './stream.js';
import { eventForRecord } from './transitions.js';
import type { HardlineEvent } from './types.js';

export type PublishLog = (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

export interface PublisherOptions {
  client: EventBridgeClient;
  eventBusName: string;
  backoff?: Partial<BackoffOptions>;
  log?: PublishLog;
}

export interface RecordFailure {
  sequenceNumber: string;
  reason: string;
}

export interface PublishOutcome {
  /** What the Lambda returns for ReportBatchItemFailures (see publishStreamRecords). */
  batchItemFailures: { itemIdentifier: string }[];
  /** Distinct events EventBridge accepted. */
  published: number;
  /** Records that are not a lifecycle change (no event). */
  withoutEvent: number;
  /** Events shrunk to fit the size limit (evidence dropped or texts cut). */
  shrunk: number;
  failed: RecordFailure[];
  putEventsCalls: number;
}

interface Pending {
  key: string;
  entry: PutEventsRequestEntry;
  size: number;
  sequenceNumbers: string[];
  lastError?: string;
}

const sequenceOnly = z.object({ dynamodb: z.object({ SequenceNumber: z.string().min(1) }) });
const bySequence = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

/**
 * DynamoDB stream batch → events → PutEvents (≤ 10 entries, ≤ 256 KB per call), retrying only the
 * entries EventBridge rejected, with exponential backoff and jitter, for a bounded number of attempts.
 *
 * Partial batch response: with ReportBatchItemFailures on a DynamoDB stream, Lambda takes the
 * failed record with the LOWEST sequence number as checkpoint and redelivers it and every record
 * after it, successes included. Returning all failed records (sorted) is therefore what Lambda
 * requires and gives it the same checkpoint; the successes after the checkpoint are sent again on
 * redelivery, which is harmless because an event is a pure function of its record (same detail,
 * same Time, same `eventKey` = findingId + version), so consumers dedupe on eventKey.
 */
export async function publishStreamRecords(records: readonly unknown[], opts: PublisherOptions): Promise<PublishOutcome> {
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const log = opts.log ?? (() => undefined);
  const outcome: PublishOutcome = { batchItemFailures: [], published: 0, withoutEvent: 0, shrunk: 0, failed: [], putEventsCalls: 0 };
  const pending = new Map<string, Pending>();

  for (const raw of records) {
    const id = sequenceOnly.safeParse(raw);
    // Without a SequenceNumber the record cannot be reported on its own; failing the invocation
    // makes Lambda retry the whole batch (and bisect it, when configured) instead of losing it.
    if (!id.success) throw new InputError('stream record without dynamodb.SequenceNumber');
    const seq = id.data.dynamodb.SequenceNumber;
    let event: HardlineEvent | undefined;
    try {
      event = eventForRecord(streamRecordSchema.parse(raw));
    } catch (e) {
      outcome.failed.push({ sequenceNumber: seq, reason: `malformed record: ${describeError(e)}` });
      log('error', 'stream record could not be turned into an event', { sequenceNumber: seq, error: describeError(e) });
      continue;
    }
    if (!event) {
      outcome.withoutEvent++;
      continue;
    }
    const key = event.detail.eventKey;
    const known = pending.get(key);
    // The same version delivered twice in one batch is one event.
    if (known) {
      known.sequenceNumbers.push(seq);
      continue;
    }
    const entry = fitEntry(event, opts.eventBusName);
    if (!entry) {
      outcome.failed.push({ sequenceNumber: seq, reason: 'event exceeds the PutEvents size limit even when shrunk' });
      continue;
    }
    if (entry.Detail !== toEntry(event, opts.eventBusName).Detail) {
      outcome.shrunk++;
      log('warn', 'event shrunk to fit the PutEvents size limit', { eventKey: key, detailType: event.detailType });
    }
    pending.set(key, { key, entry, size: entrySize(entry), sequenceNumbers: [seq] });
  }

  let queue = [...pending.values()];
  for (let attempt = 1; queue.length > 0 && attempt <= backoff.maxAttempts; attempt++) {
    if (attempt > 1) await backoff.sleep(backoffDelay(attempt - 1, backoff));
    const retry: Pending[] = [];
    for (const chunk of chunkBySize(queue, (p) => p.size)) {
      outcome.putEventsCalls++;
      const rejected = await putChunk(opts.client, chunk);
      for (const p of chunk) {
        const error = rejected.get(p);
        if (error === undefined) {
          outcome.published++;
          continue;
        }
        p.lastError = error.message ? `${error.code}: ${error.message}` : error.code;
        if (isPermanentAwsError(error.code)) markFailed(outcome, p);
        else retry.push(p);
      }
    }
    if (retry.length > 0)
      log('warn', 'PutEvents rejected entries', { attempt, rejected: retry.length, errors: [...new Set(retry.map((p) => p.lastError))] });
    queue = retry;
  }
  for (const p of queue) markFailed(outcome, p);

  const failedSequences = [...new Set(outcome.failed.map((f) => f.sequenceNumber))].sort(bySequence);
  outcome.batchItemFailures = failedSequences.map((itemIdentifier) => ({ itemIdentifier }));
  return outcome;
}

function markFailed(outcome: PublishOutcome, p: Pending): void {
  for (const seq of p.sequenceNumbers) outcome.failed.push({ sequenceNumber: seq, reason: p.lastError ?? 'not accepted' });
}

/** One PutEvents call; returns the entries that were not accepted with their error code. */
async function putChunk(client: EventBridgeClient, chunk: readonly Pending[]): Promise<Map<Pending, { code: string; message: string }>> {
  const rejected = new Map<Pending, { code: string; message: string }>();
  try {
    const out = await client.send(new PutEventsCommand({ Entries: chunk.map((p) => p.entry) }));
    const results = out.Entries ?? [];
    // Entries[i] answers request entry i; an entry without EventId (or a missing answer when the
    // call reports failures) was not accepted.
    chunk.forEach((p, i) => {
      const r = results[i];
      if (r?.EventId && !r.ErrorCode) return;
      if (!r && (out.FailedEntryCount ?? 0) === 0 && results.length === 0) return;
      rejected.set(p, { code: r?.ErrorCode ?? 'NoEventId', message: r?.ErrorMessage ?? '' });
    });
  } catch (e) {
    // The SDK has already retried throttling and transient network errors once or more; the whole
    // chunk goes back into our bounded loop unless the error is permanent.
    const error = { code: awsErrorName(e), message: describeError(e) };
    for (const p of chunk) rejected.set(p, error);
  }
  return rejected;
}
