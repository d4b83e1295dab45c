import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The import-boundaries rule (.dependency-cruiser.cjs, `npm run lint:layers`) run as CI runs it:
 * clean on the repository, failing on a backwards import, a circle, or a domain reaching into another.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const REGISTER = join(ROOT, 'scripts/typescript-api/register.mjs');
const FOLDERS = ['shared', 'cli', 'functions', 'infra', 'bench', 'scripts', 'test'];

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  modules: { source: string; dependencies: { resolved: string; coreModule: boolean; couldNotResolve: boolean }[] }[];
}

function cruise(cwd: string, folders: string[]): Cruise {
  const out = execFileSync(process.execPath, [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...folders], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: `--import=${REGISTER}` },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out) as Cruise;
}

const violations = (c: Cruise) => c.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);

const sandboxes: string[] = [];
afterAll(() => sandboxes.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A tree with the repository's rule and tsconfig and the given files. */
function sandbox(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hardline-layers-'));
  sandboxes.push(dir);
  cpSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true } }),
  );
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const exportX = 'export const x = 1;\n';

describe('import boundaries', () => {
  const repo = cruise(ROOT, FOLDERS);

  it('hold on the repository: no backwards import and no circle', () => {
    expect(violations(repo)).toEqual([]);
    expect(repo.modules.filter((m) => m.source.startsWith('shared/')).length).toBeGreaterThan(200);
  });

  it('leave no circle between folders either (the layers of shared/, and the top-level folders)', () => {
    // A control domain may use its layer's root files (types, defineControl, refs) while the catalog
    // list in that root gathers the domains; domains never import each other (rule domains-stand-alone).
    const folderOf = (f: string) =>
      f
        .split('/')
        .slice(0, f.startsWith('shared/') ? 2 : 1)
        .join('/');
    const edges = new Map<string, Set<string>>();
    for (const m of repo.modules) {
      for (const d of m.dependencies) {
        if (d.coreModule || d.couldNotResolve || d.resolved.includes('node_modules')) continue;
        const [a, b] = [folderOf(m.source), folderOf(d.resolved)];
        if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
      }
    }
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(edges.get(from) ?? [])].some((n) => n === to || (!seen.has(n) && (seen.add(n), reaches(n, to, seen))));
    const circles = [...edges].flatMap(([a, targets]) => [...targets].filter((b) => reaches(b, a)).map((b) => `${a} ⇄ ${b}`));
    expect(edges.size).toBeGreaterThan(20);
    expect(circles).toEqual([]);
  });

  it('fail on a backwards import: the core layer importing the engine', () => {
    const dir = sandbox({
      'shared/engine/report.ts': exportX,
      'shared/core/types.ts': "import { x } from '../engine/report.js';\nexport const y = x;\n",
    });
    expect(violations(cruise(dir, ['shared']))).toEqual(['layer-core: shared/core/types.ts → shared/engine/report.ts']);
  });

  it('fail on a type-only backwards import and on an import circle', () => {
    const upward = sandbox({
      'shared/store/items.ts': 'export type Item = { id: string };\n',
      'shared/findings/id.ts': "import type { Item } from '../store/items.js';\nexport type Id = Item['id'];\n",
    });
    expect(violations(cruise(upward, ['shared']))).toEqual(['layer-findings: shared/findings/id.ts → shared/store/items.ts']);
    const circle = sandbox({
      'shared/engine/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'shared/engine/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(violations(cruise(circle, ['shared'])).every((v) => v.startsWith('no-circular: shared/engine/'))).toBe(true);
    expect(violations(cruise(circle, ['shared'])).length).toBeGreaterThan(0);
  });

  it('fail when a control domain reaches into another, or shared into the edges, or bench into a test', () => {
    const domain = sandbox({
      'shared/controls/network/a.ts': exportX,
      'shared/controls/rbac/b.ts': "import { x } from '../network/a.js';\nexport const y = x;\n",
    });
    expect(violations(cruise(domain, ['shared']))).toEqual([
      'domains-stand-alone: shared/controls/rbac/b.ts → shared/controls/network/a.ts',
    ]);
    const edge = sandbox({ 'cli/io.ts': exportX, 'shared/api/http.ts': "import { x } from '../../cli/io.js';\nexport const y = x;\n" });
    expect(violations(cruise(edge, ['shared', 'cli']))).toEqual(['shared-one-way: shared/api/http.ts → cli/io.ts']);
    const bench = sandbox({
      'test/support/server.ts': exportX,
      'test/fleet.test.ts': exportX,
      'bench/fleet.ts':
        "import { x } from '../test/support/server.js';\nimport { x as t } from '../test/fleet.test.js';\nexport const y = x + t;\n",
    });
    expect(violations(cruise(bench, ['bench', 'test']))).toEqual(['bench-uses-test-support-only: bench/fleet.ts → test/fleet.test.ts']);
  });
});
