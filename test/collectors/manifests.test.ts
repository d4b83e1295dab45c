import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { MAX_DOCUMENT_DEPTH, nestingExceeds } from '../../shared/collectors/nesting.js';

const target = { kind: 'manifests' as const, name: 't' };

function load(text: string, name = 'in.yaml') {
  const loader = new ManifestLoader();
  loader.addText(text, name);
  return loader.result(target, '2026-11-30T00:00:00Z');
}

describe('ManifestLoader', () => {
  it('reads every document of a multi-document YAML stream', () => {
    const r = load(
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\n',
    );
    expect(r.inventories[0]!.resources.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    expect(r.errors).toEqual([]);
  });

  it('reports a malformed document with file and line, skips it, and keeps the others', () => {
    const text =
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: ok1}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [broken\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ok2}\n';
    const r = load(text, 'mixed.yaml');
    expect(r.inventories[0]!.resources.map((o) => o.metadata?.name)).toEqual(['ok1', 'ok2']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: 'mixed.yaml', message: expect.stringMatching(/invalid YAML/) });
    expect(r.errors[0]!.line).toBeGreaterThanOrEqual(5);
    expect(r.errors[0]!.line).toBeLessThanOrEqual(9);
  });

  it('reports documents without kind and scalars, by line; the manifests target carries them even when empty', () => {
    const r = load('metadata: {name: x}\n---\njust a string\n');
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'document has no kind'],
      [3, 'not a Kubernetes object (a string)'],
    ]);
    expect(r.targets).toHaveLength(1);
    expect(r.targets[0]!.inventory.resources).toEqual([]);
    expect(r.targets[0]!.loadErrors).toEqual(r.errors);
  });

  it('rejects 100,000-level nesting by file name, JSON or YAML, without exhausting the stack, and keeps the other files', () => {
    const loader = new ManifestLoader();
    loader.addText('['.repeat(100_000) + ']'.repeat(100_000), 'deep-array.json');
    loader.addText(
      `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
      'deep-object.json',
    );
    loader.addText(`kind: Pod\nspec: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 'deep.yaml');
    loader.addText(`kind: Pod\nspec: ${'['.repeat(MAX_DOCUMENT_DEPTH + 5)}${']'.repeat(MAX_DOCUMENT_DEPTH + 5)}\n`, 'deep-enough.yaml');
    loader.addText('apiVersion: v1\nkind: Namespace\nmetadata: {name: fine}\n', 'ok.yaml');
    const r = loader.result(target, 'now');
    expect(r.errors.map((e) => [e.file, e.message])).toEqual([
      ['deep-array.json', `nested more than ${MAX_DOCUMENT_DEPTH} levels deep: not scanned`],
      ['deep-object.json', `nested more than ${MAX_DOCUMENT_DEPTH} levels deep: not scanned`],
      ['deep.yaml', `nested more than ${MAX_DOCUMENT_DEPTH} levels deep: not scanned`],
      ['deep-enough.yaml', `nested more than ${MAX_DOCUMENT_DEPTH} levels deep: not scanned`],
    ]);
    expect(r.inventories[0]!.resources.map((o) => o.metadata?.name)).toEqual(['fine']);
    expect(r.targets[0]!.loadErrors).toHaveLength(4);
  });

  it('measures nesting without recursion', () => {
    expect(nestingExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestingExceeds({ a: [{ b: {} }] }, 3)).toBe(true);
    expect(nestingExceeds('scalar', 0)).toBe(false);
  });

  it('charges a broken snapshot resource to the snapshot, and a broken loose document to the manifests target', () => {
    const snap = {
      apiVersion: 'hardline.dev/v1',
      kind: 'Inventory',
      target: { kind: 'cluster', name: 'prod' },
      resources: [{ kind: 'Namespace', metadata: { name: 'x' } }, { metadata: {} }],
      gaps: [],
    };
    const loader = new ManifestLoader();
    loader.addText(JSON.stringify(snap), 'snap.json');
    const onlySnapshot = loader.result(target, 'now');
    expect(onlySnapshot.targets.map((t) => [t.inventory.target.name, t.loadErrors.map((e) => e.message)])).toEqual([
      ['prod', ['snapshot resources[1] has no kind']],
    ]);
    loader.addText('kind: [oops\n', 'broken.yaml');
    const both = loader.result(target, 'now');
    expect(both.targets.map((t) => [t.inventory.target.name, t.loadErrors.length])).toEqual([
      ['t', 1],
      ['prod', 1],
    ]);
  });

  it('flattens List and typed lists, filling in kind and apiVersion for typed items', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }] };
    const podList = { apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'p', namespace: 'n' }, spec: {} }] };
    const r = load(JSON.stringify([list, podList]), 'lists.json');
    expect(r.inventories[0]!.resources.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata?.name}`)).toEqual(['v1 Namespace n', 'v1 Pod p']);
  });

  it('recognises a hardline snapshot as its own target', () => {
    const snap = {
      apiVersion: 'hardline.dev/v1',
      kind: 'Inventory',
      target: { kind: 'cluster', name: 'prod', accountId: '111122223333' },
      collectedAt: '2026-11-01T00:00:00Z',
      resources: [{ kind: 'Namespace', metadata: { name: 'x' } }],
      gaps: [{ source: 'Role', reason: 'forbidden', message: 'no' }],
    };
    const r = load(JSON.stringify(snap), 'snap.json');
    expect(r.inventories).toHaveLength(1);
    expect(r.inventories[0]).toMatchObject({ origin: 'snapshot', target: { name: 'prod' }, gaps: [{ source: 'Role' }] });
  });

  it('walks folders recursively, skips hidden folders and non-manifest files, and reports missing paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-load-'));
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    writeFileSync(join(dir, 'sub', 'deeper', 'b.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n');
    writeFileSync(join(dir, 'sub', 'notes.txt'), 'kind: Namespace');
    writeFileSync(join(dir, '.git', 'c.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: c}\n');
    const loader = new ManifestLoader();
    loader.addPath(dir);
    loader.addPath(join(dir, 'does-not-exist'));
    const r = loader.result(target, 'now');
    expect(r.inventories[0]!.resources.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
    expect(r.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/cannot read/) })]);
    expect(r.locations.get('Namespace//b')).toMatchObject({ line: 1 });
  });
});
