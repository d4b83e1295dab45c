import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventSchemas, schemaFileName, SCHEMAS_DIR } from '../../shared/events/schema-definitions.js';
import { toEntry } from '../../shared/events/size.js';
import { streamRecordSchema } from '../../shared/events/stream.js';
import { eventForRecord } from '../../shared/events/transitions.js';
import { DETAIL_TYPES } from '../../shared/events/types.js';
import { deliveredEvent, eventValidator } from './schema-validator.js';
import { findingChange, findingItem, scanItem, streamRecord, targetItem } from './stream-records.js';

const entryOf = (record: unknown) => toEntry(eventForRecord(streamRecordSchema.parse(record))!, 'hardline');

describe('event JSON Schemas (one per detail-type)', () => {
  it('the files on disk are the current ones (regenerate: npx tsx shared/events/schema-definitions.ts --write)', () => {
    const files = readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('ocsf'));
    expect(files.sort()).toEqual(DETAIL_TYPES.map(schemaFileName).sort());
    for (const [type, schema] of eventSchemas()) {
      expect(JSON.parse(readFileSync(`${SCHEMAS_DIR}${schemaFileName(type)}`, 'utf8')), type).toEqual(schema);
    }
  });

  const produced = {
    'Finding Opened': () => findingChange(undefined, 'OPEN'),
    'Finding Resolved': () => findingChange('OPEN', 'RESOLVED'),
    'Finding Reopened': () => findingChange('RESOLVED', 'OPEN'),
    'Finding Exempted': () => findingChange('OPEN', 'EXEMPTED'),
    'Scan Completed': () => streamRecord(scanItem(), scanItem({ status: 'RUNNING' })),
    'Target Failed': () => streamRecord(targetItem()),
  } as const;

  it.each(DETAIL_TYPES)('what the publisher produces for %s validates against its schema', (type) => {
    const entry = entryOf(produced[type]());
    expect(entry.DetailType).toBe(type);
    const validate = eventValidator(type);
    expect(validate(deliveredEvent(entry)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schemas can fail: a wrong state, an unknown field or another detail-type is rejected', () => {
    const opened = deliveredEvent(entryOf(produced['Finding Opened']()));
    const validate = eventValidator('Finding Opened');
    const detail = opened.detail as Record<string, unknown>;
    expect(validate({ ...opened, detail: { ...detail, state: 'RESOLVED' } })).toBe(false);
    expect(validate({ ...opened, detail: { ...detail, secretValue: 'x' } })).toBe(false);
    expect(validate({ ...opened, 'detail-type': 'Finding Resolved' })).toBe(false);
    const { findingId: _gone, ...withoutId } = detail;
    expect(validate({ ...opened, detail: withoutId })).toBe(false);
  });

  it('a finding directly created as exempted validates without previousState', () => {
    const entry = entryOf(findingChange(undefined, 'EXEMPTED'));
    expect(eventValidator('Finding Exempted')(deliveredEvent(entry))).toBe(true);
  });

  it('nothing secret leaves: credential values in message, evidence or reasons are redacted', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
    const record = streamRecord(
      findingItem({
        controlId: 'workload.credentials-in-env',
        severity: 'high',
        message: `env AWS_ACCESS_KEY_ID=${key}`,
        evidence: { variables: ['AWS_ACCESS_KEY_ID'], sample: `postgres://admin:hunter2pass@db:5432/app`, pem },
        exempted: { by: 'me', reason: `temporary, key ${key}`, source: 'file:x.yaml' },
        state: 'EXEMPTED',
      }),
    );
    const detail = entryOf(record).Detail!;
    expect(detail).not.toContain(key);
    expect(detail).not.toContain('hunter2pass');
    expect(detail).not.toContain('MIIEow');
    expect(detail).toContain('[REDACTED]');
    expect(detail).toContain('AWS_ACCESS_KEY_ID');
    const failed = entryOf(streamRecord(targetItem({ lastReason: `token ghp_${'a'.repeat(36)} rejected` })));
    expect(failed.Detail).not.toContain('ghp_aaaa');
  });
});
