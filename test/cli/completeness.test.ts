import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanReportJson } from '../../shared/engine/report.js';
import { runMainInProcess } from '../support/cli-async.js';
import { REPO_ROOT } from '../support/paths.js';

/**
 * "Never a silent all-clear": what a scan could not read is said, makes the scan incomplete
 * (exit 3), and never resolves stored findings.
 */
const FIX = `${REPO_ROOT}test/controls/fixtures/workload.privileged`;
const PRIVILEGED = `${FIX}/fail/privileged-sidecar-daemonset.yaml`;
const CLEAN = `${FIX}/pass/hardened-deployment.yaml`;
const ONLY = ['--controls', 'workload.privileged'];

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-complete-'));
  for (const [name, from] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    copyFileSync(from, join(dir, name));
  }
  return dir;
}

const storeEnv = () => ({ HARDLINE_STORE_DIR: mkdtempSync(join(tmpdir(), 'hl-complete-store-')), HARDLINE_TABLE: undefined });

async function openFindings(env: Record<string, string | undefined>): Promise<{ state: string; resource: { name: string } }[]> {
  const r = await runMainInProcess(['findings', '--format', 'json', '--all'], env);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { items: { state: string; resource: { name: string } }[] }).items;
}

describe('a PATH that does not exist', () => {
  it('is a usage error (exit 2) and nothing is saved, even beside a good path', async () => {
    const env = storeEnv();
    const good = folder({ 'priv.yaml': PRIVILEGED });
    expect((await runMainInProcess(['scan', good, ...ONLY, '--save'], env)).code).toBe(1);
    const typo = await runMainInProcess(['scan', `${good}-typo`, good, ...ONLY, '--save'], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`no such file or folder: ${good}-typo`);
    expect(typo.stderr).not.toMatch(/saved scan/);
    expect((await openFindings(env)).map((f) => f.state)).toEqual(['OPEN']);
  });
});

describe('a malformed file (a tab pasted into YAML)', () => {
  it('makes the manifests target PARTIAL, exits 3, and resolves none of the findings the file held', async () => {
    const env = storeEnv();
    const dir = folder({ 'clean.yaml': CLEAN, 'priv.yaml': PRIVILEGED });
    const first = await runMainInProcess(['scan', dir, ...ONLY, '--save'], env);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/1 new, 0 resolved/);

    const text = readFileSync(join(dir, 'priv.yaml'), 'utf8');
    writeFileSync(join(dir, 'priv.yaml'), text.replace('\n  namespace:', '\n\tnamespace:'));
    const again = await runMainInProcess(['scan', dir, ...ONLY, '--save', '--format', 'json'], env);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/priv\.yaml:\d+: invalid YAML/);
    expect(again.stderr).toMatch(/0 new, 0 resolved, 0 unchanged, 1 kept/);
    const report = JSON.parse(again.stdout) as ScanReportJson;
    expect(report.scan.targets).toEqual([
      expect.objectContaining({
        kind: 'manifests',
        status: 'PARTIAL',
        loadErrors: 1,
        reason: expect.stringMatching(/priv\.yaml:\d+ \(invalid YAML/),
      }),
    ]);
    expect(report.summary).toMatchObject({
      complete: false,
      incompleteTargets: [{ kind: 'manifests', status: 'PARTIAL', reason: expect.stringContaining('priv.yaml') }],
    });
    expect((await openFindings(env)).map((f) => `${f.resource.name} ${f.state}`)).toEqual(['app OPEN']);

    // Fixed, the file is read again and its finding is judged as usual.
    writeFileSync(join(dir, 'priv.yaml'), text.replace('privileged: true', 'privileged: false'));
    const fixed = await runMainInProcess(['scan', dir, ...ONLY, '--save'], env);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toMatch(/0 new, 1 resolved/);
  });
});

/** Runs the CLI as an unprivileged user when the tests run as root: root reads chmod 000 files. */
function runAsUnprivileged(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO_ROOT}cli/main.ts`, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 120_000,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('an unreadable file or folder', () => {
  it('is reported by name, the readable files beside it are scanned, and --fail-on critical exits 3, not 0', () => {
    const dir = folder({ 'ok.yaml': CLEAN, 'secret.yaml': PRIVILEGED, 'locked/inner.yaml': PRIVILEGED });
    chmodSync(dir, 0o755); // mkdtemp makes it private to its (root) owner
    chmodSync(join(dir, 'secret.yaml'), 0o000);
    chmodSync(join(dir, 'locked'), 0o000);
    const r = runAsUnprivileged(['scan', dir, ...ONLY, '--fail-on', 'critical', '--format', 'json']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/secret\.yaml: cannot read: EACCES/);
    expect(r.stderr).toMatch(/locked: cannot read folder: EACCES/);
    const report = JSON.parse(r.stdout) as ScanReportJson;
    expect(report.scan.targets[0]).toMatchObject({ status: 'PARTIAL', loadErrors: 2, resources: 1 });
    expect(report.results.map((x) => `${x.resource.kind} ${x.status}`)).toEqual(['Deployment PASS']);
    expect(report.summary.complete).toBe(false);
  });
});

describe('symbolic links', () => {
  it('are followed to files and folders, each real file read once; a loop is reported, not followed', async () => {
    const outside = folder({ 'priv.yaml': PRIVILEGED });
    const dir = folder({ 'ok.yaml': CLEAN });
    symlinkSync(join(outside, 'priv.yaml'), join(dir, 'linked.yaml'));
    symlinkSync(outside, join(dir, 'linked-folder'));
    const followed = await runMainInProcess(['scan', dir, ...ONLY, '--format', 'json']);
    expect(followed.code, followed.stderr).toBe(1);
    const report = JSON.parse(followed.stdout) as ScanReportJson;
    expect(report.results.filter((x) => x.status === 'FAIL').map((x) => x.resource.name)).toEqual(['app']);
    expect(report.summary.complete).toBe(true);

    symlinkSync(dir, join(dir, 'loop'));
    const looped = await runMainInProcess(['scan', dir, ...ONLY]);
    expect(looped.code).toBe(1);
    expect(looped.stderr).toMatch(/loop: link loop: leads back to .*, not followed/);
  });
});

describe('a 100,000-level nested JSON file', () => {
  it('is rejected by name while the rest is scanned (no stack overflow)', async () => {
    const dir = folder({ 'priv.yaml': PRIVILEGED });
    writeFileSync(join(dir, 'deep.json'), '['.repeat(100_000) + ']'.repeat(100_000));
    const r = await runMainInProcess(['scan', dir, ...ONLY, '--format', 'json']);
    expect(r.stderr).not.toMatch(/unexpected error|call stack/);
    expect(r.stderr).toMatch(/deep\.json:1: nested more than \d+ levels deep: not scanned/);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as ScanReportJson).results.some((x) => x.status === 'FAIL')).toBe(true);
  });
});
