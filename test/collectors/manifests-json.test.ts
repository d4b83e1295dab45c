import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeManifestFs, type ManifestFs } from '../../shared/collectors/manifest-files.js';
import { ManifestLoader } from '../../shared/collectors/manifests.js';
import { MAX_DOCUMENT_DEPTH } from '../../shared/collectors/nesting.js';
import { SNAPSHOT_API_VERSION, SNAPSHOT_KIND } from '../../shared/inventory/types.js';

const target = { kind: 'manifests' as const, name: 't' };
const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', managedFields: [{ manager: 'kubectl' }] },
  spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] },
  ...extra,
});

const FILES: Record<string, string> = {
  'a-list.json': JSON.stringify(
    { apiVersion: 'v1', items: [pod('a'), pod('b')], kind: 'List', metadata: { resourceVersion: '' } },
    null,
    2,
  ),
  'b-typed.json': JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: [{ metadata: { name: 'typed', namespace: 'ns' } }] }),
  'c-snapshot.json': JSON.stringify({
    apiVersion: SNAPSHOT_API_VERSION,
    kind: SNAPSHOT_KIND,
    target: { kind: 'cluster', name: 'prod' },
    collectedAt: '2026-11-30T00:00:00Z',
    resources: [pod('s'), { kind: 7 }],
    gaps: [],
  }),
  'd-array.json': JSON.stringify([pod('x'), 'not an object', { metadata: {} }]),
  'e-deep.json': '['.repeat(MAX_DOCUMENT_DEPTH + 5) + ']'.repeat(MAX_DOCUMENT_DEPTH + 5),
  'f-invalid.json': '{"apiVersion": "v1",\n "kind": "Pod",\n "metadata": {"name": [broken}\n}\n',
  'g-flow.json': '{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\n',
  'h-manifest.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: yaml}\n',
};

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-json-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** What a loader found, without the sources (a reader per file, compared by what it reads). */
function found(loader: ManifestLoader) {
  const { sources: _sources, ...rest } = loader.result(target, '2026-11-30T00:00:00Z');
  return rest;
}

describe('ManifestLoader reading JSON files in pieces', () => {
  it('finds what reading each file whole finds: objects, snapshots, locations, errors and their lines', () => {
    const dir = folder(FILES);
    const reads: string[] = [];
    const fs: ManifestFs = { ...nodeManifestFs, readFile: (p) => (reads.push(p), nodeManifestFs.readFile(p)) };
    const streamed = new ManifestLoader(fs);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      streamed.addPath('.');
      const whole = new ManifestLoader();
      for (const name of Object.keys(FILES)) whole.addText(readFileSync(name, 'utf8'), name);
      expect(found(streamed)).toStrictEqual(found(whole));
    } finally {
      process.chdir(cwd);
    }
    // The valid JSON was never read as one text; what is not valid JSON was, and judged as before.
    expect(reads.map((p) => p.replace(/^.*\//, '')).sort()).toEqual(['f-invalid.json', 'g-flow.json', 'h-manifest.yaml']);
    const r = found(streamed);
    expect(r.errors.map((e) => [e.file, e.line])).toEqual([
      ['c-snapshot.json', 1],
      ['d-array.json', 1],
      ['d-array.json', 1],
      ['e-deep.json', 1],
      ['f-invalid.json', 3],
    ]);
    expect(r.inventories.flatMap((i) => i.resources.map((o) => o.metadata?.name))).toEqual(['a', 'b', 'typed', 'x', 'flow', 'yaml', 's']);
    expect(r.inventories[1]).toMatchObject({ origin: 'snapshot', target: { name: 'prod' } });
    // Bookkeeping is dropped as from any manifest.
    expect(r.inventories[0]!.resources[0]!.metadata).toEqual({ name: 'a', namespace: 'ns' });
  });

  it('reads a named pipe once, whole (a pipe is not opened to be read in pieces)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hl-fifo-'));
    const fifo = join(dir, 'rendered.json');
    expect(spawnSync('sh', ['-c', `mkfifo '${fifo}'`]).status).toBe(0);
    writeFileSync(join(dir, 'list'), FILES['a-list.json']!);
    // Written by another process: the loader reads synchronously.
    const writer = spawn('sh', ['-c', `cat '${join(dir, 'list')}' > '${fifo}'`], { stdio: 'ignore' });
    const loader = new ManifestLoader();
    loader.addPath(fifo);
    await new Promise((resolve) => writer.on('close', resolve));
    const r = found(loader);
    expect(r.errors).toEqual([]);
    expect(r.inventories[0]!.resources.map((o) => o.metadata?.name)).toEqual(['a', 'b']);
  });
});
