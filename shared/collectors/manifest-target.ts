import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

export interface TargetNameOptions {
  cwd?: string;
  /** Whether a path exists (the `.git` probe); injectable for tests. */
  exists?: (path: string) => boolean;
  realpath?: (path: string) => string;
}

/**
 * The nearest folder at or above `path` holding a `.git` entry (a folder, or the file a worktree or
 * submodule has): the repository root, found without running git.
 */
export function repositoryRoot(path: string, exists: (p: string) => boolean = existsSync): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (exists(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** One path's identity: `<repository folder>/<path inside it>`, else the absolute path; `stdin` for `-`. */
export function pathIdentity(path: string, opts: TargetNameOptions = {}): string {
  if (path === '-') return 'stdin';
  const absolute = resolve(opts.cwd ?? process.cwd(), path);
  let real = absolute;
  try {
    real = (opts.realpath ?? realpathSync)(absolute);
  } catch {
    // A path that cannot be resolved is named as given (absolute): it fails to load and says so.
  }
  const root = repositoryRoot(real, opts.exists);
  if (!root || dirname(root) === root) return toPosix(real);
  const inside = relative(root, real);
  return toPosix(inside === '' ? basename(root) : join(basename(root), inside));
}

/**
 * The manifests target's name, the same from any working directory so saved findings keep their
 * ids: `--target-name` when given, else each path's identity; several paths are their identities
 * sorted and joined with " + " (the order they were typed in does not matter).
 */
export function manifestsTargetName(paths: readonly string[], opts: TargetNameOptions & { override?: string } = {}): string {
  if (opts.override !== undefined) return opts.override;
  return [...new Set(paths.map((p) => pathIdentity(p, opts)))].sort().join(' + ');
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}
