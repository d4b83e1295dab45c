import type { Evidence, ResourceRef } from '../core/types.js';
import type { InventoryIndex } from '../inventory/indexed.js';
import { labelsOf, namespaceRef } from '../inventory/objects.js';
import type { KubeObject } from '../inventory/types.js';
import type { PolicyContext } from './context.js';

/** What the namespace-level controls need to know about one namespace. */
export interface NamespaceInfo {
  name: string;
  /** The Namespace's labels plus `kubernetes.io/metadata.name` (set by the API server since 1.21). */
  labels: Record<string, string>;
  /** The Namespace object, when the inventory holds it (a manifest folder may only reference it). */
  object?: KubeObject;
  system: boolean;
  /** Pod-bearing objects live in it (empty platform namespaces such as kube-node-lease run none). */
  hasWorkloads: boolean;
  /** The result resource for a verdict on the namespace, built once and shared by every control's results (frozen). */
  ref: ResourceRef;
}

interface Namespaces {
  byName: Map<string, NamespaceInfo>;
  /** Sorted by name. */
  list: readonly NamespaceInfo[];
}

const cache = new WeakMap<InventoryIndex, Namespaces>();

/** Every namespace of the inventory, sorted by name, computed once per scan (shared: read only). */
export function namespaceInfos(ctx: PolicyContext): readonly NamespaceInfo[] {
  return namespaces(ctx).list;
}

export function namespaceInfo(ctx: PolicyContext, name: string): NamespaceInfo {
  return namespaces(ctx).byName.get(name) ?? makeInfo(ctx, name);
}

function namespaces(ctx: PolicyContext): Namespaces {
  let found = cache.get(ctx.index);
  if (!found) {
    const byName = new Map<string, NamespaceInfo>();
    for (const name of [...ctx.index.namespaces()].sort()) byName.set(name, makeInfo(ctx, name));
    cache.set(ctx.index, (found = { byName, list: [...byName.values()] }));
  }
  return found;
}

function makeInfo(ctx: PolicyContext, name: string): NamespaceInfo {
  const object = ctx.index.namespace(name);
  const labels = { ...labelsOf(object?.metadata?.labels), 'kubernetes.io/metadata.name': name };
  const info: NamespaceInfo = {
    name,
    labels,
    system: ctx.config.systemNamespaces.includes(name),
    hasWorkloads: ctx.index.workloadsIn(name).length > 0,
    ref: Object.freeze(namespaceRef(name)),
  };
  if (object) info.object = object;
  return info;
}

/** Adds `systemNamespace: true` to evidence so reports can show platform namespaces separately. */
export function withSystemFlag(ns: NamespaceInfo, evidence: Evidence = {}): Evidence {
  return ns.system ? { ...evidence, systemNamespace: true } : evidence;
}
