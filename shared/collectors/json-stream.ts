/** Reads up to `length` bytes into `into` at `offset`; 0 at the end of the input. */
export type ReadBytes = (into: Buffer, offset: number, length: number) => number;

/** What the reader gives up on: the caller then reads the text whole, as JSON.parse or YAML judge it. */
export class NotStreamable extends Error {}

const CHUNK = 1 << 16;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isJsonSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * A window over the input: the bytes from `mark` on are kept (the value being read), the ones
 * before it are dropped when more is read. UTF-8 continuation bytes are all ≥ 0x80, so scanning
 * bytes for JSON's ASCII punctuation never splits a character.
 */
class ByteWindow {
  private buf: Buffer;
  private end = 0;
  private done = false;
  /** Next byte to look at. */
  pos = 0;
  /** First byte still needed. */
  mark = 0;

  constructor(
    private readonly read: ReadBytes,
    chunk: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunk);
  }

  /** The byte at `pos` (reading more when needed), or -1 at the end of the input. */
  at(): number {
    while (this.pos >= this.end) if (!this.more()) return -1;
    return this.buf[this.pos]!;
  }

  /** The byte at `pos` after skipping JSON whitespace. */
  nonSpace(): number {
    for (;;) {
      const b = this.at();
      if (!isJsonSpace(b)) return b;
      this.pos++;
    }
  }

  /** Parses the one JSON value that starts at `pos` (found by scanning its brackets and strings), and moves past it. */
  value(): unknown {
    this.mark = this.pos;
    const first = this.at();
    if (first === OPEN_BRACE || first === OPEN_BRACKET || first === QUOTE) this.skipNested();
    else this.skipScalar();
    const text = this.buf.toString('utf8', this.mark, Math.min(this.pos, this.end));
    this.mark = this.pos;
    return JSON.parse(text);
  }

  /**
   * Past the string, object or array at `pos`. Mismatched brackets and a truncated value are
   * left for JSON.parse to reject.
   */
  private skipNested(): void {
    let depth = 0;
    let inString = false;
    let i = this.pos;
    for (;;) {
      // The hot loop reads the buffer directly and asks for more only at its end.
      const buf = this.buf;
      const end = this.end;
      while (i < end) {
        if (inString) {
          const closed = stringEnd(buf, i, end);
          if (closed < 0) {
            i = -1 - closed;
            continue;
          }
          i = closed;
          inString = false;
          if (depth === 0) break;
          continue;
        }
        const b = buf[i++]!;
        if (b === QUOTE) inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
        else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) break;
      }
      this.pos = i;
      if (i <= end && !inString && depth === 0) return;
      if (!this.more()) return;
      i = this.pos;
    }
  }

  private skipScalar(): void {
    for (;;) {
      const b = this.at();
      if (b === -1 || b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || isJsonSpace(b)) return;
      this.pos++;
    }
  }

  private more(): boolean {
    if (this.done) return false;
    if (this.mark > 0) {
      this.buf.copy(this.buf, 0, this.mark, this.end);
      this.end -= this.mark;
      this.pos -= this.mark;
      this.mark = 0;
    }
    if (this.end === this.buf.length) {
      // One value larger than the window: grow it (doubling keeps the copying linear).
      const grown = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(grown, 0, 0, this.end);
      this.buf = grown;
    }
    const n = this.read(this.buf, this.end, this.buf.length - this.end);
    if (n === 0) this.done = true;
    this.end += n;
    return n > 0;
  }
}

/**
 * Within a string, the index just past its closing quote; when the string goes on past the
 * window, -1 - the index to go on from (`end`, or `end + 1` after an escape at the very end).
 * Jumps from quote to quote: a quote after an odd run of backslashes is part of the string.
 */
function stringEnd(buf: Buffer, from: number, end: number): number {
  for (let i = from; ;) {
    const q = buf.indexOf(QUOTE, i);
    const stop = q < 0 || q >= end ? end : q;
    let run = 0;
    while (stop - run > i && buf[stop - run - 1] === BACKSLASH) run++;
    if (stop === end) return -1 - (run % 2 === 1 ? end + 1 : end);
    if (run % 2 === 0) return q + 1;
    i = q + 1;
  }
}

function expect(found: boolean): void {
  if (!found) throw new NotStreamable('not read piecewise');
}

/** The array at `pos`, parsed item by item. */
function items(w: ByteWindow): unknown[] {
  w.pos++;
  const out: unknown[] = [];
  let b = w.nonSpace();
  if (b === CLOSE_BRACKET) {
    w.pos++;
    return out;
  }
  for (;;) {
    out.push(w.value());
    b = w.nonSpace();
    w.pos++;
    if (b === CLOSE_BRACKET) return out;
    expect(b === COMMA);
    w.nonSpace();
  }
}

/** The object at `pos`: its array values item by item, its other values whole. */
function members(w: ByteWindow): Record<string, unknown> {
  w.pos++;
  const out: Record<string, unknown> = {};
  let b = w.nonSpace();
  if (b === CLOSE_BRACE) {
    w.pos++;
    return out;
  }
  for (;;) {
    expect(b === QUOTE);
    const key = w.value() as string;
    expect(w.nonSpace() === COLON);
    w.pos++;
    const value = w.nonSpace() === OPEN_BRACKET ? items(w) : w.value();
    // As JSON.parse: an own property even for "__proto__", a repeated key keeps its place and takes the last value.
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    b = w.nonSpace();
    w.pos++;
    if (b === CLOSE_BRACE) return out;
    expect(b === COMMA);
    b = w.nonSpace();
  }
}

/**
 * The JSON document `read` yields, as JSON.parse would return it, without ever holding its whole
 * text: a top-level array, and the array values of a top-level object (a `List`'s items, a
 * snapshot's resources), are parsed one item at a time; a large cluster snapshot's text and its
 * parsed objects then never sit in memory together. Throws NotStreamable when the input is not
 * one JSON object or array, or is not valid JSON: the caller reads it whole and judges it then.
 */
export function parseJsonStream(read: ReadBytes, chunk = CHUNK): unknown {
  const w = new ByteWindow(read, chunk);
  try {
    const first = w.nonSpace();
    expect(first === OPEN_BRACE || first === OPEN_BRACKET);
    const value = first === OPEN_BRACE ? members(w) : items(w);
    expect(w.nonSpace() === -1);
    return value;
  } catch (e) {
    if (e instanceof NotStreamable) throw e;
    // Invalid JSON, or one value too long for a string: the whole-text reading gives the verdict.
    throw new NotStreamable(e instanceof Error ? e.message : String(e));
  }
}
