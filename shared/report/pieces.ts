import { randomUUID } from 'node:crypto';
import { redactDocument } from '../redaction/redact.js';

/**
 * What a format renders: the whole text, or its pieces in order (a piece is one whole item — a
 * result, a row — or the text between items), so a report of a million results is written as it
 * is made instead of being held as one string.
 */
export type Rendered = string | Iterable<string>;

/**
 * `JSON.stringify(doc, null, 2)` as pieces, byte for byte, with some arrays written item by item.
 * Put `json.array(items)` where such an array goes in `doc`; `json.pieces(doc)` then yields the
 * text around it and one piece per item.
 */
export class StreamedJson {
  private readonly marker = `hardline-streamed-array-${randomUUID()}`;
  private readonly arrays = new Map<string, Iterable<unknown>>();

  /**
   * A stand-in for an array of `doc`: a unique string the items replace when written. Typed as the
   * array it stands for, so the document keeps its own type.
   */
  array<T>(items: Iterable<T>): T[] {
    const key = `${this.marker}-${this.arrays.size}`;
    this.arrays.set(key, items);
    return key as unknown as T[];
  }

  *pieces(doc: unknown): Generator<string> {
    const text = JSON.stringify(doc, null, 2);
    let at = 0;
    for (;;) {
      const start = text.indexOf(`"${this.marker}-`, at);
      if (start < 0) break;
      const end = text.indexOf('"', start + 1);
      const items = this.arrays.get(text.slice(start + 1, end));
      if (!items) throw new Error('streamed JSON: unknown array marker');
      // The array's items sit two spaces deeper than the line that holds it, as JSON.stringify puts them.
      const lineStart = text.lastIndexOf('\n', start) + 1;
      let indent = 0;
      while (text[lineStart + indent] === ' ') indent++;
      yield text.slice(at, start);
      yield* arrayPieces(items, ' '.repeat(indent));
      at = end + 1;
    }
    yield text.slice(at) + '\n';
  }
}

function* arrayPieces(items: Iterable<unknown>, indent: string): Generator<string> {
  const inner = indent + '  ';
  let first = true;
  for (const item of items) {
    yield (first ? '[\n' : ',\n') + inner + JSON.stringify(item, null, 2).replaceAll('\n', '\n' + inner);
    first = false;
  }
  yield first ? '[]' : `\n${indent}]`;
}

/** The rendered text as one string, as it is (no redaction): small reports and tests. */
export function renderedText(rendered: Rendered): string {
  if (typeof rendered === 'string') return rendered;
  let text = '';
  for (const piece of rendered) text += piece;
  return text;
}

/** Pieces joined into chunks of about this size: few writes, no large string. */
const CHUNK_CHARS = 1 << 16;

/**
 * The rendered text in chunks of whole pieces, each redacted as a document. A credential lies
 * within one value, and a value within one piece, so chunk by chunk redacts what the whole text would.
 */
export function* redactedChunks(rendered: Rendered): Generator<string> {
  if (typeof rendered === 'string') {
    yield redactDocument(rendered);
    return;
  }
  let chunk = '';
  for (const piece of rendered) {
    chunk += piece;
    if (chunk.length >= CHUNK_CHARS) {
      yield redactDocument(chunk);
      chunk = '';
    }
  }
  if (chunk) yield redactDocument(chunk);
}
