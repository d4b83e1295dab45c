import { type Evidence, type ResourceRef, type Status, STATUSES } from '../core/types.js';
import type { ExemptionApplied } from './types.js';

/** Distinct messages remembered per group. */
const COPIES = 1024;
/** Results a group keeps before judging whether its messages repeat. */
const TRIAL = 256;

/** A result's code: its status index in the low bits, then whether an exemption (or an expired one) matched it. */
export const STATUS_MASK = 0b111;
export const EXEMPTED = 0b1000;
export const EXPIRED = 0b1_0000;
export const STATUS_CODE = new Map<Status, number>(STATUSES.map((s, i) => [s, i]));
export const STATUS_CODES = Object.fromEntries(STATUS_CODE) as Record<Status, number>;

/**
 * The results of a scan, kept in columns (a status byte, the resource, the message and the
 * evidence per result) instead of one object per result: a large cluster yields a million
 * results, most of them PASS that nobody reads one by one, and retaining them as objects cost more
 * than judging them. A Result object is built only when someone iterates.
 */
export class Columns {
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
