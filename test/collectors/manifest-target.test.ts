import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestsTargetName, pathIdentity, repositoryRoot } from '../../shared/collectors/manifest-target.js';

function repo(gitEntry: 'folder' | 'file' = 'folder'): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'hl-repo-')));
  if (gitEntry === 'folder') mkdirSync(join(root, '.git'));
  else writeFileSync(join(root, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
  mkdirSync(join(root, 'deploy', 'payments'), { recursive: true });
  mkdirSync(join(root, 'deploy', 'storefront'), { recursive: true });
  return root;
}

describe('manifests target identity', () => {
  it('names a path inside a git repository by the repository folder and the path inside it, from any working directory', () => {
    const root = repo();
    const name = `${basename(root)}/deploy/payments`;
    expect(pathIdentity('deploy/payments', { cwd: root })).toBe(name);
    expect(pathIdentity('payments', { cwd: join(root, 'deploy') })).toBe(name);
    expect(pathIdentity('../payments/', { cwd: join(root, 'deploy', 'storefront') })).toBe(name);
    expect(pathIdentity(join(root, 'deploy', 'payments'), { cwd: '/' })).toBe(name);
    expect(pathIdentity('.', { cwd: root })).toBe(basename(root));
  });

  it('finds worktrees and submodules, whose .git is a file', () => {
    const root = repo('file');
    expect(repositoryRoot(join(root, 'deploy', 'payments'))).toBe(root);
    expect(pathIdentity('deploy', { cwd: root })).toBe(`${basename(root)}/deploy`);
  });

  it('names a path outside any repository by its absolute path', () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'hl-plain-')));
    const exists = (p: string) => !p.endsWith('.git');
    expect(pathIdentity('.', { cwd: outside, exists })).toBe(outside);
    expect(pathIdentity('sub/x.yaml', { cwd: outside, exists })).toBe(join(outside, 'sub', 'x.yaml'));
  });

  it('names several paths by their identities sorted and joined, whatever the order typed; --target-name overrides', () => {
    const root = repo();
    const a = manifestsTargetName(['deploy/storefront', 'deploy/payments'], { cwd: root });
    const b = manifestsTargetName(['payments', 'storefront', 'payments'], { cwd: join(root, 'deploy') });
    expect(a).toBe(`${basename(root)}/deploy/payments + ${basename(root)}/deploy/storefront`);
    expect(b).toBe(a);
    expect(manifestsTargetName(['-'], { cwd: root })).toBe('stdin');
    expect(manifestsTargetName(['deploy'], { cwd: root, override: 'shop-manifests' })).toBe('shop-manifests');
  });
});
