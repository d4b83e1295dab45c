import { parse as parseYaml, parseAllDocuments } from 'yaml';
import type { HardlineConfig } from '../../shared/config/settings.js';
import { controlById } from '../../shared/controls/index.js';
import { parseConfig } from '../../shared/engine/config.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import type { Result } from '../../shared/engine/types.js';
import type { Gap, Inventory, KubeObject } from '../../shared/inventory/types.js';

export const NOW = new Date('2026-11-30T12:00:00Z');

/** Objects from a multi-document YAML string (tests read like the manifests they describe). */
export function manifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

export function inventory(objects: KubeObject[], extra: Partial<Inventory> = {}, gaps: Gap[] = []): Inventory {
  return {
    target: { kind: 'manifests', name: 'test' },
    collectedAt: NOW.toISOString(),
    origin: 'manifests',
    resources: objects,
    gaps,
    ...extra,
  };
}

/** Runs one control and returns its results. */
export function run(controlId: string, objects: KubeObject[] | Inventory, config: Partial<HardlineConfig> | string = {}): Result[] {
  const control = controlById(controlId);
  if (!control) throw new Error(`unknown control ${controlId}`);
  const inv = Array.isArray(objects) ? inventory(objects) : objects;
  const cfg = parseConfig(typeof config === 'string' ? parseYaml(config) : config);
  return evaluate(inv, [control], [], { now: NOW, config: cfg }).toArray();
}

/** `STATUS Kind/ns/name` lines, sorted: compact assertions on who got which verdict. */
export function verdicts(results: Result[]): string[] {
  return results
    .map(
      (r) =>
        `${r.status} ${r.resource.kind}/${r.resource.namespace && r.resource.kind !== 'Namespace' ? `${r.resource.namespace}/` : ''}${r.resource.name}`,
    )
    .sort();
}

export function statusOf(results: Result[], kind: string, name: string, namespace?: string): string | undefined {
  return results.find(
    (r) => r.resource.kind === kind && r.resource.name === name && (namespace === undefined || r.resource.namespace === namespace),
  )?.status;
}

export const namespace = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

/** A Deployment whose pods carry `labels` (what network policies select on). */
export const labelledDeployment = (
  name: string,
  namespace: string,
  labels: Record<string, string>,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name, image: 'public.ecr.aws/x/y:1' }], ...extra } } },
});
