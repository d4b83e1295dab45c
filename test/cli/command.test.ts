import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReportJson } from '../../shared/engine/report.js';
import type { CliRun } from '../support/cli.js';
import { K8sApiServer, kubeconfigFor } from '../support/k8s-api-server.js';
import { mixedClusterObjects } from '../support/k8s-cluster-fixture.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * The `hardline` command as a user gets it: `npm install -g .` (what `npm link` does, into a
 * private prefix here), run from a folder outside the repository, with the machine's own Node on
 * PATH — Node 20 on a fresh machine, which the bin must not run the CLI under.
 */
function nodeMajor(node: string): number | undefined {
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim().split('.')[0]) : undefined;
}
const candidates = [...(process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'node')), '/usr/bin/node', '/usr/local/bin/node'];
const oldNode = candidates.find((n) => existsSync(n) && (nodeMajor(n) ?? 99) < 22);
if (!oldNode)
  process.stderr.write('\n!!! test/cli/command.test.ts: no Node < 22 on this machine — the re-exec under Node 22 is not exercised.\n\n');
const userNode = oldNode ?? process.execPath;

/** Runs a shell command line the way a user types it, without blocking this process (the fake API server lives here). */
function sh(line: string, cwd: string, path: string): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: path, NO_COLOR: '1' };
  for (const k of ['HARDLINE_STORE_DIR', 'HARDLINE_TABLE', 'npm_lifecycle_event', 'INIT_CWD', 'NODE_OPTIONS']) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the hardline command (npm install -g . / npm link), from any folder', () => {
  let prefix: string;
  let work: string;
  let path: string;
  let server: K8sApiServer;

  beforeAll(async () => {
    prefix = mkdtempSync(join(tmpdir(), 'hl-global-'));
    const npm = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', REPO_ROOT], { encoding: 'utf8' });
    expect(npm.status, npm.stderr).toBe(0);
    work = realpathSync(mkdtempSync(join(tmpdir(), 'hl-user-')));
    expect(work.startsWith(realpathSync(REPO_ROOT))).toBe(false);
    mkdirSync(join(work, 'rel'), { recursive: true });
    cpSync(`${REPO_ROOT}examples/manifests/payments`, join(work, 'rel', 'path'), { recursive: true });
    // The user's PATH: the global bin folder, then the machine's Node (20 here) — not the repository's node_modules.
    path = [join(prefix, 'bin'), dirname(userNode), '/usr/bin', '/bin'].join(delimiter);
    server = await K8sApiServer.start();
    server.addCluster('prod', { objects: mixedClusterObjects(3), token: 'prod-token' });
    writeFileSync(join(work, 'kubeconfig'), kubeconfigFor(server, [{ name: 'prod', cluster: 'prod', token: 'prod-token' }]));
  });
  afterAll(() => server?.close());

  it('must show: `hardline scan rel/path --format json --save > out.json` resolves the path from the user folder and saves the store there', async () => {
    const r = await sh('hardline scan rel/path --format json --save > out.json', work, path);
    expect(r.code, r.stderr).toBe(1); // the payments example has failures
    const text = readFileSync(join(work, 'out.json'), 'utf8');
    expect(text.startsWith('{')).toBe(true); // no npm banner in the redirected output
    const report = JSON.parse(text) as ScanReportJson;
    expect(report.scan.targets).toEqual([expect.objectContaining({ kind: 'manifests', name: join(work, 'rel', 'path'), status: 'OK' })]);
    expect(report.results.length).toBeGreaterThan(0);
    expect(existsSync(join(work, '.hardline', 'store', 'data'))).toBe(true);
    expect(r.stderr).toContain('saved scan');
    expect(r.stderr).toContain('the embedded store in .hardline/store');
    const list = await sh('hardline findings --format json --all', work, path);
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { count: number }).count).toBeGreaterThan(0);
  });

  it('scans a live cluster under Node 22 even when the Node on PATH is older (@kubernetes/client-node needs 22)', async () => {
    const r = await sh('hardline scan --kubeconfig kubeconfig --context prod --format json', work, path);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    expect(report.scan.targets).toEqual([expect.objectContaining({ kind: 'cluster', name: 'prod', status: 'OK' })]);
    expect(report.results.some((x) => x.resource.kind === 'Pod' || x.resource.kind === 'Deployment')).toBe(true);
  });

  it.skipIf(!oldNode)('without the repository Node, an older Node fails with a clear message instead of crashing later', () => {
    const lone = mkdtempSync(join(tmpdir(), 'hl-lone-'));
    mkdirSync(join(lone, 'cli'));
    cpSync(`${REPO_ROOT}cli/bin.js`, join(lone, 'cli', 'bin.js'));
    const r = spawnSync(oldNode!, [join(lone, 'cli', 'bin.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/hardline: needs Node\.js 22 or newer, this is v\d+/);
    expect(r.stderr).toContain('npm ci');
    expect(r.stdout).toBe('');
  });

  it('`npm run -s hardline -- …` resolves paths from where it was typed, not the repository root', async () => {
    const r = await sh(
      `npm run -s --prefix ${REPO_ROOT} hardline -- scan rel/path --format json > npm-run.json`,
      work,
      process.env['PATH'] ?? '',
    );
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(work, 'npm-run.json'), 'utf8')) as ScanReportJson;
    expect(report.scan.targets[0]!.name).toBe(join(work, 'rel', 'path'));
  });
});
