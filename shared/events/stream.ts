import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { InputError } from '../core/errors.js';
import { SEVERITIES, STATUSES } from '../core/types.js';
import { formatZodIssues } from '../core/zod-issues.js';

/**
 * The edge of the publisher: DynamoDB stream records (NEW_AND_OLD_IMAGES) of the single table
 * (shared/store/items.ts) parsed into the few fields the events rely on. Everything else in an
 * item is ignored, so the store can add fields freely.
 */

const image = z.record(z.string(), z.unknown());

export const streamRecordSchema = z.object({
  eventID: z.string().optional(),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']).optional(),
  dynamodb: z.object({
    SequenceNumber: z.string().regex(/^\d+$/, 'SequenceNumber must be numeric'),
    NewImage: image.optional(),
    OldImage: image.optional(),
  }),
});
export type StreamRecord = z.infer<typeof streamRecordSchema>;

const targetSchema = z.object({
  kind: z.enum(['cluster', 'registry', 'manifests']),
  name: z.string().min(1),
  accountId: z.string().nullish(),
  region: z.string().nullish(),
  arn: z.string().nullish(),
});

const resourceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string().min(1),
  namespace: z.string().nullish(),
  name: z.string().min(1),
  container: z.string().nullish(),
});

const findingState = z.enum(['OPEN', 'RESOLVED', 'EXEMPTED']);

export const findingImageSchema = z.object({
  entity: z.literal('finding'),
  findingId: z.string().min(1),
  version: z.number().int().nonnegative(),
  controlId: z.string().min(1),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  state: findingState,
  target: targetSchema,
  resource: resourceSchema,
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()).nullish(),
  exempted: z.object({ by: z.string(), reason: z.string(), expires: z.string().nullish(), source: z.string().nullish() }).nullish(),
  firstSeen: z.string().min(1),
  lastSeen: z.string().min(1),
  resolvedAt: z.string().nullish(),
  resolvedReason: z.enum(['target-deleted']).nullish(),
  scanId: z.string().min(1),
});
export type FindingImage = z.infer<typeof findingImageSchema>;

const targetStatus = z.enum(['OK', 'PARTIAL', 'UNKNOWN', 'ERROR']);

export const scanImageSchema = z.object({
  entity: z.literal('scan'),
  scanId: z.string().min(1),
  startedAt: z.string().min(1),
  finishedAt: z.string().nullish(),
  status: z.enum(['RUNNING', 'COMPLETED']),
  framework: z.string().nullish(),
  summary: z
    .object({
      byStatus: z.record(z.enum(STATUSES), z.number()),
      bySeverity: z.record(z.enum(SEVERITIES), z.number()),
      exempted: z.number(),
      score: z.number().nullable(),
    })
    .nullish(),
  targets: z
    .array(
      targetSchema.extend({
        status: targetStatus,
        reason: z.string().nullish(),
        resources: z.number().default(0),
        gaps: z.number().default(0),
      }),
    )
    .default([]),
});
export type ScanImage = z.infer<typeof scanImageSchema>;

export const targetImageSchema = targetSchema.extend({
  entity: z.literal('target'),
  lastScanId: z.string().min(1),
  lastScannedAt: z.string().min(1),
  lastStatus: targetStatus,
  lastReason: z.string().nullish(),
  version: z.number().int().nonnegative(),
});
export type TargetImage = z.infer<typeof targetImageSchema>;

export type ParsedImage =
  | { entity: 'finding'; item: FindingImage }
  | { entity: 'scan'; item: ScanImage }
  | { entity: 'target'; item: TargetImage }
  | { entity: 'other' };

/** Wire image → plain item. `unmarshall` throws on attribute types it does not know. */
export function unmarshallImage(raw: Record<string, unknown>): Record<string, unknown> {
  // The stream's AttributeValue JSON is the same shape as the SDK's; zod checked it is an object.
  return unmarshall(raw as Record<string, AttributeValue>) as Record<string, unknown>;
}

/**
 * Parses one image of a stream record. Items of entities without events (exemptions, history, …)
 * are `other`; an item of a known entity that does not match the contract is an InputError
 * (the record is reported as failed, so it ends in the DLQ instead of vanishing).
 */
export function parseImage(raw: Record<string, unknown>): ParsedImage {
  const plain = unmarshallImage(raw);
  try {
    switch (plain['entity']) {
      case 'finding':
        return { entity: 'finding', item: findingImageSchema.parse(plain) };
      case 'scan':
        return { entity: 'scan', item: scanImageSchema.parse(plain) };
      case 'target':
        return { entity: 'target', item: targetImageSchema.parse(plain) };
      default:
        return { entity: 'other' };
    }
  } catch (e) {
    if (!(e instanceof z.ZodError)) throw e;
    throw new InputError(`${String(plain['entity'])} item does not match the store contract: ${formatZodIssues(e, { first: true })}`, {
      cause: e,
    });
  }
}
