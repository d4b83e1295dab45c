import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import type { Inventory, KubeObject } from '../../shared/inventory/types.js';
import { POD_BEARING_KINDS } from '../../shared/inventory/workloads.js';

/**
 * Shared generators of the fuzz tests. Seeds are fixed (FUZZ_SEED overrides) so a failure is
 * reproducible: fast-check prints the seed and the path of the shrunk counterexample.
 */
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261130);
export const fuzzOptions = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: FUZZ_SEED, endOnFailure: true });

/** A value of any JSON type, including the ones Kubernetes fields are often confused with. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('true', 'false', '0', '', 'null', 'RuntimeDefault', 'ALL', '*', 'default'),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

type Json = unknown;
export type JsonPath = (string | number)[];

/** Every path to a value inside a JSON document (the root excluded). */
export function pathsOf(value: Json, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i]);
      pathsOf(v, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      pathsOf(v, [...prefix, k], out);
    }
  }
  return out;
}

/** Paths of every object (not array) node, the root included. */
export function objectPathsOf(value: Json, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  if (Array.isArray(value)) value.forEach((v, i) => objectPathsOf(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    out.push(prefix);
    for (const [k, v] of Object.entries(value)) objectPathsOf(v, [...prefix, k], out);
  }
  return out;
}

export function getAt(value: Json, path: JsonPath): Json {
  let cur = value;
  for (const k of path) cur = (cur as Record<string | number, Json> | undefined)?.[k];
  return cur;
}

/** A copy with `path` set to `replacement` (or deleted when replacement is the DELETE marker). */
export const DELETE = Symbol('delete');
export function setAt(value: Json, path: JsonPath, replacement: Json | typeof DELETE): Json {
  if (path.length === 0) return replacement === DELETE ? undefined : replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === DELETE) copy.splice(head as number, 1);
    else copy[head as number] = setAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, Json>) };
  if (rest.length === 0 && replacement === DELETE) delete copy[head as string];
  else copy[head as string] = setAt(copy[head as string], rest, replacement);
  return copy;
}

/** Mutations that may change any field's type: the engine must survive them, not judge them. */
export function typeMutation(doc: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(doc);
  if (paths.length === 0) return fc.constant(doc);
  const one = fc.tuple(fc.nat(paths.length - 1), fc.oneof(junk, fc.constant(DELETE as unknown)));
  return fc.array(one, { minLength: 1, maxLength: 4 }).map((edits) => {
    let out = doc;
    for (const [i, value] of edits) {
      const path = paths[i]!;
      // An earlier edit may have removed the parent: such an edit is simply skipped.
      if (getAt(out, path.slice(0, -1)) === undefined) continue;
      out = setAt(out, path, value as Json | typeof DELETE);
    }
    return out;
  });
}

/**
 * Object maps whose keys carry meaning (selectors, labels, data, policy patterns): a new key there
 * can change a verdict legitimately, so the semantics-preserving mutation never adds keys inside them.
 */
const MEANINGFUL_MAPS =
  /^(labels|annotations|matchLabels|matchExpressions|data|stringData|binaryData|pattern|anyPattern|deny|parameters|match|exclude|mutation|preconditions|conditions|appliedTo|namespaces)$|[sS]electors?$|Endpoints$/;

/** Adds fields no Kubernetes API defines (`x-fuzz-*`) to ordinary objects: no verdict may change. */
export function unknownFieldMutation(doc: Json): fc.Arbitrary<Json> {
  const targets = objectPathsOf(doc).filter((p) => !p.some((k) => typeof k === 'string' && MEANINGFUL_MAPS.test(k)));
  if (targets.length === 0) return fc.constant(doc);
  const edit = fc.tuple(fc.nat(targets.length - 1), fc.stringMatching(/^[a-z]{1,8}$/), junk);
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => {
    let out = doc;
    for (const [i, key, value] of edits) out = setAt(out, [...targets[i]!, `x-fuzz-${key}`], value);
    return out;
  });
}

/** Objects of kinds no control reads (or no kind at all): adding them must change no verdict. */
export const inertObject: fc.Arbitrary<KubeObject> = fc.record(
  {
    apiVersion: fc.oneof(fc.constant('fuzz.hardline.dev/v1'), fc.string({ maxLength: 8 })),
    kind: fc.stringMatching(/^Fuzz[A-Z][a-z]{0,8}$/),
    metadata: fc.record({ name: fc.string({ maxLength: 10 }), namespace: fc.stringMatching(/^[a-z]{1,6}$/) }, { requiredKeys: [] }),
    spec: junk,
  },
  { requiredKeys: ['kind'] },
);

// ---- fixtures of the control catalog, used as seeds for mutations ----

const FIXTURES = fileURLToPath(new URL('../controls/fixtures/', import.meta.url));
export const NOW = new Date('2026-11-30T12:00:00Z');

export interface FixtureCase {
  controlId: string;
  expectation: 'pass' | 'fail' | 'unknown';
  file: string;
  inventory: Inventory;
}

/** Every fixture of test/controls/fixtures as an inventory (snapshots keep their eks/ecr/gaps). */
export function loadFixtures(): FixtureCase[] {
  const out: FixtureCase[] = [];
  if (!existsSync(FIXTURES)) return out;
  for (const controlId of readdirSync(FIXTURES).sort()) {
    for (const expectation of ['pass', 'fail', 'unknown'] as const) {
      const dir = join(FIXTURES, controlId, expectation);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir)
        .filter((n) => /\.(ya?ml|json)$/.test(n))
        .sort()) {
        const file = join(dir, f);
        const loader = new ManifestLoader();
        loader.addText(readFileSync(file, 'utf8'), file);
        for (const inventory of loader.result({ kind: 'manifests', name: 'fixture' }, NOW.toISOString()).inventories) {
          out.push({ controlId, expectation, file: `${controlId}/${expectation}/${f}`, inventory });
        }
      }
    }
  }
  return out;
}

export const isPodBearing = (o: KubeObject) => (POD_BEARING_KINDS as readonly string[]).includes(o.kind ?? '');

/** Where an object keeps its pod spec. */
export function podSpecPath(o: KubeObject): JsonPath {
  if (o.kind === 'Pod') return ['spec'];
  if (o.kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}
