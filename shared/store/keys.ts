import { createHash } from 'node:crypto';
import { type Severity, SEVERITY_RANK, type Target } from '../core/types.js';
import type { FindingState } from '../findings/types.js';

/**
 * Key layout of the single table (shared/store/TABLE.md). Keys hold ids, names and enum values —
 * never a message, evidence or anything a credential could hide in.
 */
export const INDEX = {
  byControl: { name: 'byControl', pk: 'GSI1PK', sk: 'GSI1SK' },
  bySeverityState: { name: 'bySeverityState', pk: 'GSI2PK', sk: 'GSI2SK' },
  byCluster: { name: 'byCluster', pk: 'GSI3PK', sk: 'GSI3SK' },
  byScan: { name: 'byScan', pk: 'GSI4PK', sk: 'GSI4SK' },
} as const;

export type IndexName = keyof typeof INDEX;

export type Keys = { PK: string; SK: string } & Record<string, string>;

export const CURRENT_SK = 'CURRENT';
export const TARGETS_PK = 'TARGETS';
export const EXEMPTIONS_PK = 'EXEMPTIONS';

/** A target's stable id: same construction as findingId, so names of any length fit in a key. */
export function targetId(t: Pick<Target, 'kind' | 'accountId' | 'region' | 'name'>): string {
  return createHash('sha256')
    .update([t.kind, t.accountId ?? '', t.region ?? '', t.name].join('|'))
    .digest('hex')
    .slice(0, 40);
}

/** Severity as a sortable digit: critical first. */
export function severityOrder(s: Severity): string {
  return String(4 - SEVERITY_RANK[s]);
}

/** Names are bounded in keys: DynamoDB sort keys stop at 1 KB, manifest paths can be longer. */
export function nameKey(name: string): string {
  if (name.length <= 120) return name;
  return `${name.slice(0, 100)}~${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

export const findingPk = (id: string) => `FINDING#${id}`;
export const eventSk = (version: number) => `EVENT#${String(version).padStart(6, '0')}`;
export const targetPk = (tid: string) => `TARGET#${tid}`;
export const scanPk = (scanId: string) => `SCAN#${scanId}`;
export const exemptionSk = (id: string) => `EXEMPTION#${id}`;
/**
 * Findings by id prefix (the short ids tables print), in the byScan index, spread over 256
 * partitions by the id's first two hex digits: a begins_with query, never a Scan.
 */
export const findingIdPrefixPk = (idPrefix: string) => `FINDINGS#${idPrefix.slice(0, 2)}`;

export interface FindingKeyFields {
  findingId: string;
  controlId: string;
  severity: Severity;
  state: FindingState;
  targetId: string;
  cluster: string;
}

/** Table and index keys of a finding's current item; they move with state and severity. */
export function findingKeys(f: FindingKeyFields): Keys {
  return {
    PK: findingPk(f.findingId),
    SK: CURRENT_SK,
    [INDEX.byControl.pk]: `CONTROL#${f.controlId}`,
    [INDEX.byControl.sk]: `${f.state}#${severityOrder(f.severity)}#${f.targetId}#${f.findingId}`,
    [INDEX.bySeverityState.pk]: `SEVERITY#${f.severity}#${f.state}`,
    [INDEX.bySeverityState.sk]: `${nameKey(f.cluster)}#${f.targetId}#${f.controlId}#${f.findingId}`,
    [INDEX.byCluster.pk]: targetPk(f.targetId),
    [INDEX.byCluster.sk]: `${f.state}#${severityOrder(f.severity)}#${f.controlId}#${f.findingId}`,
    [INDEX.byScan.pk]: findingIdPrefixPk(f.findingId),
    [INDEX.byScan.sk]: f.findingId,
  };
}

/** The UTC day (YYYY-MM-DD) of an ISO time: the history's day partitions. */
export function historyDay(at: string): string {
  const t = Date.parse(at);
  return Number.isNaN(t) ? at.slice(0, 10) : new Date(t).toISOString().slice(0, 10);
}

/** A day's history events across the fleet, newest last (`GET /trends`, `GET /changes`). */
export const historyDayPk = (day: string) => `HISTORY#${day}`;

/**
 * Keys of one history event: under its finding, in its scan's partition of byScan, and in its
 * day's partition of byControl (time-ordered), so trends and the newest changes are queries.
 */
export function eventKeys(findingId: string, version: number, scanId: string, at: string): Keys {
  const v = String(version).padStart(6, '0');
  return {
    PK: findingPk(findingId),
    SK: eventSk(version),
    [INDEX.byControl.pk]: historyDayPk(historyDay(at)),
    [INDEX.byControl.sk]: `${at}#${findingId}#${v}`,
    [INDEX.byScan.pk]: scanPk(scanId),
    [INDEX.byScan.sk]: `${findingId}#${v}`,
  };
}

export function targetKeys(t: Target, tid: string): Keys {
  return {
    PK: targetPk(tid),
    SK: CURRENT_SK,
    [INDEX.byCluster.pk]: TARGETS_PK,
    [INDEX.byCluster.sk]: `${nameKey(t.name)}#${t.accountId ?? ''}#${t.region ?? ''}#${t.kind}#${tid}`,
  };
}

export function scanKeys(scanId: string): Keys {
  return { PK: scanPk(scanId), SK: 'SCAN' };
}

export function exemptionKeys(id: string): Keys {
  return { PK: EXEMPTIONS_PK, SK: exemptionSk(id) };
}
