import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const FIX = 'test/controls/fixtures';
const PRIV_FAIL = `${FIX}/workload.privileged/fail/privileged-sidecar-daemonset.yaml`;
const CLEAN = `${FIX}/workload.privileged/pass/hardened-deployment.yaml`;

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-cli-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('hardline scan (CLI contract)', () => {
  it('exits 0 when nothing fails at or above --fail-on, 1 when something does', () => {
    expect(runCli(['scan', CLEAN, '--controls', 'workload.privileged']).code).toBe(0);
    const failing = runCli(['scan', PRIV_FAIL, '--controls', 'workload.privileged']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('workload.privileged [sidecar]');
    expect(runCli(['scan', PRIV_FAIL, '--controls', 'workload.resource-*', '--fail-on', 'critical']).code).toBe(0);
  });

  it('exits 2 with a message for unknown flags, frameworks, controls, formats and severities', () => {
    for (const args of [
      ['scan', CLEAN, '--no-such-flag'],
      ['scan', CLEAN, '--framework', 'iso27001'],
      ['scan', CLEAN, '--controls', 'workload.nope'],
      ['scan', CLEAN, '--format', 'xml'],
      ['scan', CLEAN, '--fail-on', 'severe'],
      ['scan'],
    ]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
    }
  });

  it('scans the rest when a document is malformed, reports file:line, and exits 2 only if nothing was scannable', () => {
    const mixed = tmp(
      'mixed.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x:1}]\n---\nkind: [oops\n`,
    );
    const r = runCli(['scan', mixed, '--controls', 'workload.host-pid', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mixed\.yaml:\d+: invalid YAML/);
    const report = JSON.parse(r.stdout);
    expect(report.scan.errors).toEqual([
      expect.objectContaining({ file: expect.stringContaining('mixed.yaml'), line: expect.any(Number) }),
    ]);
    expect(report.results.map((x: { status: string }) => x.status)).toEqual(['FAIL']);

    const broken = tmp('broken.yaml', 'kind: [oops\n');
    const none = runCli(['scan', broken, '--format', 'json']);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).scan.errors).toHaveLength(1);
  });

  it('reads manifests from stdin with -', () => {
    const r = runCli(['scan', '-', '--controls', 'workload.host-network'], {
      stdin: readFileSync(`${FIX}/workload.host-network/fail/daemonset.yaml`, 'utf8'),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('hostNetwork: true');
  });

  it('prints the JSON contract', () => {
    const r = runCli(['scan', PRIV_FAIL, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'hardline', version: expect.any(String) },
      scan: {
        id: expect.any(String),
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        targets: [expect.objectContaining({ kind: 'manifests', status: 'OK' })],
      },
    });
    const fail = report.results.find(
      (x: { controlId: string; status: string }) => x.controlId === 'workload.privileged' && x.status === 'FAIL',
    );
    expect(fail).toMatchObject({
      severity: 'critical',
      target: { kind: 'manifests' },
      resource: { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'team-a', name: 'app', container: 'sidecar' },
      message: expect.any(String),
    });
    const { byStatus, bySeverity, score } = report.summary;
    const counted = report.results.filter((x: { status: string }) => x.status === 'PASS').length;
    expect(byStatus.PASS).toBe(counted);
    expect(bySeverity.critical).toBeGreaterThan(0);
    expect(score).toBeCloseTo(byStatus.PASS / (byStatus.PASS + byStatus.FAIL), 3);
  });

  it('writes to --output and applies an exemptions file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hl-out-')), 'report.json'); // the folder must exist (policyreport.test.ts)
    const ex = tmp(
      'ex.yaml',
      'exemptions:\n  - controlId: workload.privileged\n    match: {namespace: team-a, name: app}\n    reason: CNI agent needs it\n',
    );
    const r = runCli(['scan', PRIV_FAIL, '--controls', 'workload.privileged', '--exemptions', ex, '--format', 'json', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.results.find((x: { status: string }) => x.status === 'FAIL').exempted).toMatchObject({ reason: 'CNI agent needs it' });
    expect(report.summary.exempted).toBe(1);
  });

  it('exits 2 with the field named when the exemptions or config file is invalid', () => {
    const ex = tmp('ex.yaml', '- controlId: workload.privileged\n  match: {}\n');
    const r = runCli(['scan', CLEAN, '--exemptions', ex]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('reason');
    const cfg = tmp('hardline.config.yaml', 'allowedRegistries: docker.io\n');
    const c = runCli(['scan', CLEAN, '--config', cfg]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('allowedRegistries');
  });

  it('prints help with examples and exits 0', () => {
    const r = runCli(['scan', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--fail-on');
  });
});
