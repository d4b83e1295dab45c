import { readFileSync } from 'node:fs';
import AjvModule from 'ajv-draft-04';
import formatsModule from 'ajv-formats';
import { schemaFileName, SCHEMAS_DIR } from '../../shared/events/schema-definitions.js';
import type { DetailType } from '../../shared/events/types.js';

// ajv-draft-04 and ajv-formats are CommonJS: under NodeNext their classes sit on `.default`.
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

/** Validators for the schema FILES on disk (what users upload to the Schema Registry), not the builders. */
export function draft04(): InstanceType<typeof Ajv> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv;
}

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8')) as Record<string, unknown>;
}

export function eventValidator(type: DetailType) {
  return draft04().compile(readSchema(schemaFileName(type)));
}

/** The event as EventBridge delivers it to a rule target, from a PutEvents entry. */
export function deliveredEvent(entry: { Source?: string; DetailType?: string; Detail?: string; Time?: Date; Resources?: string[] }) {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '999988887777',
    time: entry.Time?.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-west-1',
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail ?? 'null') as unknown,
  };
}
