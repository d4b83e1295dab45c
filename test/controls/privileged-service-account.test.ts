import { describe, expect, it } from 'vitest';
import { inventory, manifests, run, verdicts } from '../support/controls.js';

const ID = 'workload.privileged-service-account';

const workloadBoundTo = (roleRef: string) =>
  manifests(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: agent, namespace: ops }
spec: { template: { spec: { serviceAccountName: agent, containers: [{ name: a, image: x:1 }] } } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: agent, namespace: ops }
roleRef: { kind: ${roleRef.split('/')[0]}, name: ${roleRef.split('/')[1]} }
subjects: [{ kind: ServiceAccount, name: agent }]
`);

describe('workload.privileged-service-account', () => {
  it('a binding to a role that does not exist grants nothing when the role kinds were read', () => {
    expect(verdicts(run(ID, inventory(workloadBoundTo('Role/ghost'), { origin: 'live', target: { kind: 'cluster', name: 'c' } })))).toEqual(
      ['PASS Deployment/ops/agent'],
    );
  });

  it('is UNKNOWN for that workload when the Roles of its namespace could not be read, and not for other namespaces’ gaps', () => {
    const objs = workloadBoundTo('Role/ghost');
    const gap = (namespace: string) => [{ source: 'Role', namespace, reason: 'forbidden' as const, message: 'roles is forbidden' }];
    const here = run(ID, inventory(objs, {}, gap('ops')));
    expect(here.find((r) => r.resource.kind === 'Deployment')).toMatchObject({
      status: 'UNKNOWN',
      message: expect.stringContaining('RoleBinding ops/agent'),
    });
    expect(run(ID, inventory(objs, {}, gap('elsewhere'))).find((r) => r.resource.kind === 'Deployment')?.status).toBe('PASS');
  });

  it('names every granting binding, the permission and its scope in the evidence', () => {
    const objs = [
      ...workloadBoundTo('ClusterRole/edit'),
      ...manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: all-accounts-proxy }
roleRef: { kind: ClusterRole, name: node-proxy }
subjects: [{ kind: Group, name: system:serviceaccounts }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: node-proxy }
rules: [{ apiGroups: [""], resources: [nodes/proxy], verbs: [get] }]
`),
    ];
    const result = run(ID, objs).find((r) => r.resource.kind === 'Deployment');
    expect(result?.status).toBe('FAIL');
    expect(result?.evidence).toMatchObject({
      serviceAccount: 'ops/agent',
      boundBy: ['RoleBinding ops/agent', 'ClusterRoleBinding all-accounts-proxy'],
    });
    expect(result?.evidence?.['grants']).toEqual([
      'read Secrets, escalate, bind or impersonate, create pods or workloads (RoleBinding ops/agent → ClusterRole edit, in namespace ops)',
      'nodes/proxy (ClusterRoleBinding all-accounts-proxy → ClusterRole node-proxy, cluster-wide, via Group system:serviceaccounts)',
    ]);
  });

  it('a service account of another namespace, or a binding of view, is not a takeover', () => {
    const objs = [
      ...workloadBoundTo('ClusterRole/view'),
      ...manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: other-agent-admin }
roleRef: { kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: agent, namespace: staging }]
`),
    ];
    expect(verdicts(run(ID, objs))).toEqual(['PASS Deployment/ops/agent']);
  });
});

describe('workload.privileged-service-account for a workload whose account is unknown, and for an unbound one', () => {
  const unreadable = manifests(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: broken, namespace: ops }
spec: { template: { spec: oops } }
`);
  const everyAccountOf = (role: string) =>
    manifests(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: all, namespace: ops }
roleRef: { kind: ClusterRole, name: ${role} }
subjects: [{ kind: Group, name: 'system:serviceaccounts:ops' }]
`);

  it('is UNKNOWN with the reason its pod spec could not be read, unless a grant to every account of the namespace decides', () => {
    const [unknown] = run(ID, inventory(unreadable));
    expect(unknown!.status).toBe('UNKNOWN');
    expect(unknown!.message).toMatch(/^Deployment ops\/broken: .*pod spec.*, so its service account is unknown$/);
    const [viaGroup] = run(ID, inventory([...unreadable, ...everyAccountOf('cluster-admin')]));
    expect(viaGroup!.status).toBe('FAIL');
    expect(viaGroup!.message).toContain('runs as every service account of namespace ops, which can take over: cluster-admin');
  });

  it('says the same of an account with no binding and of one whose bindings grant no takeover', () => {
    const [unbound] = run(ID, inventory(workloadBoundTo('Role/ghost').slice(0, 1)));
    const [boundToView] = run(ID, inventory([...workloadBoundTo('ClusterRole/view')]));
    const text = 'Deployment ops/agent runs as ServiceAccount ops/agent, which holds no cluster-takeover permission';
    expect([unbound!.status, unbound!.message]).toEqual(['PASS', text]);
    expect([boundToView!.status, boundToView!.message]).toEqual(['PASS', text]);
  });
});
