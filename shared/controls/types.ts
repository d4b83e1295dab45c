import type { Evidence, ResourceMessage, ResourceRef, Severity, Status, TargetKind } from '../core/types.js';
import type { PolicyContext } from '../policy/context.js';

export type PssLevel = 'baseline' | 'restricted';

/** Cross-references, each taken from the framework's or tool's own published mapping — never inferred. */
export interface FrameworkRefs {
  /** NSA/CISA Kubernetes Hardening Guidance v1.2 section. */
  nsa?: string;
  /** CIS Amazon EKS Benchmark v1.8.0 recommendation numbers. */
  cis?: string[];
  /** Pod Security Standards check (name as in the standard, id as in pod-security-admission). */
  pss?: { level: PssLevel; check: string; id: string };
  kubescape?: string[];
  securityHub?: string[];
}

/**
 * How hardline's verdict compares with a reference's on the same configuration: `same` fails exactly
 * what it fails, `stricter` fails all of that and more, `weaker` passes some of what it fails,
 * `related` overlaps in topic only (a passing control says nothing about it).
 */
export type MatchGrade = 'same' | 'stricter' | 'weaker' | 'related';

export const MATCH_GRADES: readonly MatchGrade[] = ['same', 'stricter', 'weaker', 'related'];

/** One graded cross-reference, so nobody mistakes hardline's verdict for another tool's where they differ. */
export interface ReferenceMatch {
  /**
   * The reference(s) graded, prefixed by their source: `KS C-0057` (Kubescape), `CIS 4.2.1–4.2.4`,
   * `PSS`, `SH ECR.2` (Security Hub), `Prowler <check>`; `KS C-0270 + C-0271` grades two together.
   */
  ref: string;
  match: MatchGrade;
  /** How they differ (after a colon when printed), or a remark that starts with `(`. */
  note?: string;
}

export type ControlScope = 'workload' | 'cluster' | 'namespace' | 'eks' | 'ecr';

export interface ControlMeta {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  scope: ControlScope;
  /** Target kinds this control judges; defaults by scope: Kubernetes scopes → cluster + manifests, eks → cluster, ecr → registry. */
  targets?: readonly TargetKind[];
  /** Cross-references; a framework's control list is derived from them. */
  frameworks: FrameworkRefs;
  /** How close each cross-reference is to this control's verdict (empty when there is nothing to grade). */
  match: readonly ReferenceMatch[];
  rationale: string;
  remediation: string;
}

/**
 * What the sinks that must not carry the checks (events, API, store, Security Hub import) know of
 * a control; generated into ./facts.generated.ts by `npm run catalog`. The grading of references is
 * for people reading the catalog and reports, not for every event.
 */
export type ControlFacts = Omit<ControlMeta, 'rationale' | 'match'>;

export interface CheckContext extends PolicyContext {
  /** The scan's clock: controls never read the system time. */
  now: Date;
  /**
   * The one way to make an outcome. The engine records the verdict in its result columns at once
   * and hands back a token to return from `check`: a control emitting a million outcomes
   * allocates no object for them. A message that only names the resource before a fixed text is
   * better given as a ResourceMessage (kept once, written when read) than as a new string per
   * result.
   */
  outcome(status: Status, resource: ResourceRef, message: string | ResourceMessage, evidence?: Evidence): Outcome;
}

declare const builtByContext: unique symbol;

/**
 * One verdict of a control on one resource (or one container of it): a token only `ctx.outcome`
 * makes. Returning it from `check` reports the verdict; the verdicts are reported in the order
 * returned.
 */
export type Outcome = number & { readonly [builtByContext]: true };

/** How a control judges: the data it reads and the check over it. */
export interface Judge {
  /**
   * Data sources the control reads (Kubernetes kinds or AWS data keys like `eks:cluster`). When one
   * of them has a gap the engine adds an UNKNOWN outcome for it; the check still runs on what was
   * read, so a real FAIL elsewhere is not hidden.
   */
  reads: readonly string[];
  /**
   * Sources without which no verdict is possible (e.g. NetworkPolicies for default-deny: a
   * namespace without a readable policy list is not "uncovered", it is unknown). A gap on any of
   * them makes the whole control UNKNOWN and the check is not run.
   */
  requires?: readonly string[];
  /** Pure: no I/O, no clock, no environment. May throw; the engine turns that into ERROR. */
  check(ctx: CheckContext): Iterable<Outcome>;
}

export interface Control extends ControlMeta, Judge {}

const DEFAULT_TARGETS: Record<ControlScope, readonly TargetKind[]> = {
  workload: ['cluster', 'manifests'],
  cluster: ['cluster', 'manifests'],
  namespace: ['cluster', 'manifests'],
  eks: ['cluster'],
  ecr: ['registry'],
};

/** Whether a control judges a target of this kind (a registry has no namespaces to judge, a manifest folder no EKS settings). */
export function appliesTo(control: Control, kind: TargetKind): boolean {
  return (control.targets ?? DEFAULT_TARGETS[control.scope]).includes(kind);
}
