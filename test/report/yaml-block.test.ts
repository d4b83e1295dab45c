import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { controls } from '../../shared/controls/index.js';
import { buildPolicyReports } from '../../shared/report/policyreport.js';
import { toYamlDocument } from '../../shared/report/yaml-block.js';
import { fixtureScan } from './scan-fixture.js';

/** What Kubernetes reads (sigs.k8s.io/yaml is YAML 1.1: yes/no/on/off are booleans there) and YAML 1.2 readers. */
const readers = [(s: string) => parse(s, { version: '1.1' }) as unknown, (s: string) => parse(s) as unknown];

const scalarText = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    'yes',
    'No',
    'ON',
    'off',
    'y',
    'N',
    'null',
    '~',
    'true',
    'False',
    '0x1f',
    '1e3',
    '.inf',
    '-',
    '- a',
    'a: b',
    'a #b',
    '#x',
    '*alias',
    '&anchor',
    '!tag',
    '%x',
    '@x',
    '`x',
    '|',
    '>',
    "it's",
    '"q"',
    ' lead',
    'trail ',
    '',
    '2026-12-03',
    '1:20',
    'a\nb',
    'tab\there',
    '\u0085',
  ),
);
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalarText,
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(scalarText, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('block YAML for reports', () => {
  it('reads back exactly as written, in YAML 1.1 and 1.2, for arbitrary JSON objects', () => {
    fc.assert(
      fc.property(fc.dictionary(scalarText, json, { maxKeys: 6 }), (obj) => {
        const text = toYamlDocument(obj);
        for (const read of readers) expect(read(text)).toEqual(obj);
      }),
      { numRuns: 400 },
    );
  });

  it('the PolicyReports of a scan with hostile names read back unchanged', () => {
    for (const doc of buildPolicyReports(fixtureScan(), controls)) {
      for (const read of readers) expect(read(toYamlDocument(doc))).toEqual(JSON.parse(JSON.stringify(doc)));
    }
  });

  it('keeps plain what is safe and quotes what a reader would take for something else', () => {
    expect(
      toYamlDocument({ a: 'workload.privileged', b: 'yes', c: '12', d: 'x: y', e: '{"k":1}', f: [], g: {}, h: [{ i: 1, j: [2] }] }),
    ).toBe('a: workload.privileged\nb: "yes"\nc: "12"\nd: "x: y"\ne: \'{"k":1}\'\nf: []\ng: {}\nh:\n  - i: 1\n    j:\n      - 2\n');
  });
});
