import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { controls } from '../../shared/controls/index.js';
import { appliesTo } from '../../shared/controls/types.js';
import { STATUSES } from '../../shared/core/types.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import type { Result } from '../../shared/engine/types.js';
import { namespaceOf } from '../../shared/inventory/indexed.js';
import { asString } from '../../shared/inventory/read.js';
import { type Gap, type Inventory, type KubeObject, SNAPSHOT_API_VERSION, SNAPSHOT_KIND } from '../../shared/inventory/types.js';
import {
  fuzzOptions,
  getAt,
  inertObject,
  isPodBearing,
  junk,
  loadFixtures,
  NOW,
  podSpecPath,
  setAt,
  typeMutation,
  unknownFieldMutation,
  type JsonPath,
} from './arbitraries.js';

/**
 * The engine on arbitrary and mutated Kubernetes objects. The properties are chosen so that each
 * is sound — true of a correct engine whatever the input — rather than "no exception":
 * - any mutation: no crash, no ERROR, every result well formed;
 * - mutations that cannot remove a violation (unknown fields, order, unrelated objects) keep every FAIL;
 * - a workload whose pod spec or container list cannot be read is never PASS;
 * - a gap on a source makes the controls that read it UNKNOWN (never PASS when required), and leaves the others alone.
 */
const fixtures = loadFixtures();
const evaluateAll = (inv: Inventory) => evaluate(inv, controls, [], { now: NOW }).toArray();
const resourceKey = (r: Result) => `${r.resource.kind}/${r.resource.namespace ?? ''}/${r.resource.name}/${r.resource.container ?? ''}`;
const key = (r: Result) => `${r.controlId} ${resourceKey(r)}`;
const withResources = (inv: Inventory, resources: KubeObject[]): Inventory => ({ ...inv, resources });

/** What the engine gets in real life: the objects after the loader (here as a snapshot file) has checked their shape. */
function throughLoader(inv: Inventory, resources: unknown[]): Inventory {
  const loader = new ManifestLoader();
  loader.addText(JSON.stringify({ apiVersion: SNAPSHOT_API_VERSION, kind: SNAPSHOT_KIND, ...inv, resources }), 'fuzz.json');
  const loaded = loader.result({ kind: 'manifests', name: 'unused' }, NOW.toISOString());
  expect(loaded.inventories).toHaveLength(1);
  for (const e of loaded.errors) expect(e).toMatchObject({ file: 'fuzz.json', line: 1 });
  return loaded.inventories[0]!;
}

const fixtureWithResources = fc.constantFrom(...fixtures.filter((f) => f.inventory.resources.length > 0));

function wellFormed(results: readonly Result[], inv: Inventory): void {
  for (const r of results) {
    expect(STATUSES).toContain(r.status);
    expect(r.status, `${key(r)}: ${r.message}`).not.toBe('ERROR');
    expect(typeof r.message).toBe('string');
    expect(typeof r.resource.kind).toBe('string');
    expect(typeof r.resource.name).toBe('string');
    expect(r.target).toEqual(inv.target);
  }
}

describe('engine fuzzing', () => {
  it('has fixtures to mutate', () => {
    expect(fixtures.filter((f) => f.expectation === 'fail').length).toBeGreaterThan(50);
  });

  it('survives any type confusion in any field of any object: no crash, no ERROR, well-formed results', () => {
    const mutated = fixtureWithResources.chain((f) =>
      fc.nat(f.inventory.resources.length - 1).chain((i) =>
        typeMutation(f.inventory.resources[i]).map((doc) => {
          const resources: unknown[] = [...f.inventory.resources];
          resources[i] = doc;
          return throughLoader(f.inventory, resources);
        }),
      ),
    );
    fc.assert(
      fc.property(mutated, (inv) => {
        wellFormed(evaluateAll(inv), inv);
      }),
      fuzzOptions(150),
    );
  });

  it('survives objects made of arbitrary JSON under every kind the catalog reads', () => {
    const kinds = [...new Set(controls.flatMap((c) => [...c.reads, ...(c.requires ?? [])]).filter((s) => !s.includes(':')))];
    const object = fc.record({
      apiVersion: junk,
      kind: fc.constantFrom(...kinds),
      metadata: fc.oneof(junk, fc.record({ name: junk, namespace: junk, labels: junk, annotations: junk, ownerReferences: junk })),
      spec: fc.jsonValue({ maxDepth: 4 }),
      rules: junk,
      subjects: junk,
      roleRef: junk,
      data: junk,
    });
    const empty: Inventory = {
      target: { kind: 'manifests', name: 'fuzz' },
      collectedAt: NOW.toISOString(),
      origin: 'snapshot',
      resources: [],
      gaps: [],
    };
    const inventory = fc.array(object, { minLength: 1, maxLength: 8 }).map((resources) => throughLoader(empty, resources));
    fc.assert(
      fc.property(inventory, (inv) => {
        wellFormed(evaluateAll(inv), inv);
      }),
      fuzzOptions(200),
    );
  });

  it('keeps every FAIL when unknown fields, unrelated objects and a different order are added', () => {
    const failing = fixtures.filter((f) => f.expectation === 'fail' && f.inventory.resources.length > 0);
    const arb = fc.constantFrom(...failing).chain((f) =>
      fc
        .tuple(
          fc.tuple(...f.inventory.resources.map((r) => fc.oneof(fc.constant(r as unknown), unknownFieldMutation(r)))),
          fc.array(inertObject, { maxLength: 3 }),
          fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        )
        .map(([resources, extra, order]) => {
          const all = [...(resources as KubeObject[]), ...extra];
          const shuffled = all
            .map((r) => ({ r, k: order.next().value as number }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.r);
          return { fixture: f, mutated: withResources(f.inventory, shuffled) };
        }),
    );
    fc.assert(
      fc.property(arb, ({ fixture, mutated }) => {
        const before = evaluateAll(fixture.inventory).filter((r) => r.status === 'FAIL');
        const after = new Map<string, Set<string>>();
        for (const r of evaluateAll(mutated)) after.set(key(r), (after.get(key(r)) ?? new Set()).add(r.status));
        // A FAIL on an object of the inventory stays a FAIL. A FAIL on a place no object is
        // (the implicit `default` namespace of a cluster with no namespaced object) may stop being
        // judged once other namespaces appear — but it never turns into a PASS.
        const real = new Set(fixture.inventory.resources.map((o) => `${o.kind}/${namespaceOf(o)}/${asString(o.metadata?.name) ?? ''}`));
        const lost = before.filter((r) => {
          const now = after.get(key(r));
          if (now?.has('FAIL')) return false;
          return now !== undefined || real.has(`${r.resource.kind}/${r.resource.namespace ?? ''}/${r.resource.name}`);
        });
        expect(
          lost.map((r) => `${key(r)} → ${[...(after.get(key(r)) ?? ['gone'])].join(',')}`),
          fixture.file,
        ).toEqual([]);
      }),
      fuzzOptions(150),
    );
  });

  it('gives the same verdicts whatever the order of the objects', () => {
    const arb = fixtureWithResources.chain((f) =>
      fc
        .shuffledSubarray(f.inventory.resources, { minLength: f.inventory.resources.length })
        .map((r) => ({ f, shuffled: withResources(f.inventory, r) })),
    );
    const verdicts = (rs: Result[]) => rs.map((r) => `${key(r)} ${r.status}`).sort();
    fc.assert(
      fc.property(arb, ({ f, shuffled }) => {
        expect(verdicts(evaluateAll(shuffled)), f.file).toEqual(verdicts(evaluateAll(f.inventory)));
      }),
      fuzzOptions(150),
    );
  });

  it('never passes a workload whose pod spec, container list or security context cannot be read', () => {
    const notRecord = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
    );
    // null is how YAML writes an empty optional field: `securityContext:` alone means "not set".
    const notRecordNorNull = notRecord.filter((v) => v !== null);
    const notArray = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer(),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    );
    const withWorkloads = fixtures.filter((f) =>
      f.inventory.resources.some(
        (r) =>
          isPodBearing(r) &&
          getAt(r, podSpecPath(r)) !== undefined &&
          f.inventory.resources.filter(
            (x) => x.kind === r.kind && x.metadata?.name === r.metadata?.name && namespaceOf(x) === namespaceOf(r),
          ).length === 1,
      ),
    );
    const arb = fc.constantFrom(...withWorkloads).chain((f) => {
      // Results name objects by kind/namespace/name: an object sharing them with another one cannot be told apart.
      const id = (o: KubeObject) => `${o.kind}/${namespaceOf(o)}/${asString(o.metadata?.name) ?? ''}`;
      const unique = (o: KubeObject) => f.inventory.resources.filter((x) => id(x) === id(o)).length === 1;
      const indexes = f.inventory.resources.flatMap((r, i) =>
        isPodBearing(r) && unique(r) && getAt(r, podSpecPath(r)) !== undefined ? [i] : [],
      );
      return fc.tuple(fc.constantFrom(...indexes), fc.nat(9)).chain(([i, choice]) => {
        const obj = f.inventory.resources[i]!;
        const spec = podSpecPath(obj);
        const lists = ['containers', 'initContainers', 'ephemeralContainers'].filter((l) => Array.isArray(getAt(obj, [...spec, l])));
        const list = lists[choice % Math.max(1, lists.length)] ?? 'containers';
        const entries = (getAt(obj, [...spec, list]) as unknown[] | undefined)?.length ?? 0;
        const broken: fc.Arbitrary<[JsonPath, unknown]>[] = [
          notRecord.map((v) => [spec, v]),
          notArray.map((v) => [[...spec, list], v]),
          notRecordNorNull.map((v) => [[...spec, 'securityContext'], v]),
        ];
        if (entries > 0) {
          broken.push(fc.tuple(fc.nat(entries - 1), notRecord).map(([e, v]) => [[...spec, list, e], v]));
          broken.push(fc.tuple(fc.nat(entries - 1), notRecordNorNull).map(([e, v]) => [[...spec, list, e, 'securityContext'], v]));
        }
        return fc.oneof(...broken).map(([path, value]) => {
          const resources = [...f.inventory.resources];
          resources[i] = setAt(obj, path, value) as KubeObject;
          return { f, obj, inv: withResources(f.inventory, resources), path: path.join('.') };
        });
      });
    });
    // Judged on metadata alone (where the workload lives, who owns it), or on the pod spec's
    // serviceAccountName, which an unreadable container list or security context leaves readable.
    const metadataOnly = new Set(['workload.naked-pod', 'workload.default-namespace']);
    const serviceAccountOnly = new Set(['workload.privileged-service-account']);
    const judgesPodSpec = new Set(
      controls
        .filter((c) => c.scope === 'workload' && !metadataOnly.has(c.id) && !serviceAccountOnly.has(c.id))
        .map((c) => c.id)
        .concat(['rbac.default-service-account', 'dashboard.exposed']),
    );
    fc.assert(
      fc.property(arb, ({ f, obj, inv, path }) => {
        const name = obj.metadata?.name;
        const podSpecGone = path === podSpecPath(obj).join('.');
        const passes = evaluateAll(inv).filter(
          (r) =>
            (judgesPodSpec.has(r.controlId) || (podSpecGone && serviceAccountOnly.has(r.controlId))) &&
            r.status === 'PASS' &&
            r.resource.kind === obj.kind &&
            r.resource.name === name,
        );
        expect(
          passes.map((r) => `${r.controlId}: ${r.message}`),
          `${f.file} with ${path} unreadable`,
        ).toEqual([]);
      }),
      fuzzOptions(250),
    );
  });

  it('turns a gap into UNKNOWN for every control that reads the source, and changes nothing else', () => {
    const sources = [...new Set(controls.flatMap((c) => [...c.reads, ...(c.requires ?? [])]))];
    const gap = fc.record({
      source: fc.constantFrom(...sources),
      reason: fc.constantFrom<Gap['reason']>('forbidden', 'timeout', 'unreachable', 'throttled', 'error'),
      message: fc.constant('injected by the fuzz test'),
    });
    const arb = fc.tuple(
      fc.constantFrom(...fixtures.filter((f) => f.inventory.gaps.length === 0)),
      fc.uniqueArray(gap, { minLength: 1, maxLength: 3, selector: (g) => g.source }),
    );
    fc.assert(
      fc.property(arb, ([f, gaps]) => {
        const clean = evaluateAll(f.inventory);
        const gapped = evaluateAll({ ...f.inventory, gaps });
        const hit = new Set(gaps.map((g) => g.source));
        for (const c of controls.filter((x) => appliesTo(x, f.inventory.target.kind))) {
          const mine = gapped.filter((r) => r.controlId === c.id);
          const blocked = (c.requires ?? []).some((s) => hit.has(s));
          const partial = c.reads.some((s) => hit.has(s));
          if (blocked) expect(mine.filter((r) => r.status !== 'UNKNOWN').map(key), `${c.id} requires a gapped source`).toEqual([]);
          if (blocked || partial)
            expect(
              mine.some((r) => r.status === 'UNKNOWN'),
              `${c.id} reads a gapped source`,
            ).toBe(true);
          if (!blocked && !partial) {
            const verdicts = (rs: Result[]) =>
              rs
                .filter((r) => r.controlId === c.id)
                .map((r) => `${key(r)} ${r.status}`)
                .sort();
            expect(verdicts(gapped), `${c.id} does not read ${[...hit].join(', ')}`).toEqual(verdicts(clean));
          }
        }
      }),
      fuzzOptions(200),
    );
  });
});
