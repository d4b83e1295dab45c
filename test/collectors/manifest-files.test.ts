import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listManifestFiles, nodeManifestFs, type ManifestFs } from '../../shared/collectors/manifest-files.js';
import { ManifestLoader } from '../../shared/collectors/manifests.js';

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-files-'));
  mkdirSync(join(dir, 'apps'));
  mkdirSync(join(dir, 'elsewhere', 'shared'), { recursive: true });
  writeFileSync(join(dir, 'apps', 'a.yaml'), ns('a'));
  writeFileSync(join(dir, 'elsewhere', 'linked.yaml'), ns('linked'));
  writeFileSync(join(dir, 'elsewhere', 'shared', 'base.yaml'), ns('base'));
  return dir;
}

/** EACCES at the file-system boundary: what a non-root user meets on a chmod 000 file or folder. */
function denying(paths: readonly string[]): ManifestFs {
  const deny = (p: string) => {
    if (paths.includes(p)) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
  };
  return {
    ...nodeManifestFs,
    readdir: (p) => (deny(p), nodeManifestFs.readdir(p)),
    readFile: (p) => (deny(p), nodeManifestFs.readFile(p)),
  };
}

describe('listManifestFiles', () => {
  it('follows symlinked files and folders, reading each real file once', () => {
    const dir = tree();
    const scanned = join(dir, 'apps');
    symlinkSync(join(dir, 'elsewhere', 'linked.yaml'), join(scanned, 'b-link.yaml'));
    symlinkSync(join(dir, 'elsewhere', 'shared'), join(scanned, 'c-shared'));
    symlinkSync(join(dir, 'apps', 'a.yaml'), join(scanned, 'd-again.yaml'));
    const r = listManifestFiles(scanned);
    expect(r.errors).toEqual([]);
    expect(r.files).toEqual([join(scanned, 'a.yaml'), join(scanned, 'b-link.yaml'), join(scanned, 'c-shared', 'base.yaml')]);
  });

  it('reports a link loop and a broken link, and does not follow them', () => {
    const dir = tree();
    const scanned = join(dir, 'apps');
    mkdirSync(join(scanned, 'sub'));
    symlinkSync(scanned, join(scanned, 'sub', 'up'));
    symlinkSync(join(dir, 'gone.yaml'), join(scanned, 'broken.yaml'));
    const r = listManifestFiles(scanned);
    expect(r.files).toEqual([join(scanned, 'a.yaml')]);
    expect(r.errors).toEqual([
      { file: join(scanned, 'broken.yaml'), message: expect.stringMatching(/^cannot follow link: .*ENOENT/) },
      { file: join(scanned, 'sub', 'up'), message: expect.stringMatching(/^link loop: leads back to .*apps, not followed$/) },
    ]);
  });

  it('shares what was read across paths: a file given twice is read once', () => {
    const dir = tree();
    const seen = new Set<string>();
    expect(listManifestFiles(join(dir, 'apps'), nodeManifestFs, seen).files).toHaveLength(1);
    expect(listManifestFiles(join(dir, 'apps', 'a.yaml'), nodeManifestFs, seen).files).toEqual([]);
  });
});

describe('ManifestLoader with unreadable files and folders', () => {
  it('reports an unreadable file and folder by name, scans the readable files beside them, and marks the target incomplete', () => {
    const dir = tree();
    writeFileSync(join(dir, 'apps', 'secret.yaml'), ns('hidden'));
    mkdirSync(join(dir, 'apps', 'locked'));
    writeFileSync(join(dir, 'apps', 'locked', 'inside.yaml'), ns('inside'));
    const loader = new ManifestLoader(denying([join(dir, 'apps', 'secret.yaml'), join(dir, 'apps', 'locked')]));
    loader.addPath(join(dir, 'apps'));
    const r = loader.result({ kind: 'manifests', name: 't' }, 'now');
    expect(r.inventories[0]!.resources.map((o) => o.metadata?.name)).toEqual(['a']);
    expect(r.errors).toEqual([
      { file: join(dir, 'apps', 'locked'), message: expect.stringMatching(/^cannot read folder: EACCES/) },
      { file: join(dir, 'apps', 'secret.yaml'), message: expect.stringMatching(/^cannot read: EACCES/) },
    ]);
    expect(r.targets[0]!.loadErrors).toHaveLength(2);
  });
});
