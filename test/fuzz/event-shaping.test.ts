import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishStreamRecords } from '../../shared/events/publisher.js';
import { entrySize, MAX_CALL_BYTES, MAX_ENTRIES_PER_CALL } from '../../shared/events/size.js';
import { streamRecordSchema } from '../../shared/events/stream.js';
import { eventForRecord } from '../../shared/events/transitions.js';
import type { FindingItem, ScanItem, TargetItem } from '../../shared/store/items.js';
import { findingItem, scanItem, streamRecord, targetItem } from '../events/stream-records.js';
import { fuzzOptions } from './arbitraries.js';

/**
 * Event shaping on arbitrary store items: whatever the sizes and characters (multi-byte UTF-8,
 * characters JSON escapes), every PutEvents call stays within 10 entries and 256 KB counted the way
 * EventBridge counts, and every stream record is accounted for — published, without event, or
 * reported as failed — never lost, never sent twice in one batch.
 */
const eb = mockClient(EventBridgeClient);
let calls: PutEventsRequestEntry[][] = [];
beforeEach(() => {
  eb.reset();
  calls = [];
  eb.on(PutEventsCommand).callsFake(async (input: { Entries: PutEventsRequestEntry[] }) => {
    calls.push(input.Entries);
    return { FailedEntryCount: 0, Entries: input.Entries.map((_, i) => ({ EventId: `e-${calls.length}-${i}` })) };
  });
});

const noWait = { sleep: async () => {}, random: () => 0 };
const CHARS = ['a', 'é', '😀', '"', '\\', '\u0001', '<', ' '];
/** A string of `n` copies of one character: sizes up to the limits without generating megabytes of random text. */
const sized = (max: number) => fc.tuple(fc.constantFrom(...CHARS), fc.nat(max)).map(([c, n]) => c.repeat(n));
/** Names as Kubernetes and AWS bound them (253 characters), in any characters. */
const name = fc.oneof(
  fc.string({ minLength: 1, maxLength: 63 }),
  sized(253).filter((s) => s.length > 0),
);

const finding: fc.Arbitrary<FindingItem> = fc
  .record({
    name,
    namespace: fc.option(name, { nil: undefined }),
    container: fc.option(name, { nil: undefined }),
    cluster: name,
    message: sized(400_000),
    evidence: fc.option(
      fc.dictionary(
        fc.string({ maxLength: 20 }),
        fc.oneof(sized(100_000), fc.array(sized(2_000), { maxLength: 20 }), fc.integer(), fc.boolean()),
      ),
      { nil: undefined },
    ),
    exemption: fc.option(sized(300_000), { nil: undefined }),
    state: fc.constantFrom('OPEN' as const, 'RESOLVED' as const, 'EXEMPTED' as const),
    controlId: fc.constantFrom('workload.privileged', 'rbac.wildcard', 'eks.audit-logging', 'not.in-the-catalog'),
    version: fc.nat(1000),
  })
  .map((f) =>
    findingItem({
      name: f.name,
      controlId: f.controlId,
      version: f.version + 1,
      state: f.state,
      target: {
        kind: 'cluster',
        accountId: '111122223333',
        region: 'eu-west-1',
        name: f.cluster,
        arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${f.cluster}`,
      },
      resource: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: f.name,
        ...(f.namespace ? { namespace: f.namespace } : {}),
        ...(f.container ? { container: f.container } : {}),
      },
      message: f.message,
      ...(f.evidence ? { evidence: f.evidence } : {}),
      ...(f.exemption !== undefined && f.state === 'EXEMPTED'
        ? { exempted: { by: 'file:x.yaml', reason: f.exemption, source: 'file:x.yaml' } }
        : {}),
      ...(f.state === 'RESOLVED' ? { resolvedAt: '2026-11-30T12:00:00.000Z' } : {}),
    }),
  );

const scan: fc.Arbitrary<ScanItem> = fc
  .array(fc.record({ name, failed: fc.boolean(), reason: sized(5_000) }), { maxLength: 4_000 })
  .map((targets) =>
    scanItem({
      targets: targets.map((t, i) => ({
        kind: 'cluster' as const,
        accountId: String(100000000000 + i),
        region: 'eu-west-1',
        name: t.name,
        status: t.failed ? ('ERROR' as const) : ('OK' as const),
        ...(t.failed ? { reason: t.reason } : {}),
        resources: 10,
        gaps: 0,
      })),
    }),
  );

const target: fc.Arbitrary<TargetItem> = fc
  .record({ name, reason: sized(400_000), scan: fc.stringMatching(/^[a-z0-9-]{1,36}$/) })
  .map((t) => targetItem({ name: t.name, lastReason: t.reason, lastScanId: t.scan }));

/** A record changing an item: a finding moving to its state, a scan completing, a target failing. */
const record = fc.oneof(
  finding.map((f) => streamRecord(f, f.state === 'OPEN' ? undefined : { ...f, state: 'OPEN', version: f.version - 1 })),
  scan.map((s) => streamRecord(s, { ...s, status: 'RUNNING' })),
  target.map((t) => streamRecord(t)),
);

function checkCalls(): void {
  for (const entries of calls) {
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.length).toBeLessThanOrEqual(MAX_ENTRIES_PER_CALL);
    expect(entries.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(MAX_CALL_BYTES);
    for (const e of entries) expect(() => JSON.parse(e.Detail!)).not.toThrow();
  }
}

describe('event shaping fuzzing', () => {
  it('keeps every PutEvents call within 10 entries and 256 KB, and accounts for every record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 25 }), async (records) => {
        calls = [];
        const out = await publishStreamRecords(records, {
          client: new EventBridgeClient({ region: 'eu-west-1' }),
          eventBusName: 'bus',
          backoff: noWait,
        });
        checkCalls();
        const sent = calls.flat();
        const keys = sent.map((e) => (JSON.parse(e.Detail!) as { eventKey: string }).eventKey);
        expect(new Set(keys).size).toBe(keys.length);
        expect(out.published).toBe(sent.length);
        // Names are bounded as Kubernetes and AWS bound them: every event can be shrunk to fit.
        expect(out.failed).toEqual([]);
        // The same answer computed record by record: one event per distinct eventKey, the rest without event.
        const expected = records.map((r) => eventForRecord(streamRecordSchema.parse(r))?.detail.eventKey);
        expect(new Set(keys)).toEqual(new Set(expected.filter((k) => k !== undefined)));
        expect(out.withoutEvent).toBe(expected.filter((k) => k === undefined).length);
      }),
      fuzzOptions(40),
    );
  });

  it('reports an event that cannot fit even when shrunk as a failed record, and sends nothing oversized', async () => {
    const huge = fc.tuple(sized(300_000), fc.constantFrom('a', 'é')).map(([s, c]) => c + s + c.repeat(270_000));
    await fc.assert(
      fc.asyncProperty(huge, record, async (hugeName, other) => {
        calls = [];
        const unfit = streamRecord(findingItem({ name: hugeName }));
        const out = await publishStreamRecords([other, unfit], {
          client: new EventBridgeClient({ region: 'eu-west-1' }),
          eventBusName: 'bus',
          backoff: noWait,
        });
        checkCalls();
        expect(out.failed.map((f) => f.sequenceNumber)).toContain(unfit.dynamodb!.SequenceNumber);
        expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toContain(unfit.dynamodb!.SequenceNumber);
      }),
      fuzzOptions(30),
    );
  });
});
