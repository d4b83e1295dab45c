import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, type HardlineEvent } from './types.js';

/** PutEvents quotas: at most 10 entries per call, and the entries of one call total at most 256 KB. */
export const MAX_ENTRIES_PER_CALL = 10;
export const MAX_CALL_BYTES = 256 * 1024;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * The size EventBridge charges an entry against the 256 KB limit, as its documentation computes
 * it ("Calculating PutEvents event entry size"): Time counts 14 bytes when set, plus the UTF-8
 * bytes of Source, DetailType, Detail and each Resources ARN. EventBusName does not count.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  size += utf8(entry.Source ?? '') + utf8(entry.DetailType ?? '') + utf8(entry.Detail ?? '');
  for (const r of entry.Resources ?? []) size += utf8(r);
  return size;
}

export function toEntry(event: HardlineEvent, eventBusName: string): PutEventsRequestEntry {
  return {
    EventBusName: eventBusName,
    Source: EVENT_SOURCE,
    DetailType: event.detailType,
    Detail: JSON.stringify(event.detail),
    Time: new Date(event.time),
    Resources: event.resources,
  };
}

const TRUNCATED = '… [truncated]';
function cut(s: string | undefined, max: number): string | undefined {
  return s === undefined || s.length <= max ? s : s.slice(0, Math.max(0, max - TRUNCATED.length)) + TRUNCATED;
}

/** Ever smaller versions of an event, each step giving up the least useful part first. */
function* shrinkSteps(event: HardlineEvent): Generator<HardlineEvent> {
  switch (event.detailType) {
    case 'Scan Completed': {
      const d = event.detail;
      // targetCounts stays complete; the list keeps the targets that need attention first.
      let kept = [...d.targets].sort((a, b) => Number(a.status === 'OK') - Number(b.status === 'OK'));
      while (kept.length > 0) {
        kept = kept.slice(0, Math.floor(kept.length / 2));
        yield { ...event, detail: { ...d, targets: kept, targetsOmitted: d.targets.length - kept.length } };
      }
      return;
    }
    case 'Target Failed': {
      for (const max of [4096, 512])
        yield { ...event, detail: { ...event.detail, ...(event.detail.reason ? { reason: cut(event.detail.reason, max)! } : {}) } };
      return;
    }
    default: {
      const d = event.detail;
      const { evidence: _dropped, ...rest } = d;
      const lean = d.evidence ? { ...rest, evidenceDropped: true as const } : rest;
      yield { ...event, detail: lean };
      for (const max of [8192, 1024, 256]) {
        yield {
          ...event,
          detail: {
            ...lean,
            message: cut(lean.message, max)!,
            ...(lean.remediation !== undefined ? { remediation: cut(lean.remediation, max)! } : {}),
            ...(lean.exemption ? { exemption: { ...lean.exemption, reason: cut(lean.exemption.reason, max)! } } : {}),
          },
        };
      }
    }
  }
}

/**
 * The event as a PutEvents entry that fits one call on its own. An oversized event is shrunk
 * (evidence dropped and flagged, long texts cut) rather than lost; undefined only if even the
 * smallest form is too big, which the caller reports as a failed record.
 */
export function fitEntry(event: HardlineEvent, eventBusName: string, maxBytes = MAX_CALL_BYTES): PutEventsRequestEntry | undefined {
  const entry = toEntry(event, eventBusName);
  if (entrySize(entry) <= maxBytes) return entry;
  for (const smaller of shrinkSteps(event)) {
    const e = toEntry(smaller, eventBusName);
    if (entrySize(e) <= maxBytes) return e;
  }
  return undefined;
}

/** Greedy chunks of ≤ 10 entries and ≤ 256 KB each, in order (every item must fit a call alone). */
export function chunkBySize<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  maxEntries = MAX_ENTRIES_PER_CALL,
  maxBytes = MAX_CALL_BYTES,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxEntries || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
