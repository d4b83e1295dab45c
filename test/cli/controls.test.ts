import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { runMainInProcess } from '../support/cli-async.js';

interface ListedControl {
  id: string;
  severity: string;
  frameworks: Record<string, unknown>;
  match: { ref: string; match: string; note?: string }[];
  memberOf: string[];
}

describe('hardline controls', () => {
  it('--format json lists every control with severity, framework membership, cross-references and how close each is', async () => {
    const run = await runMainInProcess(['controls', '--format', 'json']);
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as ListedControl[];
    expect(listed.map((c) => c.id)).toEqual(controls.map((c) => c.id));
    const ecr = listed.find((c) => c.id === 'ecr.tag-immutability')!;
    expect(ecr.severity).toBe('medium');
    expect(ecr.memberOf).toEqual(['nsa-cisa']);
    expect(ecr.frameworks).toEqual({ nsa: 'Pod security: building secure container images', securityHub: ['ECR.2'] });
    expect(ecr.match[0]).toMatchObject({ ref: 'SH ECR.2', match: 'weaker' });
    expect(ecr.match[0]!.note).toMatch(/IMMUTABLE_WITH_EXCLUSION/);
    const podSecurity = listed.find((c) => c.id === 'admission.pod-security')!;
    expect(podSecurity.memberOf).toEqual(['nsa-cisa', 'cis-eks']);
    for (const c of listed)
      for (const m of c.match) expect(['same', 'stricter', 'weaker', 'related'], `${c.id} ${m.ref}`).toContain(m.match);
  });

  it('the table prints each grading as a sentence under the references', async () => {
    const run = await runMainInProcess(['controls', '--framework', 'cis-eks']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('rbac.secrets-read '));
    expect(lines[at + 1]).toContain('CIS EKS 4.1.2');
    expect(lines[at + 2]).toMatch(/^\s+weaker than Kubescape C-0186: hardline passes rules narrowed by resourceNames$/);
    expect(run.stdout).not.toMatch(/^eks\.nodegroup-remote-access /m);
  });
});
