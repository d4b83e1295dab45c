import { type Evidence, type ResourceMessage, type ResourceRef, type Severity, type Status, STATUSES, type Target } from '../core/types.js';
import { Columns, EXEMPTED, EXPIRED, STATUS_CODE, STATUS_CODES, STATUS_MASK } from './result-columns.js';
import type { ExemptionApplied, Result } from './types.js';

/** What every verdict of one control on one target shares: kept once per run of results, not per result. */
export interface ResultGroup {
  readonly controlId: string;
  readonly severity: Severity;
  readonly target: Target;
}

/** One group's counts, read from the columns without building a result. */
export interface GroupTally extends ResultGroup {
  /** Every result, exempted or not, by status. */
  byStatus: Record<Status, number>;
  /** The results that carry an exemption, by status (an exempted FAIL does not count as failed). */
  exempted: Record<Status, number>;
}

const PASS_CODE = STATUS_CODES.PASS;
const FAIL_CODE = STATUS_CODES.FAIL;
const UNKNOWN_CODE = STATUS_CODES.UNKNOWN;

const zeroByStatus = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** The results of one group, in columns of their own. */
interface Run {
  readonly columns: Columns;
  readonly group: ResultGroup;
}

function build(run: Run, i: number): Result {
  const c = run.columns;
  const code = c.codes[i]!;
  const g = run.group;
  // Same property order as a result built eagerly: the JSON contract prints it as is.
  const r: Result = {
    controlId: g.controlId,
    status: STATUSES[code & STATUS_MASK]!,
    severity: g.severity,
    target: g.target,
    resource: c.resourceAt(i),
    message: c.messageAt(i),
  };
  const evidence = c.evidenceAt(i);
  if (evidence) r.evidence = evidence;
  if (code & (EXEMPTED | EXPIRED)) {
    const e = c.exemptions.get(i)!;
    if (e.exempted) r.exempted = e.exempted;
    if (e.expired) r.exemptionExpired = e.expired;
  }
  return r;
}

/**
 * The one way every consumer (summaries, lifecycle diff, store, formats, pipeline) reads results:
 * iterate all of them in evaluation order, or only some statuses, or count them without building
 * any. Iteration builds a fresh Result each time; `toJSON` makes `JSON.stringify` print the array
 * of the JSON contract.
 */
export class ResultSet implements Iterable<Result> {
  readonly size: number;

  /** Built by ResultWriter (the engine) or `ResultSet.of`. */
  constructor(private readonly runs: readonly Run[]) {
    this.size = runs.reduce((n, r) => n + r.columns.length, 0);
  }

  static empty(): ResultSet {
    return new ResultSet([]);
  }

  /** A set over result objects (tests, stored findings): consecutive results of one control and target share a group. */
  static of(results: Iterable<Result>): ResultSet {
    const writer = new ResultWriter();
    let group: GroupWriter | undefined;
    let last: Result | undefined;
    for (const r of results) {
      if (!group || !last || last.controlId !== r.controlId || last.severity !== r.severity || !sameTarget(last.target, r.target)) {
        group = writer.group({ controlId: r.controlId, severity: r.severity, target: r.target });
      }
      const i = group.add(r.status, r.resource, r.message, r.evidence);
      group.exempt(i, { ...(r.exempted ? { exempted: r.exempted } : {}), ...(r.exemptionExpired ? { expired: r.exemptionExpired } : {}) });
      last = r;
    }
    return writer.finish();
  }

  /** The sets one after another (e.g. every target of a scan). */
  static concat(sets: readonly ResultSet[]): ResultSet {
    return new ResultSet(sets.flatMap((s) => s.runs));
  }

  *[Symbol.iterator](): Iterator<Result> {
    for (const run of this.runs) for (let i = 0; i < run.columns.length; i++) yield build(run, i);
  }

  /** Only the results with one of these statuses, in order: no object is built for the others. */
  *withStatus(...statuses: Status[]): Generator<Result> {
    let mask = 0;
    for (const s of statuses) mask |= 1 << STATUS_CODE.get(s)!;
    for (const run of this.runs) {
      const codes = run.columns.codes;
      for (let i = 0; i < run.columns.length; i++) if (mask & (1 << (codes[i]! & STATUS_MASK))) yield build(run, i);
    }
  }

  /** Only the results that carry an exemption, in order. */
  *exempted(): Generator<Result> {
    for (const run of this.runs) {
      const codes = run.columns.codes;
      for (let i = 0; i < run.columns.length; i++) if (codes[i]! & EXEMPTED) yield build(run, i);
    }
  }

  /** Every result as an object, in order. */
  toArray(): Result[] {
    return [...this];
  }

  toJSON(): Result[] {
    return this.toArray();
  }

  /** Control ids in the order they first produced a result. */
  controlIds(): string[] {
    return [...new Set(this.runs.map((r) => r.group.controlId))];
  }

  /** Counts per control and target, read from the status column. */
  tally(): GroupTally[] {
    const out: GroupTally[] = [];
    for (const run of this.runs) {
      const byStatus = zeroByStatus();
      const exempted = zeroByStatus();
      const codes = run.columns.codes;
      for (let i = 0; i < run.columns.length; i++) {
        const code = codes[i]!;
        const status = STATUSES[code & STATUS_MASK]!;
        byStatus[status]++;
        if (code & EXEMPTED) exempted[status]++;
      }
      const { controlId, severity, target } = run.group;
      out.push({ controlId, severity, target, byStatus, exempted });
    }
    return out;
  }

  /** The results split by target, under the key `keyOf` gives a target. */
  byTarget(keyOf: (target: Target) => string): Map<string, ResultSet> {
    const runs = new Map<string, Run[]>();
    const keys = new Map<Target, string>();
    for (const run of this.runs) {
      const target = run.group.target;
      let key = keys.get(target);
      if (key === undefined) keys.set(target, (key = keyOf(target)));
      const list = runs.get(key);
      if (list) list.push(run);
      else runs.set(key, [run]);
    }
    return new Map([...runs].map(([key, list]) => [key, new ResultSet(list)]));
  }

  /** The results of controls `keep` accepts. */
  ofControls(keep: (controlId: string) => boolean): ResultSet {
    return new ResultSet(this.runs.filter((r) => keep(r.group.controlId)));
  }

  /** The results in groups of one control each, in the order the controls first appear (a JUnit suite per control). */
  byControl(): { controlId: string; results: ResultSet }[] {
    const order = new Map<string, Run[]>();
    for (const run of this.runs) {
      const list = order.get(run.group.controlId);
      if (list) list.push(run);
      else order.set(run.group.controlId, [run]);
    }
    return [...order].map(([controlId, runs]) => ({ controlId, results: new ResultSet(runs) }));
  }
}

/** Collects the groups of an evaluation (the engine's side); `finish` hands them over as a ResultSet. */
export class ResultWriter {
  private readonly runs: Run[] = [];

  /** Opens a group; groups keep the order they were opened in, whatever order they are filled in. */
  group(group: ResultGroup): GroupWriter {
    const run: Run = { columns: new Columns(), group };
    this.runs.push(run);
    return new GroupWriter(run.columns);
  }

  finish(): ResultSet {
    return new ResultSet(this.runs.filter((r) => r.columns.length > 0));
  }
}

/** Appends the results of one group. */
export class GroupWriter {
  /** The PASS message last added by addPass, and its full code. */
  private passMessage: string | ResourceMessage | undefined;
  private passCode = 0;

  constructor(private readonly columns: Columns) {}

  /** Appends one result; returns its index. */
  add(status: Status, resource: ResourceRef, message: string | ResourceMessage, evidence?: Evidence): number {
    return this.columns.push(STATUS_CODES[status], resource, message, evidence);
  }

  /**
   * Appends a PASS with this message and no evidence: the message's entry is looked up once per
   * message, not per result (most results of a large scan are a control's one PASS message).
   */
  addPass(resource: ResourceRef, message: string | ResourceMessage): number {
    if (message !== this.passMessage) {
      this.passMessage = message;
      this.passCode = this.columns.coded(PASS_CODE, message, undefined);
    }
    return this.columns.pushCoded(this.passCode, resource);
  }

  /** Number of results so far (the index of the next one). */
  get length(): number {
    return this.columns.length;
  }

  /** Whether result i is a FAIL or an UNKNOWN (what an exemption can apply to), read from its code. */
  isFailOrUnknown(i: number): boolean {
    const status = this.columns.codes[i]! & STATUS_MASK;
    return status === FAIL_CODE || status === UNKNOWN_CODE;
  }

  resourceAt(i: number): ResourceRef {
    return this.columns.resourceAt(i);
  }

  /** Drops the results from `length` on. */
  truncate(length: number): void {
    if (length < this.columns.length) this.columns.truncate(length);
  }

  /**
   * Makes the results from `from` on exactly `indexes` (all at or after `from`), in that order:
   * what a check returned, when it did not return every outcome it made in the order made.
   */
  keepOnly(from: number, indexes: readonly number[]): void {
    const c = this.columns;
    const rows = indexes.map((i) => {
      if (!Number.isInteger(i) || i < from || i >= c.length)
        throw new Error('a check returned an outcome its own ctx.outcome did not make');
      return { code: c.flagsAt(i), resource: c.resourceAt(i), message: c.recordedMessageAt(i), evidence: c.evidenceAt(i) };
    });
    c.truncate(from);
    for (const r of rows) c.push(r.code, r.resource, r.message, r.evidence);
  }

  /** Marks a result exempted (or matched by an expired exemption). */
  exempt(index: number, decision: { exempted?: ExemptionApplied; expired?: ExemptionApplied }): void {
    if (!decision.exempted && !decision.expired) return;
    this.columns.codes[index]! |= (decision.exempted ? EXEMPTED : 0) | (decision.expired ? EXPIRED : 0);
    this.columns.exemptions.set(index, decision);
  }
}

function sameTarget(a: Target, b: Target): boolean {
  return a === b || (a.kind === b.kind && a.name === b.name && a.accountId === b.accountId && a.region === b.region && a.arn === b.arn);
}
