import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Target } from '../../shared/core/types.js';
import { findingId } from '../../shared/findings/id.js';
import type { FindingState } from '../../shared/findings/types.js';
import type { FindingItem, ScanItem, TargetItem } from '../../shared/store/items.js';

/** Builders of store items (shared/store/items.ts) and the DynamoDB stream records that carry them. */
export const CLUSTER: Target = {
  kind: 'cluster',
  accountId: '111122223333',
  region: 'eu-west-1',
  name: 'prod-eu',
  arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-eu',
};

export function findingItem(overrides: Partial<FindingItem> & { name?: string } = {}): FindingItem {
  const { name = 'web', ...rest } = overrides;
  const resource = rest.resource ?? { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name, container: 'nginx' };
  const target = rest.target ?? CLUSTER;
  const controlId = rest.controlId ?? 'workload.privileged';
  const id = findingId(target, controlId, resource);
  return {
    PK: `FINDING#${id}`,
    SK: 'STATE',
    entity: 'finding',
    version: 1,
    findingId: id,
    controlId,
    status: 'FAIL',
    severity: 'critical',
    state: 'OPEN',
    target,
    resource,
    message: "container 'nginx' runs privileged",
    evidence: { field: 'containers[nginx].securityContext.privileged', value: true },
    firstSeen: '2026-11-30T10:00:00.000Z',
    lastSeen: '2026-11-30T10:00:00.000Z',
    scanId: 'scan-1',
    ...rest,
  };
}

export function scanItem(overrides: Partial<ScanItem> = {}): ScanItem {
  return {
    PK: 'SCAN#scan-1',
    SK: 'SCAN',
    entity: 'scan',
    scanId: 'scan-1',
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '2026-11-30T10:05:00.000Z',
    status: 'COMPLETED',
    framework: 'all',
    summary: {
      byStatus: { PASS: 10, FAIL: 3, NOT_APPLICABLE: 0, UNKNOWN: 1, ERROR: 0 },
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0 },
      exempted: 0,
      score: 0.7692,
    },
    targets: [
      { ...CLUSTER, status: 'OK', resources: 40, gaps: 0 },
      {
        kind: 'cluster',
        accountId: '444455556666',
        region: 'us-east-1',
        name: 'private',
        status: 'UNKNOWN',
        reason: 'private endpoint unreachable',
        resources: 0,
        gaps: 1,
      },
    ],
    ...overrides,
  };
}

export function targetItem(overrides: Partial<TargetItem> = {}): TargetItem {
  return {
    PK: 'TARGET#111122223333#eu-west-1#prod-eu',
    SK: 'TARGET',
    entity: 'target',
    ...CLUSTER,
    lastScanId: 'scan-2',
    lastScannedAt: '2026-11-30T11:00:00.000Z',
    lastStatus: 'ERROR',
    lastReason: 'AssumeRole denied',
    version: 2,
    ...overrides,
  };
}

let sequence = 100_000_000_000_000_000_000n;

/** One stream record (NEW_AND_OLD_IMAGES) for an item change; sequence numbers increase. */
export function streamRecord(next: object | undefined, prev?: object, seq?: string): DynamoDBRecord {
  sequence += 1n;
  const eventName = next === undefined ? 'REMOVE' : prev === undefined ? 'INSERT' : 'MODIFY';
  return {
    eventID: `ev-${sequence}`,
    eventName,
    eventSource: 'aws:dynamodb',
    awsRegion: 'eu-west-1',
    dynamodb: {
      SequenceNumber: seq ?? String(sequence),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      Keys: marshall({ PK: 'k', SK: 's' }) as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      ...(next ? { NewImage: marshall(next, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'] } : {}),
      ...(prev ? { OldImage: marshall(prev, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'] } : {}),
    },
  };
}

/** A finding moving from one state to another (version + 1), as the store writes it. */
export function findingChange(
  from: FindingState | undefined,
  to: FindingState,
  overrides: Partial<FindingItem> & { name?: string } = {},
): DynamoDBRecord {
  const base = findingItem(overrides);
  const prev = from === undefined ? undefined : { ...base, state: from, version: base.version };
  const next = {
    ...base,
    state: to,
    version: base.version + (from === undefined ? 0 : 1),
    ...(to === 'RESOLVED' ? { resolvedAt: '2026-11-30T12:00:00.000Z', lastSeen: '2026-11-30T11:00:00.000Z' } : {}),
    ...(to === 'EXEMPTED' ? { exempted: { by: 'file:exemptions.yaml', reason: 'ingress needs it' } } : {}),
  };
  return streamRecord(next, prev);
}
