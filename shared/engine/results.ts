import { type Evidence, type ResourceRef, type Severity, type Status, STATUSES, type Target } from '../core/types.js';
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

const zeroByStatus = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;

/** Distinct messages remembered per group. */
const COPIES = 1024;
/** Results a group keeps before judging whether its messages repeat. */
const TRIAL = 256;

const STATUS_MASK = 0b111;
const EXEMPTED = 0b1000;
const EXPIRED = 0b1_0000;
const STATUS_CODE = new Map<Status, number>(STATUSES.map((s, i) => [s, i]));
const STATUS_CODES = Object.fromEntries(STATUS_CODE) as Record<Status, number>;

/**
 * The results of a scan, kept in columns (a status byte, the resource, the message and the
 * evidence per result) instead of one object per result: a large cluster yields a million
 * results, most of them PASS that nobody reads one by one, and retaining them as objects cost more
 * than judging them. A Result object is built only when someone iterates.
 */
class Columns {
  codes = new Uint8Array(64);
  readonly resources: ResourceRef[] = [];
  readonly messages: string[] = [];
  readonly evidence: (Evidence | undefined)[] = [];
  readonly exemptions = new Map<number, { exempted?: ExemptionApplied; expired?: ExemptionApplied }>();
  length = 0;

  /**
   * One copy of each message and evidence this group repeats ("container 'app' has a writable root
   * filesystem" on every pod): a large cluster repeats them hundreds of thousands of times.
   */
  private readonly copies = new Map<string, { message: string; evidence: Evidence | undefined }>();

  /** The copies kept last: consecutive results of a group mostly repeat them, and a comparison is cheaper than a lookup. */
  private lastMessage = '';
  private lastEvidence: Evidence | undefined;
  /**
   * Results offered and found already kept: a group whose messages name their resource stops
   * comparing (comparing and hashing each fresh message costs more than keeping it).
   */
  private offered = 0;
  private found = 0;

  /** Appends the message and evidence, or the copies kept of them. */
  private keep(message: string, evidence: Evidence | undefined): void {
    if (this.offered >= TRIAL && this.found * 4 < this.offered) {
      this.messages.push(message);
      this.evidence.push(evidence);
      return;
    }
    this.offered++;
    if (message === this.lastMessage && sameEvidence(this.lastEvidence, evidence)) {
      this.found++;
      this.messages.push(this.lastMessage);
      this.evidence.push(this.lastEvidence);
      return;
    }
    const kept = this.copies.get(message);
    if (kept !== undefined) {
      this.found++;
      message = kept.message;
      if (sameEvidence(kept.evidence, evidence)) evidence = kept.evidence;
    } else if (this.copies.size < COPIES) this.copies.set(message, { message, evidence });
    this.messages.push((this.lastMessage = message));
    this.evidence.push((this.lastEvidence = evidence));
  }

  push(code: number, resource: ResourceRef, message: string, evidence: Evidence | undefined): number {
    const i = this.length++;
    if (i === this.codes.length) {
      const grown = new Uint8Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[i] = code;
    this.resources.push(resource);
    this.keep(message, evidence);
    return i;
  }

  truncate(length: number): void {
    for (const i of this.exemptions.keys()) if (i >= length) this.exemptions.delete(i);
    this.length = length;
    this.resources.length = length;
    this.messages.length = length;
    this.evidence.length = length;
  }
}

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
    resource: c.resources[i]!,
    message: c.messages[i]!,
  };
  const evidence = c.evidence[i];
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
  constructor(private readonly columns: Columns) {}

  /** Appends one result; returns its index. */
  add(status: Status, resource: ResourceRef, message: string, evidence?: Evidence): number {
    return this.columns.push(STATUS_CODES[status], resource, message, evidence);
  }

  /** Number of results so far (the index of the next one). */
  get length(): number {
    return this.columns.length;
  }

  statusAt(i: number): Status {
    return STATUSES[this.columns.codes[i]! & STATUS_MASK]!;
  }

  resourceAt(i: number): ResourceRef {
    return this.columns.resources[i]!;
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
      return { code: c.codes[i]!, resource: c.resources[i]!, message: c.messages[i]!, evidence: c.evidence[i] };
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

/**
 * Same keys in the same order (the JSON contract prints evidence as it was built) with equal
 * values. Compared without building key lists: it runs for most results of a large scan.
 */
function sameEvidence(a: Evidence | undefined, b: Evidence | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  let i = 0;
  for (const k in a) {
    if (keyAt(b, i) !== k) return false;
    const x = a[k];
    const y = b[k];
    if (x !== y && !sameList(x, y)) return false;
    i++;
  }
  return keyAt(b, i) === undefined;
}

/** The i-th key of an evidence object (a handful of keys: walking them costs less than a list). */
function keyAt(evidence: Evidence, i: number): string | undefined {
  let j = 0;
  for (const k in evidence) if (j++ === i) return k;
  return undefined;
}

function sameList(x: unknown, y: unknown): boolean {
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
