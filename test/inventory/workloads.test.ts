import { describe, expect, it } from 'vitest';
import { InventoryIndex } from '../../shared/inventory/indexed.js';
import { toWorkload } from '../../shared/inventory/workloads.js';

const pod = (spec: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec });

describe('toWorkload reads the container lists once', () => {
  it('a well-formed pod spec is readable, with every container in order', () => {
    const w = toWorkload(
      pod({ containers: [{ name: 'app' }, {}], initContainers: [{ name: 'init', securityContext: { privileged: true } }] }),
    )!;
    expect(w.unreadable).toBeUndefined();
    expect(w.unreadParts).toBeUndefined();
    expect(w.containers.map((c) => [c.name, c.type])).toEqual([
      ['app', 'container'],
      ['containers[1]', 'container'],
      ['init', 'initContainer'],
    ]);
    expect(w.containers[2]!.securityContext).toEqual({ privileged: true });
  });

  it('unnamed containers are numbered among the entries that are objects; every unreadable part is reported', () => {
    const w = toWorkload(pod({ containers: ['x', {}, { securityContext: 'root' }], ephemeralContainers: 'no', securityContext: 7 }))!;
    expect(w.containers.map((c) => c.name)).toEqual(['containers[0]', 'containers[1]']);
    expect(w.containers[1]!.securityContextUnreadable).toBe(true);
    expect(w.unreadable).toBe(
      'spec.securityContext is not an object; spec.containers[0] is not an object; spec.containers[2].securityContext is not an object; spec.ephemeralContainers is not a list',
    );
    expect(w.unreadParts).toEqual({ podSpec: false, podSecurityContext: true, containers: true });
  });

  it.each([
    ['no pod spec', undefined],
    ['no containers list', {}],
    ['containers not a list', { containers: {} }],
    ['a container securityContext not an object', { containers: [{ name: 'a', securityContext: [] }] }],
    ['initContainers not a list', { containers: [], initContainers: 3 }],
  ])('%s is unreadable', (_, spec) => {
    expect(toWorkload(pod(spec))!.unreadable).toBeTruthy();
  });
});

describe('InventoryIndex.workloadsIn', () => {
  it('groups the workloads (not the pods their controllers own) by namespace, in inventory order', () => {
    const deploy = (name: string, namespace?: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, ...(namespace ? { namespace } : {}) },
      spec: { template: { spec: { containers: [{ name: 'app' }] } } },
    });
    const owned = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'a-1', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'a', controller: true }] },
      spec: { containers: [{ name: 'app' }] },
    };
    const index = new InventoryIndex({
      target: { kind: 'manifests', name: 't' },
      collectedAt: '2026-12-03T00:00:00Z',
      origin: 'manifests',
      gaps: [],
      resources: [
        deploy('b', 'shop'),
        deploy('x'),
        owned,
        deploy('a', 'shop'),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' } },
      ],
    });
    expect(index.workloadsIn('shop').map((w) => w.name)).toEqual(['b', 'a']);
    expect(index.workloadsIn('default').map((w) => w.name)).toEqual(['x']);
    expect(index.workloadsIn('nowhere')).toEqual([]);
  });
});
