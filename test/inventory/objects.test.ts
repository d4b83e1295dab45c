import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import { endObjectRefs, objectRef, startObjectRefs } from '../../shared/inventory/objects.js';
import type { Inventory } from '../../shared/inventory/types.js';

const service = (namespace: string | undefined, name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { type: 'NodePort', selector: { app: name } },
});

describe('objectRef', () => {
  it('builds one frozen ref per object, shared by every call, and distinct refs for distinct objects', () => {
    const a = service('shop', 'web');
    const twin = service('shop', 'web');
    startObjectRefs();
    const ref = objectRef(a);
    expect(ref).toEqual({ apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' });
    expect(objectRef(a)).toBe(ref);
    expect(Object.isFrozen(ref)).toBe(true);
    expect(objectRef(twin)).not.toBe(ref);
    expect(objectRef(twin)).toEqual(ref);
    expect(objectRef(service(undefined, 'api'))).toEqual({ apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'api' });
    endObjectRefs();
    // Outside an evaluation nothing is kept (no table holds the objects): an equal, fresh ref.
    expect(objectRef(a)).not.toBe(ref);
    expect(objectRef(a)).toEqual(ref);
  });

  it('a shared ref gives the same results as fresh ones, and no control writes to it', () => {
    const inventory: Inventory = {
      target: { kind: 'manifests', name: 't' },
      resources: [
        service('shop', 'web'),
        service(undefined, 'api'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { api_key: 'x' } },
      ],
      gaps: [],
      collectedAt: '2026-11-30T00:00:00Z',
      origin: 'manifests',
    };
    const now = new Date('2026-11-30T00:00:00Z');
    const first = JSON.stringify(evaluate(inventory, controls, [], { now }));
    // The second evaluation reads the refs the first one built: no ERROR from writing to a frozen ref, same document.
    expect(JSON.stringify(evaluate(inventory, controls, [], { now }))).toBe(first);
    expect(first).not.toContain('"status":"ERROR"');
    expect(first).toContain('"name":"web"');
  });
});

describe('objectRef across evaluations', () => {
  it('is one frozen ref per object within an evaluation, and an equal fresh one after the next starts', () => {
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app', namespace: 'shop' } };
    startObjectRefs();
    const ref = objectRef(obj);
    expect(objectRef(obj)).toBe(ref);
    expect(Object.isFrozen(ref)).toBe(true);
    expect(JSON.stringify(ref)).toBe('{"apiVersion":"v1","kind":"ConfigMap","name":"app","namespace":"shop"}');
    startObjectRefs();
    const next = objectRef(obj);
    expect(next).not.toBe(ref);
    expect(next).toEqual(ref);
    endObjectRefs();
  });
});
