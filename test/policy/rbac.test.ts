import { describe, expect, it } from 'vitest';
import { ruleGrants, type PolicyRule } from '../../shared/policy/rbac/model.js';
import { manifests, run, verdicts } from '../support/controls.js';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({
  apiGroups: [''],
  resources: [],
  verbs: [],
  resourceNames: [],
  nonResourceURLs: [],
  origin: 'rules[0]',
  ...r,
});

describe('RBAC rule matching (Kubernetes semantics)', () => {
  it('matches exact subresources, */subresource and *, but not resource/*', () => {
    expect(ruleGrants(rule({ resources: ['pods/exec'], verbs: ['create'] }), 'create', '', 'pods/exec')).toBe(true);
    expect(ruleGrants(rule({ resources: ['*/exec'], verbs: ['create'] }), 'create', '', 'pods/exec')).toBe(true);
    expect(ruleGrants(rule({ resources: ['*'], verbs: ['*'] }), 'get', '', 'pods/attach')).toBe(true);
    expect(ruleGrants(rule({ resources: ['pods/*'], verbs: ['create'] }), 'create', '', 'pods/exec')).toBe(false);
    expect(ruleGrants(rule({ resources: ['pods'], verbs: ['create'] }), 'create', '', 'pods/exec')).toBe(false);
  });

  it('requires the API group to match', () => {
    expect(ruleGrants(rule({ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }), 'get', '', 'secrets')).toBe(false);
    expect(ruleGrants(rule({ apiGroups: ['*'], resources: ['secrets'], verbs: ['get'] }), 'get', '', 'secrets')).toBe(true);
  });
});

describe('built-in RBAC', () => {
  const builtIns = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: system:controller:deployment-controller }
roleRef: { kind: ClusterRole, name: system:controller:deployment-controller }
subjects: [{ kind: ServiceAccount, name: deployment-controller, namespace: kube-system }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: system:controller:deployment-controller }
rules: [{ apiGroups: [""], resources: [pods], verbs: ["*"] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: cluster-admin }
rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]
`);

  it('are not user findings by default', () => {
    expect(run('rbac.wildcard', builtIns).map((r) => r.status)).toEqual(['NOT_APPLICABLE']);
  });

  it('are judged like user objects with rbac.judgeBuiltIn', () => {
    const results = run('rbac.wildcard', builtIns, { rbac: { judgeBuiltIn: true } });
    expect(verdicts(results)).toEqual(['FAIL ClusterRole/cluster-admin', 'FAIL ClusterRole/system:controller:deployment-controller']);
  });

  it('a look-alike name does not make a binding built-in when its subjects are not the shipped ones', () => {
    const objs = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: system:public-info-viewer }
roleRef: { kind: ClusterRole, name: system:public-info-viewer }
subjects:
  - { kind: Group, name: system:unauthenticated }
  - { kind: User, name: system:anonymous }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: eks:sneaky }
roleRef: { kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: User, name: eks:addon-manager }]
`);
    const anonymous = run('rbac.anonymous-binding', objs);
    expect(anonymous.find((r) => r.resource.name === 'system:public-info-viewer')).toMatchObject({
      status: 'FAIL',
      message: expect.stringContaining('User system:anonymous'),
    });
    expect(anonymous.find((r) => r.resource.name === 'system:public-info-viewer')?.message).not.toContain('system:unauthenticated');
    expect(run('rbac.cluster-admin-binding', objs).find((r) => r.resource.name === 'eks:sneaky')?.status).toBe('FAIL');
  });
});

describe('role resolution', () => {
  it('resolves aggregation recursively and names the binding in the evidence', () => {
    const objs = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: top }
aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: top } }] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: middle, labels: { agg: top } }
aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: middle } }] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: leaf, labels: { agg: middle } }
rules: [{ apiGroups: [""], resources: [secrets], verbs: [list] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: support-top, namespace: shop }
roleRef: { kind: ClusterRole, name: top }
subjects: [{ kind: Group, name: support }]
`);
    const results = run('rbac.secrets-read', objs);
    expect(verdicts(results)).toEqual(['FAIL ClusterRole/leaf', 'FAIL ClusterRole/middle', 'FAIL ClusterRole/top']);
    expect(results.find((r) => r.resource.name === 'top')?.evidence).toMatchObject({
      boundBy: ['RoleBinding shop/support-top'],
      subjects: ['Group support'],
    });
  });

  it('survives aggregation cycles', () => {
    const objs = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: a, labels: { x: "1" } }
aggregationRule: { clusterRoleSelectors: [{ matchLabels: { y: "1" } }] }
rules: [{ apiGroups: [""], resources: [pods/exec], verbs: [create] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: b, labels: { y: "1" } }
aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: "1" } }] }
`);
    expect(verdicts(run('rbac.exec-attach', objs))).toEqual(['FAIL ClusterRole/a', 'FAIL ClusterRole/b']);
  });

  it('a RoleBinding resolves Role names in its own namespace only', () => {
    const objs = manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: exec, namespace: a }
rules: [{ apiGroups: [""], resources: [pods/exec], verbs: [create] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: bind-exec, namespace: b }
roleRef: { kind: Role, name: exec }
subjects: [{ kind: User, name: dave }]
`);
    const r = run('rbac.exec-attach', objs).find((x) => x.resource.name === 'exec');
    expect(r?.status).toBe('FAIL');
    expect(r?.evidence?.['boundBy']).toEqual([]);
  });
});
