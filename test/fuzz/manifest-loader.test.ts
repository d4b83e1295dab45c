import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as stringifyYaml } from 'yaml';
import { KUBERNETES_YAML } from '../../shared/collectors/kubernetes-yaml.js';
import { ManifestLoader, type LoadedManifests } from '../../shared/collectors/manifests.js';
import type { KubeObject } from '../../shared/inventory/types.js';
import { fuzzOptions, loadFixtures, NOW } from './arbitraries.js';

/** YAML as a manifest is written for kubectl (YAML 1.1): `y`, `on`, `0755` as strings are quoted. */
const stringify = (o: unknown): string => stringifyYaml(o, KUBERNETES_YAML);

/**
 * The manifest loader on arbitrary and damaged input. Properties:
 * - it never throws, whatever the bytes; every error names the file and a line inside the text;
 * - every object it yields has the shape KubeObject promises (a string kind, a string or no apiVersion);
 * - valid documents round-trip through YAML and JSON unchanged;
 * - one broken document in a stream is reported at its own lines, and every other document is still loaded.
 */
function load(text: string, name = 'input.yaml'): LoadedManifests {
  const loader = new ManifestLoader();
  loader.addText(text, name);
  return loader.result({ kind: 'manifests', name: 'fuzz' }, NOW.toISOString());
}

const objectsOf = (l: LoadedManifests) => l.inventories.flatMap((i) => i.resources);

function checkErrors(l: LoadedManifests, text: string, name: string): void {
  const lines = text.split('\n').length;
  for (const e of l.errors) {
    expect(e.file).toBe(name);
    expect(e.message.length).toBeGreaterThan(0);
    expect(Number.isInteger(e.line), JSON.stringify(e)).toBe(true);
    expect(e.line!).toBeGreaterThanOrEqual(1);
    expect(e.line!).toBeLessThanOrEqual(lines + 1);
  }
  for (const o of objectsOf(l)) {
    expect(typeof o.kind).toBe('string');
    if (o.apiVersion !== undefined) expect(typeof o.apiVersion).toBe('string');
  }
}

/** Plain JSON (no -0, no undefined) as a Kubernetes-like object with a kind that is not a List. */
const kubeObject: fc.Arbitrary<KubeObject> = fc
  .record({
    apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1', 'rbac.authorization.k8s.io/v1'), fc.string({ maxLength: 10 })),
    kind: fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !k.endsWith('List') && k.trim() !== ''),
    metadata: fc.record(
      {
        name: fc.string({ maxLength: 12 }),
        namespace: fc.string({ maxLength: 8 }),
        labels: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      },
      { requiredKeys: ['name'] },
    ),
    spec: fc.jsonValue({ maxDepth: 3 }),
  })
  .map((o) => JSON.parse(JSON.stringify(o)) as KubeObject)
  // Keys such as __proto__ are not Kubernetes field names; YAML and JSON treat them differently.
  .filter((o) => !JSON.stringify(o).includes('"__proto__"'));

const fixtureTexts = loadFixtures().map((f) => ({ file: f.file, objects: f.inventory.resources }));

describe('manifest loader fuzzing', () => {
  it('never throws on arbitrary text, and every error carries the file and a line', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            '---',
            'kind: Pod',
            '  name: x',
            '- a',
            '{',
            '}',
            '[',
            ']',
            ': :',
            '&a x',
            '*a',
            '!!binary',
            '"',
            "'",
            '\t',
            '%YAML 1.2',
            'apiVersion: 5',
            'items: [',
            '{"kind": "List", "items": [1]}',
          ),
          { maxLength: 30 },
        )
        .map((l) => l.join('\n')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const loaded = load(t, 'fuzz.yaml');
        checkErrors(loaded, t, 'fuzz.yaml');
      }),
      fuzzOptions(300),
    );
  });

  it('never throws on damaged fixtures (bytes cut, inserted, lines swapped)', () => {
    const damaged = fc.constantFrom(...fixtureTexts).chain(({ objects }) => {
      const text = objects.map((o) => stringify(o)).join('---\n');
      return fc.tuple(fc.nat(text.length), fc.nat(40), fc.string({ maxLength: 6 }), fc.boolean()).map(([at, cut, insert, swap]) => {
        let t = text.slice(0, at) + insert + text.slice(at + cut);
        if (swap) {
          const lines = t.split('\n');
          const i = at % Math.max(1, lines.length);
          [lines[0], lines[i]] = [lines[i]!, lines[0]!];
          t = lines.join('\n');
        }
        return t;
      });
    });
    fc.assert(
      fc.property(damaged, (t) => {
        checkErrors(load(t, 'damaged.yaml'), t, 'damaged.yaml');
      }),
      fuzzOptions(300),
    );
  });

  it('round-trips valid objects through multi-document YAML and through JSON', () => {
    fc.assert(
      fc.property(fc.array(kubeObject, { minLength: 1, maxLength: 5 }), (objects) => {
        const yaml = objects.map((o) => stringify(o)).join('---\n');
        const fromYaml = load(yaml);
        expect(fromYaml.errors).toEqual([]);
        expect(objectsOf(fromYaml)).toEqual(objects);
        const fromJson = load(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), 'list.json');
        expect(fromJson.errors).toEqual([]);
        expect(objectsOf(fromJson)).toEqual(objects);
      }),
      fuzzOptions(200),
    );
  });

  it('reports one broken document at its own lines and still loads every other one', () => {
    // Damage that stays inside its document (an open quote or bracket legitimately runs on into the next one).
    const arb = fc.tuple(
      fc.array(kubeObject, { minLength: 2, maxLength: 6 }),
      fc.nat(),
      fc.constantFrom('a: b: c', '- x\nkind: y', 'spec:\n  - a\n b: c', '@reserved: x', 'x: *undefined-alias'),
    );
    fc.assert(
      fc.property(arb, ([objects, pick, garbage]) => {
        const broken = pick % objects.length;
        const docs = objects.map((o, i) => (i === broken ? `kind: Broken\n${garbage}\n` : stringify(o)));
        const text = docs.join('---\n');
        const loaded = load(text);
        checkErrors(loaded, text, 'input.yaml');
        expect(objectsOf(loaded)).toEqual(objects.filter((_, i) => i !== broken));
        expect(loaded.errors).toHaveLength(1);
        const firstLine = broken === 0 ? 1 : docs.slice(0, broken).join('---\n').split('\n').length;
        const lastLine = firstLine + docs[broken]!.split('\n').length;
        expect(loaded.errors[0]!.line!).toBeGreaterThanOrEqual(firstLine);
        expect(loaded.errors[0]!.line!).toBeLessThanOrEqual(lastLine);
      }),
      fuzzOptions(200),
    );
  });

  it('treats a document whose kind or apiVersion has the wrong type as an input error with its line', () => {
    const bad = fc.record({
      apiVersion: fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.array(fc.string(), { maxLength: 2 }),
        fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
      ),
      kind: fc.constant('Pod'),
    });
    fc.assert(
      fc.property(fc.array(kubeObject, { maxLength: 3 }), bad, (good, wrong) => {
        const text = [...good.map((o) => stringify(o)), stringify(wrong)].join('---\n');
        const loaded = load(text);
        expect(objectsOf(loaded)).toEqual(good);
        expect(loaded.errors.map((e) => e.message)).toEqual(['Pod: apiVersion is not a string']);
        expect(loaded.errors[0]!.line).toBe(text.split('\n').length - stringify(wrong).split('\n').length + 1);
      }),
      fuzzOptions(100),
    );
  });
});
