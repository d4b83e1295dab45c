import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../shared/config/settings.js';
import { InventoryIndex } from '../../shared/inventory/indexed.js';
import type { Inventory } from '../../shared/inventory/types.js';
import { gatekeeperConstraints } from '../../shared/policy/admission/gatekeeper.js';

const inventory = (): Inventory => ({
  target: { kind: 'manifests', name: 't' },
  collectedAt: '2026-11-30T00:00:00Z',
  origin: 'manifests',
  gaps: [],
  resources: [
    {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'K8sPSPPrivilegedContainer',
      metadata: { name: 'no-priv' },
      spec: { enforcementAction: 'deny' },
    },
    { apiVersion: 'constraints.gatekeeper.sh.evil.com/v1', kind: 'K8sFake', metadata: { name: 'fake' }, spec: {} },
    { apiVersion: 'templates.gatekeeper.sh/v1', kind: 'ConstraintTemplate', metadata: { name: 't' } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'a' } },
  ],
});

describe('gatekeeperConstraints', () => {
  it('finds the constraints of the constraints.gatekeeper.sh group only, once per indexed inventory', () => {
    const index = new InventoryIndex(inventory());
    const ctx = { inventory: index.inventory, index, config: defaultConfig() };
    const constraints = gatekeeperConstraints(ctx);
    expect(constraints.map((c) => [c.kind, c.name, c.enforcing])).toEqual([['K8sPSPPrivilegedContainer', 'no-priv', true]]);
    expect(gatekeeperConstraints({ ...ctx })).toBe(constraints);
    const other = new InventoryIndex(inventory());
    expect(gatekeeperConstraints({ inventory: other.inventory, index: other, config: defaultConfig() })).not.toBe(constraints);
  });
});
