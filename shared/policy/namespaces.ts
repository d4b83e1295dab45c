import type { Evidence } from '../core/types.js';
import type { InventoryIndex } from '../inventory/indexed.js';
import { labelsOf } from '../inventory/objects.js';
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
}

const cache = new WeakMap<InventoryIndex, Map<string, NamespaceInfo>>();

/** Every namespace of the inventory, sorted by name, computed once per scan. */
export function namespaceInfos(ctx: PolicyContext): NamespaceInfo[] {
  return [...namespaceMap(ctx).values()];
}

export function namespaceInfo(ctx: PolicyContext, name: string): NamespaceInfo {
  return namespaceMap(ctx).get(name) ?? makeInfo(ctx, name, new Set());
}

function namespaceMap(ctx: PolicyContext): Map<string, NamespaceInfo> {
  let map = cache.get(ctx.index);
  if (!map) {
    const withWorkloads = new Set(ctx.index.workloads().map((w) => w.namespace));
    map = new Map();
    for (const name of [...ctx.index.namespaces()].sort()) map.set(name, makeInfo(ctx, name, withWorkloads));
    cache.set(ctx.index, map);
  }
  return map;
}

function makeInfo(ctx: PolicyContext, name: string, withWorkloads: Set<string>): NamespaceInfo {
  const object = ctx.index.namespace(name);
  const labels = { ...labelsOf(object?.metadata?.labels), 'kubernetes.io/metadata.name': name };
  const info: NamespaceInfo = { name, labels, system: ctx.config.systemNamespaces.includes(name), hasWorkloads: withWorkloads.has(name) };
  if (object) info.object = object;
  return info;
}

/** Adds `systemNamespace: true` to evidence so reports can show platform namespaces separately. */
export function withSystemFlag(ns: NamespaceInfo, evidence: Evidence = {}): Evidence {
  return ns.system ? { ...evidence, systemNamespace: true } : evidence;
}
