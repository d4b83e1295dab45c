import { describe, expect, it } from 'vitest';
import { findingEvent, scanCompletedEvent } from '../../shared/events/details.js';
import { chunkBySize, entrySize, fitEntry, MAX_CALL_BYTES, toEntry } from '../../shared/events/size.js';
import { findingImageSchema, scanImageSchema } from '../../shared/events/stream.js';
import type { FindingEventDetail, ScanCompletedDetail } from '../../shared/events/types.js';
import { findingItem, scanItem } from './stream-records.js';

describe('PutEvents entry size (EventBridge documentation method)', () => {
  it('counts Time as 14 bytes and the UTF-8 bytes of Source, DetailType, Detail and Resources', () => {
    const entry = {
      Source: 'hardline',
      DetailType: 'Finding Opened',
      Detail: '{"m":"é"}',
      Time: new Date(0),
      Resources: ['arn:aws:eks:x'],
      EventBusName: 'ignored-bus-name',
    };
    expect(entrySize(entry)).toBe(14 + 8 + 14 + 10 + 13); // "é" is 2 bytes in UTF-8;
    expect(entrySize({ ...entry, Time: undefined })).toBe(8 + 14 + 10 + 13);
  });
});

describe('chunking', () => {
  it('never more than 10 entries nor more than the byte limit per chunk, order kept', () => {
    const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, 100, 100];
    const chunks = chunkBySize(sizes, (n) => n, 10, 250);
    expect(chunks.flat()).toEqual(sizes);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(10);
      expect(c.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(250);
    }
    expect(chunks.map((c) => c.length)).toEqual([10, 4, 1]);
  });

  it('two entries of exactly half the limit share a call; one byte more splits them', () => {
    const half = MAX_CALL_BYTES / 2;
    expect(chunkBySize([half, half], (n) => n)).toHaveLength(1);
    expect(chunkBySize([half, half + 1], (n) => n)).toHaveLength(2);
  });
});

describe('oversized events are shrunk, not lost', () => {
  const bigFinding = (evidenceBytes: number, messageBytes = 10) =>
    findingEvent(
      'Finding Opened',
      findingImageSchema.parse(findingItem({ message: 'm'.repeat(messageBytes), evidence: { blob: 'x'.repeat(evidenceBytes) } })),
    );

  it('an event at exactly 256 KB is sent as is; one byte more drops the evidence and says so', () => {
    const probe = toEntry(bigFinding(0), 'bus');
    const padding = MAX_CALL_BYTES - entrySize(probe);
    const exact = toEntry(bigFinding(padding), 'bus');
    expect(entrySize(exact)).toBe(MAX_CALL_BYTES);
    expect(fitEntry(bigFinding(padding), 'bus')).toEqual(exact);

    const over = fitEntry(bigFinding(padding + 1), 'bus')!;
    expect(entrySize(over)).toBeLessThanOrEqual(MAX_CALL_BYTES);
    const detail = JSON.parse(over.Detail!) as FindingEventDetail;
    expect(detail.evidence).toBeUndefined();
    expect(detail.evidenceDropped).toBe(true);
    expect(detail.findingId).toBe(findingItem().findingId);
  });

  it('a message too long on its own is cut, the finding identity kept', () => {
    const entry = fitEntry(bigFinding(10, 300_000), 'bus')!;
    expect(entrySize(entry)).toBeLessThanOrEqual(MAX_CALL_BYTES);
    const detail = JSON.parse(entry.Detail!) as FindingEventDetail;
    expect(detail.message).toMatch(/… \[truncated\]$/);
    expect(detail.eventKey).toBe(`finding:${findingItem().findingId}:1`);
  });

  it('a huge Scan Completed keeps complete counts and the failing targets first', () => {
    const targets = Array.from({ length: 3000 }, (_, i) => ({
      kind: 'cluster' as const,
      accountId: String(100000000000 + (i % 200)),
      region: 'eu-west-1',
      name: `cluster-${i}-${'n'.repeat(60)}`,
      status: i % 100 === 0 ? ('ERROR' as const) : ('OK' as const),
      ...(i % 100 === 0 ? { reason: 'AssumeRole denied' } : {}),
      resources: 100,
      gaps: 0,
    }));
    const event = scanCompletedEvent(scanImageSchema.parse(scanItem({ targets })));
    expect(entrySize(toEntry(event, 'bus'))).toBeGreaterThan(MAX_CALL_BYTES);
    const entry = fitEntry(event, 'bus')!;
    expect(entrySize(entry)).toBeLessThanOrEqual(MAX_CALL_BYTES);
    const detail = JSON.parse(entry.Detail!) as ScanCompletedDetail;
    expect(detail.targetCounts).toEqual({ OK: 2970, ERROR: 30, PARTIAL: 0, UNKNOWN: 0 });
    expect(detail.targets.length + detail.targetsOmitted!).toBe(3000);
    expect(detail.targets.filter((t) => t.status === 'ERROR')).toHaveLength(30);
  });
});
