import type { Gap, Inventory, KubeObject } from '../../shared/inventory/types.js';

/** A manifests inventory for tests. */
export function inventoryOf(resources: KubeObject[], gaps: Gap[] = [], name = 'test'): Inventory {
  return { target: { kind: 'manifests', name }, collectedAt: '2026-11-30T00:00:00Z', origin: 'manifests', resources, gaps };
}

export function deployment(name: string, namespace: string, podSpec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, ...(extra.metadata ?? {}) },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
  };
}
