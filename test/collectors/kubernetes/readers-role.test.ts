import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_KINDS } from '../../../shared/collectors/kubernetes/index.js';
import { REPO_ROOT } from '../../support/paths.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

const docs = parseAllDocuments(readFileSync(`${REPO_ROOT}deploy/hardline-readers.yaml`, 'utf8')).map(
  (d) => d.toJS() as Record<string, unknown>,
);
const role = docs.find((d) => d['kind'] === 'ClusterRole')!;
const binding = docs.find((d) => d['kind'] === 'ClusterRoleBinding')!;
const rules = role['rules'] as Rule[];

const allows = (group: string, resource: string) =>
  rules.some(
    (r) => r.apiGroups?.includes(group) && (r.resources?.includes(resource) || r.resources?.includes('*')) && r.verbs.includes('list'),
  );

describe('deploy/hardline-readers.yaml', () => {
  it('lets the scanner list every resource the collector reads (each candidate group of each kind)', () => {
    const missing: string[] = [];
    for (const spec of KUBERNETES_KINDS) {
      for (const gv of spec.versions) {
        const group = gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '';
        if (!allows(group, spec.plural)) missing.push(`${group || 'core'}/${spec.plural}`);
      }
    }
    expect(missing).toEqual([]);
    expect(allows('constraints.gatekeeper.sh', 'k8sallowedrepos')).toBe(true);
    expect(rules.some((r) => r.nonResourceURLs?.includes('/apis/*'))).toBe(true);
  });

  it('is read-only, never names Secrets, and keeps its one wildcard to Gatekeeper constraints (exempted with a reason)', () => {
    for (const r of rules) {
      expect(
        r.verbs.every((v) => v === 'get' || v === 'list'),
        JSON.stringify(r),
      ).toBe(true);
      expect(r.resources ?? []).not.toContain('secrets');
      expect(r.apiGroups ?? []).not.toContain('*');
      if (r.resources?.includes('*')) expect(r.apiGroups).toEqual(['constraints.gatekeeper.sh']);
    }
    const annotations = (role['metadata'] as { annotations: Record<string, string> }).annotations;
    expect(annotations['hardline.dev/exempt']).toBe('rbac.wildcard');
    expect(annotations['hardline.dev/exempt-reason']).toMatch(/Gatekeeper/);
  });

  it('binds the role to the group hardline-readers that the EKS access entry maps the scanner into', () => {
    expect(binding['roleRef']).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'hardline-readers' });
    expect(binding['subjects']).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'hardline-readers' }]);
  });
});
