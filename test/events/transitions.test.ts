import { describe, expect, it } from 'vitest';
import { InputError } from '../../shared/core/errors.js';
import { streamRecordSchema } from '../../shared/events/stream.js';
import { eventForRecord, findingTransition } from '../../shared/events/transitions.js';
import { findingChange, findingItem, scanItem, streamRecord, targetItem } from './stream-records.js';

const eventOf = (record: unknown) => eventForRecord(streamRecordSchema.parse(record));

describe('lifecycle transitions → detail-types', () => {
  it.each([
    [undefined, 'OPEN', 'Finding Opened'],
    ['OPEN', 'RESOLVED', 'Finding Resolved'],
    ['EXEMPTED', 'RESOLVED', 'Finding Resolved'],
    ['RESOLVED', 'OPEN', 'Finding Reopened'],
    ['EXEMPTED', 'OPEN', 'Finding Reopened'],
    ['OPEN', 'EXEMPTED', 'Finding Exempted'],
    [undefined, 'EXEMPTED', 'Finding Exempted'],
    ['OPEN', 'OPEN', undefined],
    ['EXEMPTED', 'EXEMPTED', undefined],
    [undefined, 'RESOLVED', undefined],
  ] as const)('%s → %s gives %s', (from, to, expected) => {
    expect(findingTransition(from, to)).toBe(expected);
    expect(eventOf(findingChange(from, to))?.detailType).toBe(expected);
  });

  it('a rescan that only moves lastSeen makes no event', () => {
    const prev = findingItem({ version: 3 });
    expect(eventOf(streamRecord({ ...prev, lastSeen: '2026-12-01T00:00:00.000Z' }, prev))).toBeUndefined();
  });

  it('REMOVE records (TTL of resolved history) and other entities make no event', () => {
    expect(eventOf(streamRecord(undefined, findingItem()))).toBeUndefined();
    expect(eventOf(streamRecord({ PK: 'EXEMPTION#1', SK: 'X', entity: 'exemption', controlId: 'workload.privileged' }))).toBeUndefined();
  });

  it('the finding detail carries the finding, its placement and OCSF class fields', () => {
    const event = eventOf(findingChange('OPEN', 'RESOLVED', { version: 4 }))!;
    expect(event.detailType).toBe('Finding Resolved');
    expect(event.time).toBe('2026-11-30T12:00:00.000Z');
    expect(event.resources).toEqual(['arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu']);
    expect(event.detail).toMatchObject({
      eventKey: `finding:${findingItem().findingId}:5`,
      version: 5,
      controlId: 'workload.privileged',
      title: expect.stringMatching(/privileged/i),
      severity: 'critical',
      state: 'RESOLVED',
      previousState: 'OPEN',
      account: '111122223333',
      region: 'eu-west-1',
      cluster: 'prod-eu',
      resource: { kind: 'Deployment', namespace: 'shop', name: 'web', container: 'nginx' },
      remediation: expect.any(String),
      class_uid: 2003,
      category_uid: 2,
      activity_id: 3,
      type_uid: 200303,
      severity_id: 5,
      status_id: 4,
      compliance: { control: 'workload.privileged', status_id: 3 },
    });
  });

  it('scan items make Scan Completed once, when they become COMPLETED', () => {
    const running = scanItem({ status: 'RUNNING' });
    delete running.finishedAt;
    const done = scanItem();
    expect(eventOf(streamRecord(running))).toBeUndefined();
    const event = eventOf(streamRecord(done, running))!;
    expect(event.detailType).toBe('Scan Completed');
    expect(event.detail).toMatchObject({
      scanId: 'scan-1',
      targetCounts: { OK: 1, UNKNOWN: 1, PARTIAL: 0, ERROR: 0 },
      counts: { score: 0.7692 },
    });
    expect(eventOf(streamRecord({ ...done, summary: done.summary }, done))).toBeUndefined();
  });

  it('target markers make Target Failed once per failed scan', () => {
    const ok = targetItem({ lastScanId: 'scan-1', lastStatus: 'OK' });
    delete ok.lastReason;
    const failed = targetItem();
    const event = eventOf(streamRecord(failed, ok))!;
    expect(event.detailType).toBe('Target Failed');
    expect(event.detail).toMatchObject({
      status: 'ERROR',
      reason: 'AssumeRole denied',
      scanId: 'scan-2',
      cluster: 'prod-eu',
      account: '111122223333',
    });
    expect(eventOf(streamRecord({ ...failed, version: 3 }, failed))).toBeUndefined();
    expect(eventOf(streamRecord(targetItem({ lastScanId: 'scan-3', lastStatus: 'UNKNOWN' }), failed))?.detailType).toBe('Target Failed');
    expect(eventOf(streamRecord(targetItem({ lastScanId: 'scan-3', lastStatus: 'PARTIAL' }), failed))).toBeUndefined();
  });

  it('a finding item that breaks the store contract is an InputError, not a silent skip', () => {
    const { severity: _gone, ...broken } = findingItem();
    expect(() => eventOf(streamRecord(broken))).toThrow(InputError);
    expect(() => eventOf(streamRecord(broken))).toThrow(/severity/);
  });
});
