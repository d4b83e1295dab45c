import type { KubeObject, ObjectMeta } from '../../inventory/types.js';
import type { Retain } from './kinds.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Keeps what controls read of a listed object and drops the rest as the page arrives, so memory
 * follows the cluster's desired state and not its bookkeeping: managedFields (often half an
 * object), the last-applied annotation (a second copy of the manifest — and of any credential in
 * it), selfLink, and status where the retain policy says so. Builds new objects instead of
 * deleting keys: V8 keeps them in fast mode, and the raw page can be collected whole.
 * `apiVersion` and `kind` are set on every object (list items from built-in APIs omit them).
 */
export function stripObject(raw: Json, apiVersion: string, kind: string, retain: Retain): KubeObject {
  const out: KubeObject = { apiVersion, kind };
  const metadata = stripMetadata(raw['metadata']);
  if (metadata) out.metadata = metadata;
  if (retain === 'node') {
    const addresses = isRecord(raw['status']) ? raw['status']['addresses'] : undefined;
    if (Array.isArray(addresses)) out['status'] = { addresses: addresses.filter(isRecord).map(({ type, address }) => ({ type, address })) };
    return out;
  }
  for (const key in raw) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    if (key === 'status' && retain !== 'all') {
      if (retain === 'pod') {
        const status = podStatus(raw[key]);
        if (status) out['status'] = status;
      }
      continue;
    }
    out[key] = raw[key];
  }
  return out;
}

/**
 * A manifest object without the bookkeeping no control reads (managedFields, selfLink, the
 * last-applied annotation), as exported manifests (`kubectl get -o yaml`) carry it; the object
 * itself when it has none.
 */
export function withoutBookkeeping(obj: KubeObject): KubeObject {
  const meta = obj.metadata;
  if (!isRecord(meta)) return obj;
  const annotations = meta['annotations'];
  if (!('managedFields' in meta) && !('selfLink' in meta) && !(isRecord(annotations) && LAST_APPLIED in annotations)) return obj;
  return { ...obj, metadata: stripMetadata(meta)! };
}

function stripMetadata(value: unknown): ObjectMeta | undefined {
  if (!isRecord(value)) return undefined;
  const meta: ObjectMeta = {};
  for (const key in value) {
    if (key === 'managedFields' || key === 'selfLink') continue;
    if (key === 'annotations' && isRecord(value[key])) {
      const annotations = value[key] as Record<string, string>;
      if (LAST_APPLIED in annotations) {
        const kept: Record<string, string> = {};
        for (const a in annotations) if (a !== LAST_APPLIED) kept[a] = annotations[a]!;
        meta.annotations = kept;
      } else meta.annotations = annotations;
      continue;
    }
    meta[key] = value[key];
  }
  return meta;
}

const CONTAINER_STATUS_LISTS = ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'] as const;

/** Phase and, per container, the image and the digest it actually runs (imageID): what ECR scan findings match. */
function podStatus(value: unknown): Json | undefined {
  if (!isRecord(value)) return undefined;
  const out: Json = {};
  if (typeof value['phase'] === 'string') out['phase'] = value['phase'];
  for (const list of CONTAINER_STATUS_LISTS) {
    const statuses = value[list];
    if (!Array.isArray(statuses)) continue;
    out[list] = statuses.filter(isRecord).map((s) => {
      const c: Json = {};
      if (s['name'] !== undefined) c['name'] = s['name'];
      if (s['image'] !== undefined) c['image'] = s['image'];
      if (s['imageID'] !== undefined) c['imageID'] = s['imageID'];
      return c;
    });
  }
  return out;
}
