import { describe, expect, it } from 'vitest';
import { NotStreamable, parseJsonStream, type ReadBytes } from '../../shared/collectors/json-stream.js';

/** The text's bytes handed out `step` at a time; `sizes` records each window size asked to fill. */
function reader(text: string, step: number, sizes: number[] = []): ReadBytes {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  return (into, offset, length) => {
    sizes.push(into.length);
    const n = Math.min(step, length, bytes.length - at);
    bytes.copy(into, offset, at, at + n);
    at += n;
    return n;
  };
}

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `p-${i}`, namespace: 'ns', annotations: { note: 'quote " backslash \\ slash / tab \t é 日本 🚀' } },
  spec: { containers: [{ name: 'c', image: `img:${i}`, args: ['[', ']', '{', '}', ',', ':', '"'] }] },
});

/** Documents that exercise every path: lists, snapshots, top-level arrays, escapes and multi-byte text across chunk edges. */
const DOCUMENTS = [
  JSON.stringify({ apiVersion: 'v1', items: [pod(1), pod(2), pod(3)], kind: 'List', metadata: { resourceVersion: '' } }, null, 2),
  JSON.stringify({ apiVersion: 'hardline.dev/v1', kind: 'Snapshot', target: { name: 't' }, resources: [pod(1)], gaps: [] }),
  JSON.stringify([pod(1), [1, [2, [3]]], 'text', 42, -1.5e3, true, false, null, {}, []]),
  ' \n\t{ "items" : [ ] , "kind" : "PodList" , "empty" : { } , "n" : 0 , "s" : "\\"\\\\\\u00e9" } \r\n',
  '{"__proto__":{"polluted":true},"items":[{"__proto__":1}]}',
  // Runs of backslashes before quotes (escaped or closing), wherever the window ends.
  JSON.stringify({ items: ['\\', '\\\\', '"', '\\"', '\\\\"', 'x\\"y\\\\', { '\\"k': ['\\'] }], kind: 'List' }),
  '{"items":[1],"kind":"List","items":[2,3]}',
  '{}',
  '[]',
  '[[[[[]]]]]',
];

describe('parseJsonStream', () => {
  it.each([1, 2, 3, 7, 64, 1 << 16])(
    'returns what JSON.parse returns, key order and own __proto__ included, read %i bytes at a time',
    (step) => {
      for (const text of DOCUMENTS) {
        const streamed = parseJsonStream(reader(text, step), 8);
        const parsed: unknown = JSON.parse(text);
        expect(streamed).toStrictEqual(parsed);
        expect(JSON.stringify(streamed)).toBe(JSON.stringify(parsed));
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }
    },
  );

  it('never holds much more than the largest item of a list, however long the list', () => {
    const items = Array.from({ length: 2000 }, (_, i) => pod(i));
    const text = JSON.stringify({ apiVersion: 'v1', items, kind: 'List' });
    const largest = Math.max(...items.map((i) => Buffer.byteLength(JSON.stringify(i))));
    const sizes: number[] = [];
    expect(parseJsonStream(reader(text, 4096, sizes), 1024)).toStrictEqual(JSON.parse(text));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.max(1024, 4 * largest));
    expect(Math.max(...sizes)).toBeLessThan(Buffer.byteLength(text) / 100);
  });

  it('grows its window for one value larger than it', () => {
    const text = JSON.stringify({ kind: 'ConfigMap', data: { big: 'x'.repeat(100_000) } });
    expect(parseJsonStream(reader(text, 1000), 16)).toStrictEqual(JSON.parse(text));
  });

  it.each([
    ['YAML', 'apiVersion: v1\nkind: Pod\n'],
    ['YAML flow style', '{kind: Pod, metadata: {name: a}}'],
    ['a byte-order mark', '\uFEFF{"kind":"Pod"}'],
    ['a scalar', '"just text"'],
    ['a number', '42'],
    ['nothing', '  \n'],
    ['a second document', '{"kind":"Pod"}\n{"kind":"Pod"}'],
    ['a trailing comma in a list', '{"items":[1,2,],"kind":"List"}'],
    ['a trailing comma in an object', '{"kind":"Pod",}'],
    ['a missing comma', '{"items":[1 2]}'],
    ['a truncated list', '{"items":[{"kind":"Pod"},{"kind":'],
    ['a truncated string', '{"kind":"Po'],
    ['an escape at the very end', '{"kind":"Po\\'],
    ['mismatched brackets', '{"items":[{"a":[1}]]}'],
    ['a bad number', '{"items":[01]}'],
    ['a key that is not a string', '{kind:"Pod"}'],
  ])('gives up on %s, for the whole text to be judged as before', (_, text) => {
    for (const step of [1, 5, 1 << 16]) expect(() => parseJsonStream(reader(text, step), 8)).toThrow(NotStreamable);
  });
});
