import type { ResourceRef } from '../core/types.js';
import { namespaceOf } from './indexed.js';
import { asRecord, asString } from './read.js';
import type { KubeObject } from './types.js';

/** Reading Kubernetes objects for messages and result resources: names, labels, API groups, refs. */

/** The refs of the evaluation running now (none outside one). */
let refs: Map<KubeObject, ResourceRef> | undefined;

/**
 * Starts the refs of an evaluation. A Map rather than a WeakMap: a weak table of fresh refs keyed by
 * long-lived objects is an ephemeron table every young-generation GC of the evaluation had to walk
 * (about a tenth of the engine's time at 50k objects). `endObjectRefs` lets it go, so no inventory
 * is held after its evaluation.
 */
export function startObjectRefs(): void {
  refs = new Map();
}

export function endObjectRefs(): void {
  refs = undefined;
}

/**
 * The precise resource of a verdict on a Kubernetes object: within an evaluation, built once per
 * object and shared by every control's results (frozen), so a large cluster keeps one ref per
 * object, not one per result. Outside one, a fresh ref each call.
 */
export function objectRef(obj: KubeObject): ResourceRef {
  let ref = refs?.get(obj);
  if (ref === undefined) {
    const built: ResourceRef = { apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '', name: nameOf(obj) };
    const ns = namespaceOf(obj);
    if (ns) built.namespace = ns;
    ref = Object.freeze(built);
    refs?.set(obj, ref);
  }
  return ref;
}

/**
 * A verdict about a namespace carries the namespace in `resource.namespace` too, so exemptions
 * (`match.namespace`, the `hardline.dev/exempt` annotation on the Namespace) and namespace filters
 * apply to it like to the objects inside.
 */
export function namespaceRef(name: string): ResourceRef {
  return { apiVersion: 'v1', kind: 'Namespace', namespace: name, name };
}

export function nameOf(obj: KubeObject): string {
  // A top-level `name` is a manifest whose metadata lost its indentation: still the best name we have.
  return asString(obj.metadata?.name) || asString(obj['name']) || '(unnamed)';
}

/** Labels as a string map; non-string values (a templating slip) are dropped rather than trusted. */
export function labelsOf(value: unknown): Record<string, string> {
  const rec = asRecord(value);
  if (!rec) return {};
  // Well-formed labels (the common case) are used as they are: callers only read them.
  let clean = true;
  for (const k in rec) {
    if (typeof rec[k] !== 'string') {
      clean = false;
      break;
    }
  }
  if (clean) return rec as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** `kind/name` or `kind/namespace/name`, as used in messages and evidence. */
export function describeObject(obj: KubeObject): string {
  const ns = namespaceOf(obj);
  return `${obj.kind ?? '?'}/${ns ? `${ns}/` : ''}${nameOf(obj)}`;
}

/** The same text from a ref already built (saves reading the object twice per result). */
export function describeRef(ref: ResourceRef): string {
  return `${ref.kind || '?'}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** `apiVersion` group: `networking.k8s.io/v1` → `networking.k8s.io`, `v1` → ``. */
export function apiGroupOf(obj: KubeObject): string {
  const v = obj.apiVersion ?? '';
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

/** Groups objects by namespace once, so per-namespace checks never rescan the whole list. */
export function groupByNamespace(objects: readonly KubeObject[]): Map<string, KubeObject[]> {
  const map = new Map<string, KubeObject[]>();
  for (const obj of objects) {
    const ns = namespaceOf(obj);
    let list = map.get(ns);
    if (!list) map.set(ns, (list = []));
    list.push(obj);
  }
  return map;
}
