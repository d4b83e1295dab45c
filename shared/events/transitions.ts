import type { FindingState } from '../findings/types.js';
import { findingEvent, scanCompletedEvent, targetFailedEvent } from './details.js';
import { parseImage, type FindingImage, type ScanImage, type StreamRecord, type TargetImage } from './stream.js';
import type { FindingDetailType, HardlineEvent } from './types.js';

/**
 * Which lifecycle change a stream record is, if any. Only state changes make events: a rescan that
 * merely bumps lastSeen, a REMOVE (TTL expiry of history) or an item of another entity makes none.
 */
export function findingTransition(oldState: FindingState | undefined, newState: FindingState): FindingDetailType | undefined {
  if (oldState === newState) return undefined;
  if (newState === 'EXEMPTED') return 'Finding Exempted';
  if (newState === 'RESOLVED') return oldState === undefined ? undefined : 'Finding Resolved';
  // newState OPEN: first sighting, or back after being resolved or after the exemption ended.
  return oldState === undefined ? 'Finding Opened' : 'Finding Reopened';
}

function findingRecordEvent(next: FindingImage, prev: FindingImage | undefined): HardlineEvent | undefined {
  const type = findingTransition(prev?.state, next.state);
  return type ? findingEvent(type, next, prev?.state) : undefined;
}

function scanRecordEvent(next: ScanImage, prev: ScanImage | undefined): HardlineEvent | undefined {
  return next.status === 'COMPLETED' && prev?.status !== 'COMPLETED' ? scanCompletedEvent(next) : undefined;
}

function targetRecordEvent(next: TargetImage, prev: TargetImage | undefined): HardlineEvent | undefined {
  const status = next.lastStatus;
  if (status !== 'ERROR' && status !== 'UNKNOWN') return undefined;
  // One event per failed scan of the target: a rewrite of the same scan's marker is not news.
  const sameScan = prev !== undefined && prev.lastScanId === next.lastScanId && prev.lastStatus === status;
  return sameScan ? undefined : targetFailedEvent({ ...next, lastStatus: status });
}

/** The event a stream record stands for, or undefined. Throws InputError on a malformed item. */
export function eventForRecord(record: StreamRecord): HardlineEvent | undefined {
  if (record.eventName === 'REMOVE') return undefined;
  const { NewImage, OldImage } = record.dynamodb;
  if (!NewImage) return undefined;
  const next = parseImage(NewImage);
  const prev = OldImage ? parseImage(OldImage) : undefined;
  switch (next.entity) {
    case 'finding':
      return findingRecordEvent(next.item, prev?.entity === 'finding' ? prev.item : undefined);
    case 'scan':
      return scanRecordEvent(next.item, prev?.entity === 'scan' ? prev.item : undefined);
    case 'target':
      return targetRecordEvent(next.item, prev?.entity === 'target' ? prev.item : undefined);
    case 'other':
      return undefined;
  }
}
