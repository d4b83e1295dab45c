import type { InventoryIndex } from '../../inventory/indexed.js';
import type { KubeObject } from '../../inventory/types.js';
import type { CheckContext, Outcome } from '../types.js';
import type { Evidence } from '../../core/types.js';
import { clusterRef, labelsOf, namespaceRef } from './refs.js';

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
export function namespaceInfos(ctx: CheckContext): NamespaceInfo[] {
  return [...namespaceMap(ctx).values()];
}

export function namespaceInfo(ctx: CheckContext, name: string): NamespaceInfo {
  return namespaceMap(ctx).get(name) ?? makeInfo(ctx, name, new Set());
}

function namespaceMap(ctx: CheckContext): Map<string, NamespaceInfo> {
  let map = cache.get(ctx.index);
  if (!map) {
    const withWorkloads = new Set(ctx.index.workloads().map((w) => w.namespace));
    map = new Map();
    for (const name of [...ctx.index.namespaces()].sort()) map.set(name, makeInfo(ctx, name, withWorkloads));
    cache.set(ctx.index, map);
  }
  return map;
}

function makeInfo(ctx: CheckContext, name: string, withWorkloads: Set<string>): NamespaceInfo {
  const object = ctx.index.namespace(name);
  const labels = { ...labelsOf(object?.metadata?.labels), 'kubernetes.io/metadata.name': name };
  const info: NamespaceInfo = { name, labels, system: ctx.config.systemNamespaces.includes(name), hasWorkloads: withWorkloads.has(name) };
  if (object) info.object = object;
  return info;
}

/**
 * Namespaces judged by the network controls. A manifest folder is the whole cluster: when it names
 * no namespace at all (only cluster-wide policies), the `default` namespace every cluster has is
 * judged so a cluster-wide policy is still evaluated. Empty system namespaces (kube-public,
 * kube-node-lease) never run pods and are reported NOT_APPLICABLE instead of as noise.
 */
export function networkNamespaces(ctx: CheckContext): NamespaceInfo[] {
  const list = namespaceInfos(ctx);
  return list.length > 0 ? list : [namespaceInfo(ctx, 'default')];
}

/**
 * The namespace-hygiene controls skip system namespaces unless `systemNamespaceControls:
 * evaluate`; the result stays visible as NOT_APPLICABLE.
 */
export function skippedSystemNamespace(ctx: CheckContext, ns: NamespaceInfo): Outcome | undefined {
  if (!ns.system || ctx.config.systemNamespaceControls === 'evaluate') return undefined;
  return ctx.outcome('NOT_APPLICABLE', namespaceRef(ns.name), `system namespace ${ns.name} (systemNamespaces) is platform-owned; set systemNamespaceControls: evaluate to judge it`, {
    systemNamespace: true,
  });
}

/**
 * The walk every namespace-hygiene control shares: NOT_APPLICABLE when the inventory has no
 * namespace, system namespaces skipped as configured, otherwise one verdict per namespace.
 */
export function judgeNamespaces(ctx: CheckContext, judge: (ns: NamespaceInfo) => Outcome): Outcome[] {
  const namespaces = namespaceInfos(ctx);
  if (namespaces.length === 0) return [ctx.outcome('NOT_APPLICABLE', clusterRef(ctx), 'no namespace in the inventory')];
  return namespaces.map((ns) => skippedSystemNamespace(ctx, ns) ?? judge(ns));
}

/** Adds `systemNamespace: true` to evidence so reports can show platform namespaces separately. */
export function withSystemFlag(ns: NamespaceInfo, evidence: Evidence = {}): Evidence {
  return ns.system ? { ...evidence, systemNamespace: true } : evidence;
}
