import type { Evidence } from '../../core/types.js';
import { POD_BEARING_KINDS, type ContainerRef, type Workload } from '../../inventory/workloads.js';
import type { CheckContext, Judge, Outcome } from '../types.js';
import type { ContainerName, Verdict, VerdictOrPass } from './verdicts.js';
import { partialContainer, partialView, type Touched } from './partial.js';

export type { Verdict, VerdictOrPass } from './verdicts.js';

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

/** Where a walk puts its outcomes, in order: the check's list, or the engine's sink that drops the tokens. */
export interface OutcomeSink {
  push(...outcomes: Outcome[]): unknown;
}

/** Appends one control's outcomes for one workload, in order. */
export type WorkloadWalk = (w: Workload, ctx: CheckContext, out: OutcomeSink) => void;

const WALK = Symbol('workload walk');

/**
 * The per-workload walk behind a check that judgeWorkloads built, so the engine can run all such
 * controls over one workload before moving to the next (its data is then read while in cache).
 * A check replaced by other code has none and is run as it is.
 */
export function workloadWalkOf(check: Judge['check']): WorkloadWalk | undefined {
  return (check as { [WALK]?: WorkloadWalk })[WALK];
}

/**
 * The one container walk every workload control shares (no per-control boilerplate).
 * Verdicts that are not PASS are reported per container (or per pod for pod-level faults); a
 * workload whose pod and containers all pass gets one PASS for the workload — a PASS says the
 * resource complies, and per-container PASS rows would triple the results of a large cluster
 * without telling anyone more.
 */
export function judgeWorkloads(spec: WorkloadCheck): Judge {
  const { pod, container, notApplicable, passMessage } = spec;
  const judgeWorkload: WorkloadWalk = (w, ctx, out) => {
    if (w.unreadable) {
      judgePartly(w, spec, ctx, out);
      return;
    }
    const na = notApplicable?.(w, ctx);
    if (na !== undefined) {
      out.push(ctx.outcome('NOT_APPLICABLE', w.ref, na));
      return;
    }
    const podVerdict = pod?.(w, ctx);
    if (podVerdict) out.push(ctx.outcome(podVerdict.status ?? 'FAIL', w.ref, podVerdict.message, podVerdict.evidence));
    let faulted = podVerdict !== undefined;
    let passed = podVerdict === undefined && !container;
    let naMessage: string | undefined;
    if (container) {
      const containers = w.containers;
      for (let i = 0; i < containers.length; i++) {
        const c = containers[i]!;
        const v = container(c, w, ctx);
        if (!v) passed = true;
        else if (v.status === 'NOT_APPLICABLE') naMessage ??= v.message;
        else {
          out.push(ctx.outcome(v.status ?? 'FAIL', c.ref, v.message, v.evidence));
          faulted = true;
        }
      }
    }
    if (faulted) return;
    if (passed) out.push(ctx.outcome('PASS', w.ref, passMessage));
    else out.push(ctx.outcome('NOT_APPLICABLE', w.ref, naMessage ?? 'the pod template has no containers'));
  };
  // A plain loop filling an array: measurably cheaper than a generator at a million outcomes.
  const check = (ctx: CheckContext): Outcome[] => {
    const out: Outcome[] = [];
    const workloads = ctx.index.workloads();
    for (let i = 0; i < workloads.length; i++) judgeWorkload(workloads[i]!, ctx, out);
    return out;
  };
  return { reads: POD_BEARING_KINDS, check: Object.assign(check, { [WALK]: judgeWorkload }) };
}

/**
 * A workload whose pod spec is only partly readable: the FAILs reached without reading the missing
 * part are reported (a privileged ephemeral container of a pod with no `containers` list); UNKNOWN
 * only when nothing seen fails, and never PASS.
 */
function judgePartly(w: Workload, spec: WorkloadCheck, ctx: CheckContext, out: OutcomeSink): void {
  const fails: Outcome[] = [];
  const { pod, container, notApplicable } = spec;
  if (!w.unreadParts?.podSpec) {
    const touched: Touched = { value: false };
    const view = partialView(w, touched);
    const na = notApplicable?.(view, ctx);
    if (na !== undefined && !touched.value) {
      out.push(ctx.outcome('NOT_APPLICABLE', w.ref, na));
      return;
    }
    const definiteFail = (v: VerdictOrPass): v is Verdict => v !== undefined && (v.status ?? 'FAIL') === 'FAIL' && !touched.value;
    const evidence = (v: Verdict): Evidence => ({ ...v.evidence, podSpecIncomplete: w.unreadable ?? '' });
    touched.value = false;
    const podVerdict = pod?.(view, ctx);
    if (definiteFail(podVerdict)) fails.push(ctx.outcome('FAIL', w.ref, podVerdict.message, evidence(podVerdict)));
    for (const c of container ? w.containers : []) {
      touched.value = false;
      const v = container?.(partialContainer(c, touched), view, ctx);
      if (definiteFail(v)) fails.push(ctx.outcome('FAIL', c.ref, v.message, evidence(v)));
    }
  }
  if (fails.length > 0) out.push(...fails);
  else out.push(ctx.outcome('UNKNOWN', w.ref, w.unreadable ?? 'the pod spec could not be read'));
}

/** `containers[0]` → `spec.containers[0]`-style paths for evidence, by container type. */
export function containerField(c: ContainerName, field: string): string {
  return `${c.type === 'container' ? 'containers' : c.type + 's'}[${c.name}].${field}`;
}
