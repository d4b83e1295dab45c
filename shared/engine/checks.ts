import { type OutcomeSink, workloadWalkOf, type WorkloadWalk } from '../controls/workload/walk.js';
import type { CheckContext, Control, Outcome } from '../controls/types.js';
import { describeError } from '../core/errors.js';
import type { Evidence, ResourceMessage, ResourceRef, Status } from '../core/types.js';
import type { GroupWriter } from './results.js';

/** One control's check against one inventory: its group of results and its own context. */
export interface CheckRun {
  control: Control;
  group: GroupWriter;
  ctx: CheckContext;
}

/**
 * A check's context: `outcome` records the verdict in the control's group and hands back a token.
 * One class for every check, so the million `ctx.outcome` calls of a large scan are calls of one
 * method on objects of one shape.
 */
class RunContext implements CheckContext {
  readonly inventory: CheckContext['inventory'];
  readonly index: CheckContext['index'];
  readonly config: CheckContext['config'];
  readonly now: Date;

  constructor(
    base: Omit<CheckContext, 'outcome'>,
    private readonly group: GroupWriter,
  ) {
    this.inventory = base.inventory;
    this.index = base.index;
    this.config = base.config;
    this.now = base.now;
  }

  outcome(status: Status, resource: ResourceRef, message: string | ResourceMessage, evidence?: Evidence): Outcome {
    // The token is the row + 1, never falsy: checks test `if (outcome)` as they would an object.
    if (status === 'PASS' && evidence === undefined) return (this.group.addPass(resource, message) + 1) as Outcome;
    return (this.group.add(status, resource, message, evidence) + 1) as Outcome;
  }
}

export function checkContext(base: Omit<CheckContext, 'outcome'>, group: GroupWriter): CheckContext {
  return new RunContext(base, group);
}

/**
 * Keeps exactly what a check returned of what it made since `from`, in the returned order.
 * Normally that is every outcome in the order made, which costs one pass over the tokens;
 * outcomes made but not returned are dropped.
 */
function keepReturned(group: GroupWriter, from: number, returned: ArrayLike<number>): void {
  let inOrder = true;
  for (let i = 0; i < returned.length; i++) {
    if (returned[i] !== from + i + 1) {
      inOrder = false;
      break;
    }
  }
  if (inOrder) group.truncate(from + returned.length);
  else
    group.keepOnly(
      from,
      Array.from(returned, (token) => token - 1),
    );
}

function addError(run: CheckRun, e: unknown): void {
  run.group.add('ERROR', { apiVersion: 'hardline.dev/v1', kind: 'Control', name: run.control.id }, `control failed: ${describeError(e)}`);
}

/** Runs a check as it is. A check that throws keeps what it had returned before and adds one ERROR. */
function runCheck(run: CheckRun): void {
  const from = run.group.length;
  let returned: ArrayLike<number> = [];
  let failure: unknown;
  try {
    const outcomes = run.control.check(run.ctx);
    if (Array.isArray(outcomes)) returned = outcomes as number[];
    else {
      const taken: number[] = [];
      returned = taken;
      for (const o of outcomes) taken.push(o);
    }
  } catch (e) {
    failure = e;
  }
  try {
    keepReturned(run.group, from, returned);
  } catch (e) {
    run.group.truncate(from);
    failure ??= e;
  }
  if (failure !== undefined) addError(run, failure);
}

/**
 * Runs every check. Checks built on the workload walk run side by side: each workload is judged by
 * all of them before the next one, so its pod spec is read from cache rather than from memory once
 * per control. Their results land in their own groups, so the report is the same as running them
 * one after another; one that throws loses its outcomes and gets one ERROR, like a check run alone.
 */
export function runChecks(runs: readonly CheckRun[]): void {
  const walks: { run: CheckRun; walk: WorkloadWalk; from: number; failure?: unknown }[] = [];
  for (const run of runs) {
    const walk = workloadWalkOf(run.control.check);
    if (walk) walks.push({ run, walk, from: run.group.length });
    else runCheck(run);
  }
  if (walks.length === 0) return;
  const workloads = walks[0]!.run.ctx.index.workloads();
  // The walk is the engine's own code and makes its outcomes in the order it returns them, so
  // nothing is checked or dropped here: the tokens go nowhere.
  const sink: OutcomeSink = { push: () => 0 };
  for (let w = 0; w < workloads.length; w++) {
    const workload = workloads[w]!;
    for (let k = 0; k < walks.length; k++) {
      const s = walks[k]!;
      if (s.failure !== undefined) continue;
      try {
        s.walk(workload, s.run.ctx, sink);
      } catch (e) {
        s.failure = e;
        s.run.group.truncate(s.from);
      }
    }
  }
  for (const s of walks) if (s.failure !== undefined) addError(s.run, s.failure);
}
