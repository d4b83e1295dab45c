import { describe, expect, it } from 'vitest';
import { inventory, manifests, run, verdicts } from '../../support/controls.js';

describe('rbac.default-service-account', () => {
  it('passes pods that do not mount the token, and fails those that do', () => {
    const objs = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: default-view, namespace: a }
roleRef: { kind: ClusterRole, name: view }
subjects: [{ kind: ServiceAccount, name: default }]
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: default, namespace: a }
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: { name: quiet, namespace: a }
spec: { containers: [{ name: c, image: x }] }
---
apiVersion: v1
kind: Pod
metadata: { name: loud, namespace: a }
spec: { automountServiceAccountToken: true, containers: [{ name: c, image: x }] }
---
apiVersion: v1
kind: Pod
metadata: { name: elsewhere, namespace: b }
spec: { containers: [{ name: c, image: x }] }
`);
    expect(verdicts(run('rbac.default-service-account', objs))).toEqual([
      'FAIL Pod/a/loud',
      'FAIL RoleBinding/a/default-view',
      'PASS Pod/a/quiet',
      'PASS Pod/b/elsewhere',
    ]);
  });

  it('is UNKNOWN, never PASS, when bindings could not be read', () => {
    const objs = manifests(`
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: a }
spec: { containers: [{ name: c, image: x }] }
`);
    const results = run('rbac.default-service-account', inventory(objs, {}, [{ source: 'RoleBinding', reason: 'timeout', message: 't' }]));
    expect(results.map((r) => r.status)).toEqual(['UNKNOWN']);
  });

  it('counts the default account written as its user name', () => {
    const objs = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: default-edit, namespace: a }
roleRef: { kind: ClusterRole, name: edit }
subjects: [{ kind: User, name: 'system:serviceaccount:a:default' }]
---
apiVersion: v1
kind: Pod
metadata: { name: p, namespace: a }
spec: { containers: [{ name: c, image: x }] }
`);
    expect(verdicts(run('rbac.default-service-account', objs))).toEqual(['FAIL Pod/a/p', 'FAIL RoleBinding/a/default-edit']);
  });
});
