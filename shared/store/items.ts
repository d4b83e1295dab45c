import type { Finding } from '../findings/types.js';
import type { Summary, TargetReport, TargetStatus } from '../report/model.js';
import type { Target } from '../inventory/types.js';

/**
 * The single-table item contract. The store (shared/store) writes these; the stream publisher
 * (shared/events) reads them from DynamoDB stream images (`unmarshall(NewImage)`), so every item
 * carries an `entity` discriminator and the full domain object as top-level attributes.
 * Fields may be added; the ones below are relied on by the publisher and must keep their meaning.
 */
export interface ItemKeys {
  PK: string;
  SK: string;
  [gsiKey: string]: unknown;
}

/** Current state of one finding. `version` increases by one on every state change (idempotency key for events). */
export interface FindingItem extends ItemKeys, Finding {
  entity: 'finding';
  version: number;
}

export interface ScanItem extends ItemKeys {
  entity: 'scan';
  scanId: string;
  startedAt: string;
  finishedAt?: string;
  status: 'RUNNING' | 'COMPLETED';
  framework?: string;
  summary?: Summary;
  targets: TargetReport[];
}

/** One target's latest scan outcome (the per-scan target marker). */
export interface TargetItem extends ItemKeys, Target {
  entity: 'target';
  lastScanId: string;
  lastScannedAt: string;
  lastStatus: TargetStatus;
  lastReason?: string;
  version: number;
}

export type StoreItem = FindingItem | ScanItem | TargetItem | (ItemKeys & { entity: string });
