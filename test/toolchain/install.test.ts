import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.js';

/**
 * `npm ci` runs on the machine's Node (20 is enough) and installs Node 22 for everything else.
 * npm checks `engines` against its own Node only, so the project's .npmrc keeps its log to errors;
 * these checks do instead what those warnings could not: against the Node that really runs the code.
 */
interface LockEntry {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
  hasInstallScript?: boolean;
}
const lock = JSON.parse(readFileSync(`${REPO_ROOT}package-lock.json`, 'utf8')) as { packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as {
  engines: { node: string; npm: string };
  devDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
};
const bundledNode = lock.packages['node_modules/node']?.version ?? '';
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('installing on the README minimum (Node 20 + npm 10/11)', () => {
  it('the bundled Node is 22 (the Lambda runtime) and satisfies the engines of every package that is installed', () => {
    expect(semver.major(bundledNode)).toBe(22);
    const unmet = Object.entries(lock.packages)
      .filter(([path, e]) => path !== '' && !e.optional && e.engines && !Array.isArray(e.engines) && e.engines.node)
      .filter(([, e]) => !semver.satisfies(bundledNode, (e.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, e]) => `${nameOf(path)}@${e.version} needs node ${(e.engines as { node: string }).node}`);
    expect(unmet).toEqual([]);
  });

  it('engines, the README and .npmrc agree: Node 20 and npm 10 run the install, npm logs errors only', () => {
    expect(semver.minVersion(pkg.engines.node)?.major).toBe(20);
    expect(semver.minVersion(pkg.engines.npm)?.major).toBe(10);
    const readme = readFileSync(`${REPO_ROOT}README.md`, 'utf8');
    expect(readme).toContain('Node ≥ 20 and npm ≥ 10');
    expect(readFileSync(`${REPO_ROOT}.npmrc`, 'utf8')).toMatch(/^loglevel=error$/m);
  });

  it('every dependency with an install script is approved in allowScripts (npm no longer warns about it here)', () => {
    const scripted = Object.entries(lock.packages)
      .filter(([path, e]) => path !== '' && e.hasInstallScript && !e.optional)
      .map(([path]) => nameOf(path));
    expect(scripted.length).toBeGreaterThan(0);
    expect(scripted.filter((name) => pkg.allowScripts[name] !== true)).toEqual([]);
  });
});
