import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { rescanInputJsonSchema, rescanInputSchema } from '../../shared/pipeline/rescan-input.js';
import { RESCAN_SCHEMA_FILE } from '../../scripts/rescan-schema.js';

// ajv is CommonJS: under NodeNext its class sits on `.default`.
const Ajv = AjvModule.default;

/**
 * docs/rescan-input.schema.json is what a user's forwarder (Kubernetes audit events, a CI hook)
 * validates against; the zod schema is what hardline parses with. They must agree.
 */
const onDisk = JSON.parse(readFileSync(RESCAN_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(onDisk);

const cluster = { kind: 'cluster', accountId: '444455556666', region: 'eu-west-1', name: 'prod-eu' };
const registry = { kind: 'registry', accountId: '444455556666', region: 'us-east-1' };
const samples: [string, unknown][] = [
  ['a cluster', { targets: [cluster] }],
  ['a registry, with a reason', { targets: [registry], reason: 'k8s audit: ClusterRoleBinding cluster-admin created' }],
  ['both', { targets: [cluster, registry] }],
  ['no targets', { targets: [] }],
  ['targets missing', { reason: 'x' }],
  ['a cluster without a name', { targets: [{ ...cluster, name: undefined }] }],
  ['a registry with a name', { targets: [{ ...registry, name: 'x' }] }],
  ['a bad account id', { targets: [{ ...cluster, accountId: '1234' }] }],
  ['a bad region', { targets: [{ ...cluster, region: 'Europe' }] }],
  ['a cluster name with a slash', { targets: [{ ...cluster, name: 'a/b' }] }],
  ['an unknown kind', { targets: [{ ...cluster, kind: 'manifests' }] }],
  ['an unknown field', { targets: [cluster], priority: 'high' }],
  ['51 targets', { targets: Array.from({ length: 51 }, () => cluster) }],
  ['an empty reason', { targets: [cluster], reason: '' }],
];

describe('rescan input schema', () => {
  it('the file on disk is the current one (regenerate: npx tsx scripts/rescan-schema.ts)', () => {
    expect(onDisk).toEqual(rescanInputJsonSchema());
  });

  it.each(samples)('the JSON Schema and the parser agree on: %s', (_name, sample) => {
    const clean = JSON.parse(JSON.stringify(sample)) as unknown;
    expect(validate(clean), JSON.stringify(validate.errors)).toBe(rescanInputSchema.safeParse(clean).success);
  });

  it('the samples include both verdicts (the agreement is not vacuous)', () => {
    const verdicts = samples.map(([, s]) => rescanInputSchema.safeParse(JSON.parse(JSON.stringify(s))).success);
    expect(verdicts.filter(Boolean).length).toBe(3);
    expect(verdicts.filter((v) => !v).length).toBe(samples.length - 3);
  });
});
