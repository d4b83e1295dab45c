import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanReportJson } from '../../shared/engine/report.js';
import { runMainInProcess } from '../support/cli-async.js';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/paths.js';

const CLEAN = `${REPO_ROOT}test/controls/fixtures/workload.privileged/pass/hardened-deployment.yaml`;
const PRIVILEGED = `${REPO_ROOT}test/controls/fixtures/workload.privileged/fail/privileged-sidecar-daemonset.yaml`;

describe('flags that would silently scan less than asked fail fast (exit 2, message on stderr)', () => {
  it.each([
    [['--controls', 'workload.privilegd'], /unknown control id: workload\.privilegd/],
    [['--controls', 'nothing.*'], /unknown control id: nothing\.\*/],
    [['--controls', ' , '], /--controls is empty/],
    [['--framework', 'pss-baseline', '--controls', 'rbac.wildcard'], /--controls rbac\.wildcard: not in framework pss-baseline/],
    [['--framework', 'pss-restricted', '--controls', 'workload.privileged,eks.*'], /--controls eks\.\*: not in framework pss-restricted/],
    [['--regions', 'eu-west-1'], /--regions only apply with --aws/],
    [['--org'], /--org only apply with --aws/],
    [['--aws', '--external-id', 'x'], /--external-id only applies with --aws --org/],
    [['--target-name', ' '], /--target-name names the manifests target/],
  ])('scan %j', async (flags, message) => {
    const r = await runMainInProcess(['scan', CLEAN, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('still accepts a framework with controls inside it', async () => {
    const r = await runMainInProcess(['scan', CLEAN, '--framework', 'pss-baseline', '--controls', 'workload.privileged,workload.host-*']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('output closed early (`hardline controls | head -1`)', () => {
  it('ends quietly with exit 0, no stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${REPO_ROOT}cli/main.ts`, 'controls'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the CLI has started: every write it makes meets a closed pipe (EPIPE).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });
});

describe('target identity', () => {
  it('is the same from two working directories: one target, one finding id, in the store', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'hl-identity-')));
    mkdirSync(join(root, '.git'));
    mkdirSync(join(root, 'deploy', 'team-a'), { recursive: true });
    copyFileSync(PRIVILEGED, join(root, 'deploy', 'team-a', 'app.yaml'));
    const env = { HARDLINE_STORE_DIR: join(root, 'store') };
    const args = ['--controls', 'workload.privileged', '--save', '--format', 'json'];

    const fromRoot = runCli(['scan', 'deploy/team-a', ...args], { cwd: root, env });
    const fromInside = runCli(['scan', '.', ...args], { cwd: join(root, 'deploy', 'team-a'), env });
    const name = `${basename(root)}/deploy/team-a`;
    for (const r of [fromRoot, fromInside]) {
      expect(r.code, r.stderr).toBe(1);
      expect((JSON.parse(r.stdout) as ScanReportJson).scan.targets.map((t) => t.name)).toEqual([name]);
    }
    expect(fromRoot.stderr).toMatch(/1 new, 0 resolved/);
    expect(fromInside.stderr).toMatch(/0 new, 0 resolved, 1 unchanged/);

    const renamed = runCli(['scan', 'deploy', ...args, '--target-name', 'team-a-manifests'], { cwd: root, env });
    expect((JSON.parse(renamed.stdout) as ScanReportJson).scan.targets.map((t) => t.name)).toEqual(['team-a-manifests']);
  });
});
