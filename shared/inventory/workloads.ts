import type { ResourceRef } from '../core/types.js';
import { asRecord, asString, getPath, type JsonRecord } from './read.js';
import type { KubeObject, ObjectMeta } from './types.js';

/** Every kind that carries a pod template: workload controls judge all of them. */
export const POD_BEARING_KINDS = [
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
] as const;
export type PodBearingKind = (typeof POD_BEARING_KINDS)[number];

const POD_BEARING = new Set<string>(POD_BEARING_KINDS);

export function isPodBearingKind(kind: string | undefined): kind is PodBearingKind {
  return kind !== undefined && POD_BEARING.has(kind);
}

export type ContainerType = 'container' | 'initContainer' | 'ephemeralContainer';

export interface ContainerRef {
  /** The container's name, or `containers[2]` when a manifest left the name out. */
  name: string;
  type: ContainerType;
  spec: JsonRecord;
  /** `securityContext` of the container, `{}` when absent. */
  securityContext: JsonRecord;
  /** The result resource for this container, built once and shared by every control's results. */
  ref: ResourceRef;
  /** Its `securityContext` is there but not an object: read as `{}`, so nothing may be concluded from it. */
  securityContextUnreadable?: true;
}

/** Which parts of a pod spec could not be read (set together with `Workload.unreadable`). */
export interface UnreadParts {
  /** No pod spec at all: nothing about the pods is known. */
  podSpec: boolean;
  /** The pod-level securityContext (what every container inherits) is not an object. */
  podSecurityContext: boolean;
  /** A container list is missing or not a list, or an entry of one is not an object: `containers` is incomplete. */
  containers: boolean;
}

export interface Workload {
  object: KubeObject;
  apiVersion: string;
  kind: PodBearingKind;
  namespace: string;
  name: string;
  /** The pod template's (or the Pod's) metadata. */
  podMeta: ObjectMeta;
  podSpec: JsonRecord;
  /** Pod-level `securityContext`, `{}` when absent. */
  podSecurityContext: JsonRecord;
  /** Regular, init and ephemeral containers, in that order. */
  containers: ContainerRef[];
  /** `spec.os.name == windows`: PSS exempts such pods from the Linux-only restricted checks. */
  windows: boolean;
  /** The result resource for the workload as a whole, built once and shared. */
  ref: ResourceRef;
  /**
   * Why the pod spec cannot be judged (missing, or a field the container walk reads has the wrong
   * type): every verdict that depends on it is UNKNOWN — judging what could be read would be a false PASS.
   */
  unreadable?: string;
  /** What exactly could not be read: a verdict that does not depend on it still stands (a privileged container read in full). */
  unreadParts?: UnreadParts;
}

/** The service account a workload's pods run as (`default` when the pod spec names none). */
export function serviceAccountOf(w: Workload): string {
  return asString(w.podSpec['serviceAccountName']) || asString(w.podSpec['serviceAccount']) || 'default';
}

const EMPTY: JsonRecord = Object.freeze({}) as JsonRecord;

const CONTAINER_LISTS: [string, ContainerType][] = [
  ['containers', 'container'],
  ['initContainers', 'initContainer'],
  ['ephemeralContainers', 'ephemeralContainer'],
];

function podTemplateOf(obj: KubeObject, kind: PodBearingKind): { meta: unknown; spec: unknown } {
  switch (kind) {
    case 'Pod':
      return { meta: obj.metadata, spec: obj['spec'] };
    case 'CronJob':
      return {
        meta: getPath(obj, 'spec', 'jobTemplate', 'spec', 'template', 'metadata'),
        spec: getPath(obj, 'spec', 'jobTemplate', 'spec', 'template', 'spec'),
      };
    default:
      return { meta: getPath(obj, 'spec', 'template', 'metadata'), spec: getPath(obj, 'spec', 'template', 'spec') };
  }
}

const present = (v: unknown) => v !== undefined && v !== null;

/** What of a pod spec cannot be read, and why (every reason, in reading order); undefined when it can be judged. */
function unreadPartsOf(kind: PodBearingKind, spec: unknown): { reasons: string[]; parts: UnreadParts } | undefined {
  const where = kind === 'Pod' ? 'spec' : kind === 'CronJob' ? 'spec.jobTemplate.spec.template.spec' : 'spec.template.spec';
  const podSpec = asRecord(spec);
  if (!podSpec) {
    const what = present(spec) ? `a ${Array.isArray(spec) ? 'list' : typeof spec}` : 'missing';
    return {
      reasons: [`${kind} has no readable pod spec (${where} is ${what})`],
      parts: { podSpec: true, podSecurityContext: true, containers: true },
    };
  }
  const reasons: string[] = [];
  const parts: UnreadParts = { podSpec: false, podSecurityContext: false, containers: false };
  if (present(podSpec['securityContext']) && !asRecord(podSpec['securityContext'])) {
    reasons.push(`${where}.securityContext is not an object`);
    parts.podSecurityContext = true;
  }
  if (!Array.isArray(podSpec['containers'])) {
    reasons.push(`${where}.containers is ${present(podSpec['containers']) ? 'not a list' : 'missing'}`);
    parts.containers = true;
  }
  for (const [field] of CONTAINER_LISTS) {
    const list = podSpec[field];
    if (!present(list) || !Array.isArray(list)) {
      if (present(list) && field !== 'containers') {
        reasons.push(`${where}.${field} is not a list`);
        parts.containers = true;
      }
      continue;
    }
    for (let i = 0; i < list.length; i++) {
      const c = asRecord(list[i]);
      if (!c) {
        reasons.push(`${where}.${field}[${i}] is not an object`);
        parts.containers = true;
      } else if (present(c['securityContext']) && !asRecord(c['securityContext'])) {
        reasons.push(`${where}.${field}[${i}].securityContext is not an object`);
      }
    }
  }
  return reasons.length > 0 ? { reasons, parts } : undefined;
}

/**
 * Reads the pod spec of any pod-bearing object. Returns undefined for other kinds. An object with
 * no pod spec at all still yields a workload (with no containers) so controls can see it.
 */
export function toWorkload(obj: KubeObject, defaultNamespace = 'default'): Workload | undefined {
  const kind = obj.kind;
  if (!isPodBearingKind(kind)) return undefined;
  const template = podTemplateOf(obj, kind);
  const podSpec = asRecord(template.spec) ?? EMPTY;
  const meta = obj.metadata ?? {};
  const apiVersion = asString(obj.apiVersion) ?? '';
  const namespace = asString(meta.namespace) || defaultNamespace;
  const name = asString(meta.name) || '(unnamed)';
  const containers: ContainerRef[] = [];
  let wellFormed = podSpec !== EMPTY && Array.isArray(podSpec['containers']);
  for (let l = 0; l < CONTAINER_LISTS.length; l++) {
    const [field, type] = CONTAINER_LISTS[l]!;
    const list = podSpec[field];
    if (!Array.isArray(list)) {
      if (present(list)) wellFormed = false;
      continue;
    }
    // Unnamed containers are numbered among the entries that are objects.
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const spec = asRecord(list[i]);
      if (!spec) {
        wellFormed = false;
        continue;
      }
      const containerName = asString(spec['name']) || `${field}[${n}]`;
      n++;
      const securityContext = asRecord(spec['securityContext']);
      const container: ContainerRef = {
        name: containerName,
        type,
        spec,
        securityContext: securityContext ?? EMPTY,
        ref: Object.freeze({ apiVersion, kind, namespace, name, container: containerName }),
      };
      if (!securityContext && present(spec['securityContext'])) {
        container.securityContextUnreadable = true;
        wellFormed = false;
      }
      containers.push(container);
    }
  }
  if (present(podSpec['securityContext']) && !asRecord(podSpec['securityContext'])) wellFormed = false;
  // The full reading (every reason, in order) only for the rare spec that has something unreadable.
  const unread = wellFormed ? undefined : unreadPartsOf(kind, template.spec);
  const workload: Workload = {
    object: obj,
    apiVersion,
    kind,
    namespace,
    name,
    podMeta: (asRecord(template.meta) as ObjectMeta | undefined) ?? {},
    podSpec,
    podSecurityContext: asRecord(podSpec['securityContext']) ?? EMPTY,
    // Copied out at its exact size: a list grown by push keeps room for 17 containers, a large
    // cluster's workloads would hold ~2 MB of empty slots through the whole evaluation.
    containers: containers.slice(),
    windows: asString(getPath(podSpec, 'os', 'name')) === 'windows',
    ref: Object.freeze({ apiVersion, kind, namespace, name }),
  };
  // Added to the rare unreadable one only: every other workload keeps one shape for the controls reading it.
  if (unread) {
    workload.unreadable = unread.reasons.join('; ');
    workload.unreadParts = unread.parts;
  }
  return workload;
}
