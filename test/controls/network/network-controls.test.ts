import { describe, expect, it } from 'vitest';
import { labelledDeployment as deployment, inventory, manifests, namespace as ns, run, verdicts } from '../../support/controls.js';

describe('system namespaces and empty inventories', () => {
  it('judges the implicit default namespace when a folder holds only cluster-wide policies', () => {
    const objs = manifests(`
apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata: { name: deny }
spec:
  tier: baseline
  priority: 1
  appliedTo: [{ namespaceSelector: {} }]
  ingress: [{ action: Drop }]
  egress: [{ action: Drop }]
`);
    expect(verdicts(run('network.default-deny', objs))).toEqual(['PASS Namespace/default']);
  });

  it('reports empty system namespaces NOT_APPLICABLE but judges kube-system once it runs pods', () => {
    const objs = [ns('kube-node-lease'), ns('kube-system'), deployment('coredns', 'kube-system', { 'k8s-app': 'kube-dns' })];
    const results = run('network.default-deny', objs);
    expect(verdicts(results)).toEqual(['FAIL Namespace/kube-system', 'NOT_APPLICABLE Namespace/kube-node-lease']);
    expect(results.find((r) => r.resource.name === 'kube-system')?.evidence?.['systemNamespace']).toBe(true);
  });

  it('never passes when the policy list could not be read', () => {
    const results = run(
      'network.default-deny',
      inventory([ns('a')], {}, [{ source: 'CiliumNetworkPolicy', reason: 'forbidden', message: 'denied' }]),
    );
    expect(results.map((r) => r.status)).toEqual(['UNKNOWN']);
  });
});

describe('namespace verdicts and exemptions', () => {
  it('carry the namespace, so the hardline.dev/exempt annotation on the Namespace applies', () => {
    const sandbox = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'sandbox',
        annotations: { 'hardline.dev/exempt': 'network.default-deny', 'hardline.dev/exempt-reason': 'throwaway experiments' },
      },
    };
    const [r] = run('network.default-deny', [sandbox]);
    expect(r).toMatchObject({
      status: 'FAIL',
      resource: { kind: 'Namespace', namespace: 'sandbox', name: 'sandbox' },
      exempted: { reason: 'throwaway experiments' },
    });
  });
});
