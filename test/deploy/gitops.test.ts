import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { READERS_GROUP } from '../../shared/cluster-access/onboarding-commands.js';
import { REPO_ROOT } from '../support/paths.js';

const read = (path: string) => readFileSync(`${REPO_ROOT}${path}`, 'utf8');

describe('deploy/gitops (the Helm-less GitOps bundle of the readers role)', () => {
  it('is a Kustomization of the very same ClusterRole and binding as deploy/hardline-readers.yaml', () => {
    const k = parse(read('deploy/gitops/kustomization.yaml')) as { kind: string; resources: string[] };
    expect(k.kind).toBe('Kustomization');
    expect(k.resources).toEqual(['hardline-readers.yaml']);
    expect(read('deploy/gitops/hardline-readers.yaml')).toBe(read('deploy/hardline-readers.yaml'));
  });

  it('holds no Secret, and binds the group the readers-group access entry names', () => {
    const docs = parseAllDocuments(read('deploy/gitops/hardline-readers.yaml')).map((d) => d.toJS() as { kind: string; subjects?: { name: string }[] });
    expect(docs.map((d) => d.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding']);
    expect(docs.find((d) => d.kind === 'ClusterRoleBinding')!.subjects!.map((s) => s.name)).toEqual([READERS_GROUP]);
  });
});
