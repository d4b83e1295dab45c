import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controlById } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import type { Result } from '../../shared/engine/types.js';
import { namespaceOf } from '../../shared/inventory/indexed.js';
import type { KubeObject } from '../../shared/inventory/types.js';
import { run } from '../support/controls.js';
import { DELETE, fuzzOptions, getAt, loadFixtures, NOW, podSpecPath, setAt, type JsonPath } from './arbitraries.js';

/**
 * A definite FAIL wins over missing data: when part of a pod spec cannot be read, a container that
 * was read in full, and fails on what it says itself, still FAILs — whatever else is broken, as
 * long as it is not the pod-level securityContext that container inherits from. The workload then
 * gets no PASS and no UNKNOWN for that control: UNKNOWN is only for "nothing seen fails".
 */
const LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

interface Case {
  file: string;
  controlId: string;
  objectIndex: number;
  failing: Result;
  /** The list holding the failing container: never touched. */
  list: (typeof LISTS)[number];
  resources: KubeObject[];
}

const resultKey = (r: Result) => `${r.resource.kind}/${r.resource.namespace ?? ''}/${r.resource.name}/${r.resource.container ?? ''}`;

/** Every container FAIL of a workload-control fail fixture, with the object it is on. */
function containerFails(): Case[] {
  const cases: Case[] = [];
  for (const f of loadFixtures().filter((x) => x.expectation === 'fail')) {
    const control = controlById(f.controlId);
    if (control?.scope !== 'workload') continue;
    const results = evaluate(f.inventory, [control], [], { now: NOW });
    for (const failing of results.toArray().filter((r) => r.status === 'FAIL' && r.resource.container)) {
      const objectIndex = f.inventory.resources.findIndex(
        (o) =>
          o.kind === failing.resource.kind && o.metadata?.name === failing.resource.name && namespaceOf(o) === failing.resource.namespace,
      );
      const list = listOf(f.inventory.resources[objectIndex], failing);
      if (objectIndex < 0 || !list) continue;
      cases.push({ file: f.file, controlId: f.controlId, objectIndex, failing, list, resources: f.inventory.resources });
    }
  }
  return cases;
}

/** The list a failing container sits in, found by its name (or its `containers[2]` stand-in). */
function listOf(obj: KubeObject | undefined, r: Result): (typeof LISTS)[number] | undefined {
  if (!obj) return undefined;
  const spec = getAt(obj, podSpecPath(obj));
  return LISTS.find((list) => {
    const entries = getAt(spec, [list]);
    return (
      Array.isArray(entries) &&
      entries.some((c, i) => (c as { name?: unknown } | null)?.name === r.resource.container || `${list}[${i}]` === r.resource.container)
    );
  });
}

const cases = containerFails();

/** Ways to make another part of the pod spec unreadable, away from the failing container and the pod securityContext. */
function breakElsewhere(c: Case): fc.Arbitrary<{ resources: KubeObject[]; what: string }> {
  const obj = c.resources[c.objectIndex]!;
  const spec = podSpecPath(obj);
  const others = LISTS.filter((l) => l !== c.list);
  const notAList = fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.integer(),
    fc.boolean(),
    fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 1 }),
  );
  const notAnObject = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }));
  const edits: fc.Arbitrary<[JsonPath, unknown]>[] = [
    // Another list missing (`containers` may go only when the failing container is not in it), or not a list.
    fc.constantFrom(...others).map((l) => [[...spec, l], undefined]),
    fc.tuple(fc.constantFrom(...others), notAList).map(([l, v]) => [[...spec, l], v]),
    // Another list holding an entry that is not an object, or a container whose securityContext is not one.
    fc.tuple(fc.constantFrom(...others), notAnObject).map(([l, v]) => [[...spec, l], [v]]),
    fc
      .tuple(
        fc.constantFrom(...others),
        fc.string({ maxLength: 4 }).filter((s) => s.length > 0),
      )
      .map(([l, v]) => [[...spec, l], [{ name: 'broken', image: 'registry.example.com/x:1', securityContext: v }]]),
  ];
  return fc.oneof(...edits).map(([path, value]) => {
    const resources = [...c.resources];
    resources[c.objectIndex] = setAt(obj, path, value === undefined ? DELETE : value) as KubeObject;
    return { resources, what: `${path.join('.')} = ${value === undefined ? 'missing' : JSON.stringify(value)}` };
  });
}

describe('a definite FAIL wins over missing data', () => {
  it('has container failures of workload controls to keep', () => {
    expect(cases.length).toBeGreaterThan(30);
  });

  it('a container read in full keeps its FAIL when other parts of the pod spec cannot be read', () => {
    const arb = fc.constantFrom(...cases).chain((c) => breakElsewhere(c).map((broken) => ({ c, ...broken })));
    fc.assert(
      fc.property(arb, ({ c, resources, what }) => {
        const results = run(c.controlId, resources);
        const same = results.filter((r) => r.resource.kind === c.failing.resource.kind && r.resource.name === c.failing.resource.name);
        const context = `${c.file} with ${what}: ${same.map((r) => `${r.status} ${resultKey(r)}`).join(', ')}`;
        expect(
          same.some((r) => r.status === 'FAIL' && resultKey(r) === resultKey(c.failing)),
          context,
        ).toBe(true);
        expect(
          same.filter((r) => r.status !== 'FAIL'),
          context,
        ).toEqual([]);
      }),
      fuzzOptions(200),
    );
  });
});
