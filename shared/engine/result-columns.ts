import { type Evidence, type ResourceMessage, type ResourceRef, type Status, STATUSES } from '../core/types.js';
import type { ExemptionApplied } from './types.js';

/** Distinct messages remembered per group. */
const COPIES = 1024;
/** Resources per chunk (a power of two). */
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;
/** Results a group keeps before judging whether its messages repeat. */
const TRIAL = 256;

/**
 * A result's code: its status index in the low bits, then whether an exemption (or an expired one)
 * matched it, then (from bit ENTRY_SHIFT on) the index of its message and evidence among the
 * group's entries.
 */
export const STATUS_MASK = 0b111;
export const EXEMPTED = 0b1000;
export const EXPIRED = 0b1_0000;
const FLAGS_MASK = 0b1_1111;
const ENTRY_SHIFT = 5;
/** Entries a group can hold: the code is a 32-bit word. */
const MAX_ENTRIES = 2 ** (32 - ENTRY_SHIFT);
export const STATUS_CODE = new Map<Status, number>(STATUSES.map((s, i) => [s, i]));
export const STATUS_CODES = Object.fromEntries(STATUS_CODE) as Record<Status, number>;

/**
 * The results of a scan, kept in columns (a 32-bit code and the resource per result) instead of
 * one object per result: a large cluster yields a million results, most of them PASS that nobody
 * reads one by one, and retaining them as objects cost more than judging them. A message and its
 * evidence are kept once as an entry and named by index in the code. A Result object is built only
 * when someone iterates.
 */
export class Columns {
  codes = new Uint32Array(64);
  /**
   * The resources in chunks of CHUNK: a growing array would be copied at every growth (three
   * times its final size allocated); chunks after the first are allocated once, at full size.
   */
  private readonly resourceChunks: ResourceRef[][] = [];
  readonly exemptions = new Map<number, { exempted?: ExemptionApplied; expired?: ExemptionApplied }>();
  length = 0;

  /** Per entry: the message and the evidence of the results that name it. */
  private readonly entryMessages: (string | ResourceMessage)[] = [];
  private readonly entryEvidence: (Evidence | undefined)[] = [];

  /**
   * The first entry of each message this group repeats ("container 'app' has a writable root
   * filesystem" on every pod): a large cluster repeats them hundreds of thousands of times.
   */
  private readonly copies = new Map<string | ResourceMessage, number>();

  /** The entry named last: consecutive results of a group mostly repeat it, and a comparison is cheaper than a lookup. */
  private lastEntry = -1;
  private lastMessage: string | ResourceMessage | undefined;
  private lastEvidence: Evidence | undefined;
  /**
   * Results offered and found already kept: a group whose messages name their resource stops
   * comparing (comparing and hashing each fresh message costs more than keeping it).
   */
  private offered = 0;
  private found = 0;

  resourceAt(i: number): ResourceRef {
    return this.resourceChunks[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!;
  }

  messageAt(i: number): string {
    const message = this.entryMessages[this.codes[i]! >>> ENTRY_SHIFT]!;
    return typeof message === 'string' ? message : message(this.resourceAt(i));
  }

  /** The message as recorded: text, or the function that writes it from the resource. */
  recordedMessageAt(i: number): string | ResourceMessage {
    return this.entryMessages[this.codes[i]! >>> ENTRY_SHIFT]!;
  }

  evidenceAt(i: number): Evidence | undefined {
    return this.entryEvidence[this.codes[i]! >>> ENTRY_SHIFT];
  }

  private newEntry(message: string | ResourceMessage, evidence: Evidence | undefined): number {
    const entry = this.entryMessages.length;
    if (entry === MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} distinct messages in one control's results`);
    this.entryMessages.push(message);
    this.entryEvidence.push(evidence);
    return entry;
  }

  /** The entry of this message and evidence: one kept already, or a new one. */
  private entry(message: string | ResourceMessage, evidence: Evidence | undefined): number {
    if (message === this.lastMessage && evidence === this.lastEvidence) return this.lastEntry;
    if (this.offered >= TRIAL && this.found * 4 < this.offered) return this.newEntry(message, evidence);
    this.offered++;
    let entry: number;
    if (message === this.lastMessage && sameEvidence(this.lastEvidence, evidence)) {
      this.found++;
      return this.lastEntry;
    }
    const kept = this.copies.get(message);
    if (kept !== undefined) {
      this.found++;
      const keptEvidence = this.entryEvidence[kept];
      entry = sameEvidence(keptEvidence, evidence) ? kept : this.newEntry(this.entryMessages[kept]!, evidence);
    } else {
      entry = this.newEntry(message, evidence);
      if (this.copies.size < COPIES) this.copies.set(message, entry);
    }
    this.lastMessage = message;
    this.lastEvidence = evidence;
    return (this.lastEntry = entry);
  }

  /** Appends one result with this status code (and flags); returns its index. */
  push(code: number, resource: ResourceRef, message: string | ResourceMessage, evidence: Evidence | undefined): number {
    return this.pushCoded(this.coded(code, message, evidence), resource);
  }

  /** The full code of a result with this status code (and flags), message and evidence: its entry found or made. */
  coded(code: number, message: string | ResourceMessage, evidence: Evidence | undefined): number {
    return (this.entry(message, evidence) * (1 << ENTRY_SHIFT)) | (code & FLAGS_MASK);
  }

  /** Appends one result whose full code is known (see `coded`); returns its index. */
  pushCoded(coded: number, resource: ResourceRef): number {
    const i = this.length++;
    if (i === this.codes.length) {
      const grown = new Uint32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[i] = coded;
    const offset = i & (CHUNK - 1);
    // The first chunk grows as needed: most groups hold a handful of results.
    if (offset === 0) this.resourceChunks.push(i === 0 ? [] : new Array<ResourceRef>(CHUNK));
    this.resourceChunks[i >>> CHUNK_BITS]![offset] = resource;
    return i;
  }

  /** The status code and flags of result i (without its entry). */
  flagsAt(i: number): number {
    return this.codes[i]! & FLAGS_MASK;
  }

  truncate(length: number): void {
    for (const i of this.exemptions.keys()) if (i >= length) this.exemptions.delete(i);
    this.length = length;
    this.resourceChunks.length = Math.ceil(length / CHUNK);
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
