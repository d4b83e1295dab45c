import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishStreamRecords, type PublisherOptions } from '../../shared/events/publisher.js';
import { entrySize, MAX_CALL_BYTES, MAX_ENTRIES_PER_CALL } from '../../shared/events/size.js';
import type { FindingEventDetail } from '../../shared/events/types.js';
import { findingChange, findingItem, streamRecord } from './stream-records.js';

const ebMock = mockClient(EventBridgeClient);
const client = new EventBridgeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const delays: number[] = [];
const opts = (extra: Partial<PublisherOptions> = {}): PublisherOptions => ({
  client,
  eventBusName: 'hardline-findings',
  backoff: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
  ...extra,
});

/** Every entry EventBridge was asked to put, call by call. */
const calls = (): PutEventsRequestEntry[][] => ebMock.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
const keyOf = (e: PutEventsRequestEntry) => (JSON.parse(e.Detail!) as { eventKey: string }).eventKey;
const accepted = (entries: readonly PutEventsRequestEntry[]): PutEventsResultEntry[] => entries.map((_, i) => ({ EventId: `id-${i}` }));
const opened = (n: number, extra: Parameters<typeof findingItem>[0] = {}) =>
  Array.from({ length: n }, (_, i) => findingChange(undefined, 'OPEN', { name: `web-${i}`, ...extra }));

beforeEach(() => {
  ebMock.reset();
  delays.length = 0;
});

describe('publishStreamRecords', () => {
  it('sends every lifecycle change once, in calls of at most 10 entries, on the configured bus', async () => {
    ebMock
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: accepted(input.Entries) }));
    const steady = findingItem({ name: 'steady', version: 2 });
    const records = [...opened(23), streamRecord({ ...steady, lastSeen: '2026-12-01T00:00:00.000Z' }, steady)];
    const out = await publishStreamRecords(records, opts());
    expect(out).toMatchObject({ published: 23, withoutEvent: 1, batchItemFailures: [], putEventsCalls: 3 });
    expect(calls().map((c) => c.length)).toEqual([10, 10, 3]);
    expect(ebMock).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: expect.arrayContaining([
        expect.objectContaining({ EventBusName: 'hardline-findings', Source: 'hardline', DetailType: 'Finding Opened' }),
      ]),
    });
    expect(new Set(calls().flat().map(keyOf)).size).toBe(23);
  });

  it('retries only the entries EventBridge rejected, with growing jittered delays', async () => {
    const records = opened(5);
    ebMock
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure' },
          { EventId: 'e' },
        ],
      })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'b' }, { ErrorCode: 'InternalFailure' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'd' }] });
    const out = await publishStreamRecords(records, opts());
    const [first, second, third] = calls();
    expect(first).toHaveLength(5);
    expect(second!.map(keyOf)).toEqual([first![1]!, first![3]!].map(keyOf));
    expect(third!.map(keyOf)).toEqual([first![3]!].map(keyOf));
    expect(second![0]).toEqual(first![1]);
    expect(out).toMatchObject({ published: 5, batchItemFailures: [], putEventsCalls: 3 });
    expect(delays).toEqual([50, 100]);
  });

  it('entries still failing after the last attempt become batchItemFailures of exactly their records', async () => {
    const records = opened(4);
    ebMock.on(PutEventsCommand).callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 1,
      Entries: input.Entries.map((e) =>
        keyOf(e) === keyOf(calls()[0]![2]!) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'boom' } : { EventId: 'ok' },
      ),
    }));
    const out = await publishStreamRecords(records, opts());
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 4);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: records[2]!.dynamodb!.SequenceNumber }]);
    expect(out.failed[0]!.reason).toBe('InternalFailure: boom');
    expect(out.published).toBe(3);
  });

  it('a permanent error code is not retried', async () => {
    ebMock.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'bad' }] });
    const records = opened(1);
    const out = await publishStreamRecords(records, opts());
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: records[0]!.dynamodb!.SequenceNumber }]);
  });

  it('a call that throws is retried as a whole and reported when it keeps throwing', async () => {
    ebMock
      .on(PutEventsCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: accepted(input.Entries) }));
    expect((await publishStreamRecords(opened(3), opts())).batchItemFailures).toEqual([]);
    expect(calls().map((c) => c.length)).toEqual([3, 3]);

    ebMock.reset();
    ebMock.on(PutEventsCommand).rejects(Object.assign(new Error('no such bus'), { name: 'ResourceNotFoundException' }));
    const records = opened(2);
    const out = await publishStreamRecords(records, opts());
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(records.map((r) => r.dynamodb!.SequenceNumber));
  });

  it('failures are reported in sequence order (Lambda checkpoints at the lowest) and malformed records fail alone', async () => {
    ebMock.on(PutEventsCommand).callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((e) =>
        (JSON.parse(e.Detail!) as FindingEventDetail).resource.name === 'web-0' ? { ErrorCode: 'InternalFailure' } : { EventId: 'ok' },
      ),
    }));
    const { severity: _dropped, ...broken } = findingItem({ name: 'broken' });
    // Sequence numbers are numeric strings of varying length: order them as numbers, not text.
    const high = '999999999999999999999999';
    const records = [streamRecord(broken, undefined, '5'), streamRecord(broken, undefined, high), ...opened(3)];
    const out = await publishStreamRecords(records, opts());
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['5', records[2]!.dynamodb!.SequenceNumber, high]);
    expect(out.failed.find((f) => f.sequenceNumber === '5')!.reason).toMatch(/malformed record: .*severity/);
    expect(out.published).toBe(2);
  });

  it('a redelivered record produces the very same entry (no second distinct event)', async () => {
    ebMock
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: accepted(input.Entries) }));
    const record = findingChange('OPEN', 'RESOLVED', { version: 7 });
    await publishStreamRecords([record], opts());
    await new Promise((r) => setTimeout(r, 5)); // a later delivery: the clock moved on
    await publishStreamRecords([structuredClone(record)], opts());
    const [first, second] = calls();
    expect(second).toEqual(first);
    expect(keyOf(first![0]!)).toBe(`finding:${findingItem().findingId}:8`);
    // Delivered twice in the same batch (a retried shard iterator): one event, both records covered.
    ebMock.resetHistory();
    const out = await publishStreamRecords([record, structuredClone(record)], opts());
    expect(calls().flat()).toHaveLength(1);
    expect(out.published).toBe(1);
  });

  it('respects the 256 KB call limit with entries crafted around it', async () => {
    ebMock
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => ({ FailedEntryCount: 0, Entries: accepted(input.Entries) }));
    // ~60 KB each: four fit a call (≈240 KB), a fifth would cross 256 KB.
    const records = opened(9, { evidence: { blob: 'x'.repeat(60_000) } });
    const huge = findingChange(undefined, 'OPEN', { name: 'huge', evidence: { blob: 'y'.repeat(300_000) } });
    const out = await publishStreamRecords([...records, huge], opts());
    expect(out).toMatchObject({ published: 10, shrunk: 1, batchItemFailures: [] });
    for (const call of calls()) {
      expect(call.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_CALL);
      expect(call.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(MAX_CALL_BYTES);
    }
    expect(calls().map((c) => c.length)).toEqual([4, 4, 2]);
    const shrunk = calls()
      .flat()
      .find((e) => e.Detail!.includes('"huge"'))!;
    expect(JSON.parse(shrunk.Detail!)).toMatchObject({ evidenceDropped: true });
  });

  it('a record without a SequenceNumber fails the invocation (the whole batch is retried)', async () => {
    const record = opened(1)[0]!;
    delete record.dynamodb!.SequenceNumber;
    await expect(publishStreamRecords([record], opts())).rejects.toThrow(/SequenceNumber/);
    expect(ebMock).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });
});
