import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEVERITIES, STATUSES } from '../core/types.js';
import { ocsfTypeUid } from './ocsf-codes.js';
import { DETAIL_TYPES, EVENT_SOURCE, type DetailType, type FindingDetailType } from './types.js';

/**
 * The JSON Schemas of the event contract, one per detail-type, written to ./schemas/*.json
 * (`npx tsx shared/events/schema-definitions.ts --write`; a test fails when the files are stale).
 * Draft-04, because that is the dialect the EventBridge Schema Registry imports (JSONSchemaDraft4),
 * and each file is self-contained (the registry does not resolve cross-file $refs).
 */
type Schema = Record<string, unknown>;

const text: Schema = { type: 'string' };
const nonEmpty: Schema = { type: 'string', minLength: 1 };
const dateTime: Schema = { type: 'string', format: 'date-time' };
const count: Schema = { type: 'integer', minimum: 0 };
const enumOf = (values: readonly (string | number | boolean)[]): Schema => ({ enum: [...values] });

const targetRef: Schema = {
  type: 'object',
  required: ['kind', 'name'],
  additionalProperties: false,
  properties: { kind: enumOf(['cluster', 'registry', 'manifests']), name: nonEmpty, accountId: text, region: text, arn: text },
};
const placement: Schema = {
  account: { type: 'string', description: 'AWS account id of the target, when known' },
  region: { type: 'string', description: 'AWS region of the target, when known' },
  cluster: { type: 'string', description: 'Cluster name, for cluster targets' },
};

interface FindingRules {
  state: string;
  previous: string[] | undefined;
  activity: 1 | 2 | 3;
  statusId: number;
  description: string;
}
const FINDING_RULES: Record<FindingDetailType, FindingRules> = {
  'Finding Opened': {
    state: 'OPEN',
    previous: undefined,
    activity: 1,
    statusId: 1,
    description: 'A FAIL or UNKNOWN result seen for the first time.',
  },
  'Finding Resolved': {
    state: 'RESOLVED',
    previous: ['OPEN', 'EXEMPTED'],
    activity: 3,
    statusId: 4,
    description: 'A finding no longer seen: the resource was fixed or removed.',
  },
  'Finding Reopened': {
    state: 'OPEN',
    previous: ['RESOLVED', 'EXEMPTED'],
    activity: 2,
    statusId: 1,
    description: 'A resolved finding seen again, or an exemption that ended (expired or removed).',
  },
  'Finding Exempted': {
    state: 'EXEMPTED',
    previous: ['OPEN', 'RESOLVED'],
    activity: 2,
    statusId: 3,
    description: 'A finding covered by an exemption (stored, never dropped).',
  },
};

function findingDetail(type: FindingDetailType): Schema {
  const rule = FINDING_RULES[type];
  const required = [
    'eventKey',
    'schemaVersion',
    'class_uid',
    'category_uid',
    'activity_id',
    'type_uid',
    'severity_id',
    'status_id',
    'findingId',
    'version',
    'controlId',
    'title',
    'severity',
    'status',
    'state',
    'target',
    'resource',
    'firstSeen',
    'lastSeen',
    'scanId',
    'message',
    'compliance',
  ];
  if (rule.previous && type !== 'Finding Exempted') required.push('previousState');
  return {
    type: 'object',
    description: rule.description,
    required,
    additionalProperties: false,
    properties: {
      eventKey: {
        type: 'string',
        pattern: '^finding:[0-9a-f]{64}:[0-9]+$',
        description: 'Deduplication key: findingId and version. A redelivered stream record yields the same key and bytes.',
      },
      schemaVersion: enumOf([1]),
      class_uid: enumOf([2003]),
      category_uid: enumOf([2]),
      activity_id: enumOf([rule.activity]),
      type_uid: enumOf([ocsfTypeUid(rule.activity)]),
      severity_id: { type: 'integer', minimum: 1, maximum: 5, description: 'OCSF: 1 Informational … 4 High, 5 Critical' },
      status_id: enumOf([rule.statusId]),
      findingId: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      version: count,
      controlId: { type: 'string', pattern: '^[a-z0-9-]+\\.[a-z0-9-]+$' },
      title: nonEmpty,
      severity: enumOf(SEVERITIES),
      status: enumOf(STATUSES),
      state: enumOf([rule.state]),
      ...(rule.previous ? { previousState: enumOf(rule.previous) } : {}),
      ...placement,
      target: targetRef,
      resource: {
        type: 'object',
        required: ['apiVersion', 'kind', 'name'],
        additionalProperties: false,
        properties: { apiVersion: text, kind: nonEmpty, namespace: text, name: nonEmpty, container: text },
      },
      firstSeen: dateTime,
      lastSeen: dateTime,
      resolvedAt: dateTime,
      ...(type === 'Finding Resolved'
        ? {
            resolvedReason: {
              ...enumOf(['target-deleted']),
              description:
                'Present when the finding was resolved because its cluster or repository was confirmed deleted (a cluster absent from two scheduled listings in a row; or, in a rescan after a change event, DescribeCluster/DescribeRepositories answering not found), not because a scan saw it fixed.',
            },
          }
        : {}),
      scanId: nonEmpty,
      message: { type: 'string', description: 'Redacted: credential values never appear.' },
      remediation: text,
      frameworks: { type: 'object', description: 'Cross-references of the control (nsa, cis, pss, kubescape, securityHub).' },
      compliance: {
        type: 'object',
        required: ['control', 'status_id'],
        additionalProperties: false,
        properties: { control: nonEmpty, status_id: { enum: [1, 2, 3], description: 'OCSF: 1 Pass, 2 Warning (data missing), 3 Fail' } },
      },
      evidence: { type: 'object', description: 'Redacted facts behind the verdict; dropped when the event would exceed 256 KB.' },
      evidenceDropped: enumOf([true]),
      exemption: {
        type: 'object',
        required: ['by', 'reason'],
        additionalProperties: false,
        properties: { by: text, reason: text, expires: text, source: text },
      },
    },
  };
}

const targetStatus = enumOf(['OK', 'PARTIAL', 'UNKNOWN', 'ERROR']);
const byKeys = (keys: readonly string[]): Schema => ({
  type: 'object',
  required: [...keys],
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, count])),
});

const scanCompletedDetail: Schema = {
  type: 'object',
  description: 'A scan finished; counts over all targets and the status of each target.',
  required: ['eventKey', 'schemaVersion', 'scanId', 'startedAt', 'finishedAt', 'targetCounts', 'targets'],
  additionalProperties: false,
  properties: {
    eventKey: { type: 'string', pattern: '^scan:.+$' },
    schemaVersion: enumOf([1]),
    scanId: nonEmpty,
    startedAt: dateTime,
    finishedAt: dateTime,
    framework: text,
    counts: {
      type: 'object',
      required: ['byStatus', 'bySeverity', 'exempted', 'score'],
      additionalProperties: false,
      properties: {
        byStatus: byKeys(STATUSES),
        bySeverity: byKeys(SEVERITIES),
        exempted: count,
        score: { type: ['number', 'null'], minimum: 0, maximum: 1 },
      },
    },
    targetCounts: byKeys(['OK', 'PARTIAL', 'UNKNOWN', 'ERROR']),
    targets: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name', 'status', 'resources', 'gaps'],
        additionalProperties: false,
        properties: { ...(targetRef['properties'] as Schema), status: targetStatus, reason: text, resources: count, gaps: count },
      },
    },
    targetsOmitted: { ...count, description: 'Targets left out of `targets` to fit 256 KB (non-OK targets are kept first).' },
  },
};

const targetFailedDetail: Schema = {
  type: 'object',
  description: 'A target could not be scanned (ERROR) or nothing of it was readable (UNKNOWN) in a scan.',
  required: ['eventKey', 'schemaVersion', 'scanId', 'status', 'scannedAt', 'target'],
  additionalProperties: false,
  properties: {
    eventKey: { type: 'string', pattern: '^target:.+:.+$' },
    schemaVersion: enumOf([1]),
    scanId: nonEmpty,
    status: enumOf(['ERROR', 'UNKNOWN']),
    reason: text,
    scannedAt: dateTime,
    ...placement,
    target: targetRef,
  },
};

function envelope(type: DetailType, detail: Schema): Schema {
  return {
    $schema: 'http://json-schema.org/draft-04/schema#',
    title: `hardline ${type}`,
    description: `EventBridge event: source "${EVENT_SOURCE}", detail-type "${type}". See docs/events.md.`,
    type: 'object',
    required: ['detail-type', 'source', 'detail'],
    properties: {
      version: text,
      id: text,
      'detail-type': enumOf([type]),
      source: enumOf([EVENT_SOURCE]),
      account: text,
      time: dateTime,
      region: text,
      resources: { type: 'array', items: text },
      detail,
    },
  };
}

export function schemaFileName(type: DetailType): string {
  return `${type.toLowerCase().replace(/\s+/g, '-')}.json`;
}

/** detail-type → its JSON Schema (the whole event envelope, detail included). */
export function eventSchemas(): Map<DetailType, Schema> {
  return new Map(
    DETAIL_TYPES.map((type) => [
      type,
      envelope(type, type === 'Scan Completed' ? scanCompletedDetail : type === 'Target Failed' ? targetFailedDetail : findingDetail(type)),
    ]),
  );
}

export const SCHEMAS_DIR = fileURLToPath(new URL('./schemas/', import.meta.url));

if (process.argv.includes('--write') && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [type, schema] of eventSchemas())
    writeFileSync(`${SCHEMAS_DIR}${schemaFileName(type)}`, JSON.stringify(schema, null, 2) + '\n');
  process.stdout.write(`wrote ${DETAIL_TYPES.length} schemas to ${SCHEMAS_DIR}\n`);
}
