import type { KubeObject, ObjectMeta } from './types.js';
import { asRecord, asRecords, asString, getPath, type JsonRecord } from './read.js';

/** Every kind that carries a pod template (DESIGN: workload controls apply to all of them). */
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

/**
 * Reads the pod spec of any pod-bearing object. Returns undefined for other kinds. An object with
 * no pod spec at all still yields a workload (with no containers) so controls can see it.
 */
export function toWorkload(obj: KubeObject, defaultNamespace = 'default'): Workload | undefined {
  const kind = obj.kind;
  if (!isPodBearingKind(kind)) return undefined;
  const template = podTemplateOf(obj, kind);
  const podSpec = asRecord(template.spec) ?? EMPTY;
  const containers: ContainerRef[] = [];
  for (const [field, type] of CONTAINER_LISTS) {
    asRecords(podSpec[field]).forEach((spec, i) => {
      containers.push({
        name: asString(spec['name']) || `${field}[${i}]`,
        type,
        spec,
        securityContext: asRecord(spec['securityContext']) ?? EMPTY,
      });
    });
  }
  const meta = obj.metadata ?? {};
  return {
    object: obj,
    apiVersion: obj.apiVersion ?? '',
    kind,
    namespace: asString(meta.namespace) || defaultNamespace,
    name: asString(meta.name) || '(unnamed)',
    podMeta: (asRecord(template.meta) as ObjectMeta | undefined) ?? {},
    podSpec,
    podSecurityContext: asRecord(podSpec['securityContext']) ?? EMPTY,
    containers,
    windows: asString(getPath(podSpec, 'os', 'name')) === 'windows',
  };
}
