import { POD_BEARING_KINDS, type ContainerRef, type Workload } from '../../inventory/workloads.js';
import type { CheckContext, Control, ControlMeta, Evidence, Outcome, ResourceRef, Status } from '../types.js';

/** What a workload check says about a pod or a container: nothing (PASS) or why not. */
export interface Verdict {
  status?: Exclude<Status, 'PASS' | 'ERROR'>;
  message: string;
  evidence?: Evidence;
}
export type VerdictOrPass = Verdict | undefined;

export interface WorkloadCheck {
  /** Pod-level verdict (host namespaces, volumes, pod securityContext). */
  pod?: (w: Workload, ctx: CheckContext) => VerdictOrPass;
  /** Per-container verdict, for regular, init and ephemeral containers alike. */
  container?: (c: ContainerRef, w: Workload, ctx: CheckContext) => VerdictOrPass;
  /**
   * When the check cannot apply to a workload at all (e.g. a Linux-only PSS check on a Windows
   * pod), the reason; the workload gets one NOT_APPLICABLE result.
   */
  notApplicable?: (w: Workload, ctx: CheckContext) => string | undefined;
  /** Message for PASS results. */
  passMessage: string;
}

export function workloadRef(w: Workload, container?: ContainerRef): ResourceRef {
  const ref: ResourceRef = { apiVersion: w.apiVersion, kind: w.kind, namespace: w.namespace, name: w.name };
  if (container) ref.container = container.name;
  return ref;
}

function outcome(v: VerdictOrPass, resource: ResourceRef, passMessage: string): Outcome {
  if (!v) return { status: 'PASS', resource, message: passMessage };
  const o: Outcome = { status: v.status ?? 'FAIL', resource, message: v.message };
  if (v.evidence) o.evidence = v.evidence;
  return o;
}

/**
 * The one container walk every workload control shares (STYLE: no per-control boilerplate). Results
 * are per container where the check has a container part, plus a pod-level result when the pod
 * itself is at fault; pod-only checks give one result per workload.
 */
export function defineWorkloadControl(meta: Omit<ControlMeta, 'scope'>, spec: WorkloadCheck): Control {
  return {
    ...meta,
    scope: 'workload',
    reads: POD_BEARING_KINDS,
    *check(ctx: CheckContext): Iterable<Outcome> {
      for (const w of ctx.index.workloads()) {
        const na = spec.notApplicable?.(w, ctx);
        if (na !== undefined) {
          yield { status: 'NOT_APPLICABLE', resource: workloadRef(w), message: na };
          continue;
        }
        const podVerdict = spec.pod?.(w, ctx);
        if (!spec.container) {
          yield outcome(podVerdict, workloadRef(w), spec.passMessage);
          continue;
        }
        if (podVerdict) yield outcome(podVerdict, workloadRef(w), spec.passMessage);
        if (w.containers.length === 0 && !podVerdict) {
          yield { status: 'NOT_APPLICABLE', resource: workloadRef(w), message: 'the pod template has no containers' };
          continue;
        }
        for (const c of w.containers) yield outcome(spec.container(c, w, ctx), workloadRef(w, c), spec.passMessage);
      }
    },
  };
}

/** `containers[0]` → `spec.containers[0]`-style paths for evidence, by container type. */
export function containerField(c: ContainerRef, field: string): string {
  return `${c.type === 'container' ? 'containers' : c.type + 's'}[${c.name}].${field}`;
}
