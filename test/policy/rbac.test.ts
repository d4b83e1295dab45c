import { describe, expect, it } from 'vitest';
import { ruleCovers, ruleGrants, type PolicyRule } from '../../shared/policy/rbac/rules.js';
import {
  grantsCreatePods,
  grantsCsrApprovalUpdate,
  grantsNodesProxy,
  grantsPortForward,
  grantsSignerApprove,
  grantsWebhookConfigWrite,
} from '../../shared/policy/rbac/permissions.js';
import {
  canonicalSubjectKind,
  isAnonymousSubject,
  isEveryAuthenticatedSubject,
  serviceAccountsCovered,
} from '../../shared/policy/rbac/subjects.js';
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

  it('matches */subresource only on the whole subresource name', () => {
    const exec = rule({ resources: ['*/exec'], verbs: ['create'] });
    expect(ruleGrants(exec, 'create', '', 'deployments/exec')).toBe(true);
    expect(ruleGrants(exec, 'create', '', 'pods/execute')).toBe(false);
    expect(ruleGrants(exec, 'create', '', 'pods/xexec')).toBe(false);
    expect(ruleGrants(exec, 'create', '', 'pods')).toBe(false);
    expect(ruleGrants(exec, 'create', '', 'exec')).toBe(false);
    expect(ruleGrants(rule({ resources: ['*/'], verbs: ['create'] }), 'create', '', 'pods/')).toBe(false);
    expect(ruleGrants(rule({ resources: ['x/exec'], verbs: ['create'] }), 'create', '', 'pods/exec')).toBe(false);
  });

  it('requires the API group to match', () => {
    expect(ruleGrants(rule({ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }), 'get', '', 'secrets')).toBe(false);
    expect(ruleGrants(rule({ apiGroups: ['*'], resources: ['secrets'], verbs: ['get'] }), 'get', '', 'secrets')).toBe(true);
  });
});

describe('dangerous permissions (one predicate each)', () => {
  it('create pods: pods and every pod-creating kind in its own API group, wildcards included', () => {
    expect(grantsCreatePods(rule({ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['create'] }))).toBe(true);
    expect(grantsCreatePods(rule({ apiGroups: ['batch'], resources: ['*'], verbs: ['*'] }))).toBe(true);
    expect(grantsCreatePods(rule({ apiGroups: ['*'], resources: ['replicationcontrollers'], verbs: ['create'] }))).toBe(true);
    // deployments are not served by the core group, and update/scale choose no new pod spec here.
    expect(grantsCreatePods(rule({ apiGroups: [''], resources: ['deployments'], verbs: ['create'] }))).toBe(false);
    expect(grantsCreatePods(rule({ apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['create', 'update'] }))).toBe(false);
    expect(grantsCreatePods(rule({ resources: ['pods/eviction'], verbs: ['create'] }))).toBe(false);
  });

  it('nodes/proxy with any verb; webhook writes including patch; port-forward with create or get', () => {
    expect(grantsNodesProxy(rule({ resources: ['nodes/proxy'], verbs: ['get'] }))).toBe(true);
    expect(grantsNodesProxy(rule({ resources: ['nodes/proxy'], verbs: [] }))).toBe(false);
    expect(ruleCovers(rule({ resources: ['*/proxy'], verbs: ['list'] }), '', 'nodes/proxy')).toBe(true);
    const webhooks = { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'] };
    expect(grantsWebhookConfigWrite(rule({ ...webhooks, verbs: ['patch'] }))).toBe(true);
    expect(grantsWebhookConfigWrite(rule({ ...webhooks, verbs: ['get', 'list', 'watch'] }))).toBe(false);
    expect(grantsPortForward(rule({ resources: ['pods/portforward'], verbs: ['get'] }))).toBe(true);
    expect(grantsPortForward(rule({ resources: ['pods'], verbs: ['create'] }))).toBe(false);
  });

  it('CSR approval: update or patch on the approval subresource; approve on signers the cluster trusts', () => {
    const certs = { apiGroups: ['certificates.k8s.io'] };
    expect(grantsCsrApprovalUpdate(rule({ ...certs, resources: ['certificatesigningrequests/approval'], verbs: ['patch'] }))).toBe(true);
    expect(grantsCsrApprovalUpdate(rule({ ...certs, resources: ['certificatesigningrequests'], verbs: ['update'] }))).toBe(false);
    expect(grantsSignerApprove(rule({ ...certs, resources: ['signers'], verbs: ['approve'] }))).toBe(true);
    expect(grantsSignerApprove(rule({ ...certs, resources: ['signers'], verbs: ['approve'], resourceNames: ['kubernetes.io/*'] }))).toBe(
      true,
    );
    expect(grantsSignerApprove(rule({ ...certs, resources: ['signers'], verbs: ['approve'], resourceNames: ['example.com/mesh'] }))).toBe(
      false,
    );
    expect(grantsSignerApprove(rule({ ...certs, resources: ['signers'], verbs: ['sign'] }))).toBe(false);
  });
});

describe('subjects: who a binding subject stands for', () => {
  const subject = (kind: string, name: string, namespace?: string) => ({ kind: canonicalSubjectKind(kind), name, namespace });

  it('reads subject kinds whatever their case', () => {
    expect(['user', 'USER', ' User '].map(canonicalSubjectKind)).toEqual(['User', 'User', 'User']);
    expect(canonicalSubjectKind('serviceaccount')).toBe('ServiceAccount');
    expect(canonicalSubjectKind('Robot')).toBe('Robot');
  });

  it('anonymous and every-authenticated identities by name, whatever the kind', () => {
    for (const s of [subject('User', 'system:anonymous'), subject('group', 'system:anonymous'), subject('User', 'system:unauthenticated')])
      expect(isAnonymousSubject(s), `${s.kind} ${s.name}`).toBe(true);
    expect(isAnonymousSubject(subject('User', 'System:Anonymous'))).toBe(false);
    expect(isAnonymousSubject(subject('Group', 'system:authenticated'))).toBe(false);
    expect(isEveryAuthenticatedSubject(subject('group', 'system:authenticated'))).toBe(true);
    expect(isEveryAuthenticatedSubject(subject('Group', 'system:serviceaccounts'))).toBe(false);
  });

  it('the service accounts a subject covers: the account, its user name, and the groups', () => {
    expect(serviceAccountsCovered(subject('ServiceAccount', 'web', 'shop'))).toEqual({ namespace: 'shop', name: 'web' });
    expect(serviceAccountsCovered(subject('User', 'system:serviceaccount:shop:web'))).toEqual({ namespace: 'shop', name: 'web' });
    expect(serviceAccountsCovered(subject('User', 'system:serviceaccount:shop'))).toBeUndefined();
    expect(serviceAccountsCovered(subject('Group', 'system:serviceaccounts:shop'))).toEqual({ namespace: 'shop', name: '*' });
    expect(serviceAccountsCovered(subject('Group', 'system:serviceaccounts'))).toEqual({ namespace: '*', name: '*' });
    expect(serviceAccountsCovered(subject('Group', 'system:authenticated'))).toEqual({ namespace: '*', name: '*' });
    expect(serviceAccountsCovered(subject('User', 'alice'))).toBeUndefined();
    expect(serviceAccountsCovered(subject('Group', 'shop-devs'))).toBeUndefined();
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
