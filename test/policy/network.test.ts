import { describe, expect, it } from 'vitest';
import { controlById } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import type { KubeObject } from '../../shared/inventory/types.js';
import {
  labelledDeployment as deployment,
  inventory,
  manifests,
  NOW,
  namespace as ns,
  run,
  statusOf,
  verdicts,
} from '../support/controls.js';

/** Namespace a denies both directions to every pod. */
const DENY_ALL_IN_A = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: a }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }`;

const defaultDeny = (results: ReturnType<typeof run>, name: string) => statusOf(results, 'Namespace', name);

describe('Kubernetes NetworkPolicy semantics', () => {
  it('defaults policyTypes like the API server: Egress only when the policy has egress rules', () => {
    const withRules = manifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: a }
spec:
  podSelector: {}
  egress:
    - to: [{ ipBlock: { cidr: 10.0.0.0/8 } }]
`);
    const emptyEgress = manifests(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: a }
spec:
  podSelector: {}
  egress: []
`);
    // Ingress + Egress isolation, only 10/8 allowed out → both denied by default.
    expect(defaultDeny(run('network.default-deny', withRules), 'a')).toBe('PASS');
    // An empty egress list defaults to Ingress only: egress stays open.
    const open = run('network.default-deny', emptyEgress);
    expect(defaultDeny(open, 'a')).toBe('FAIL');
    expect(open[0]!.message).toContain('does not deny egress');
  });

  it('treats a policy without apiVersion as Kubernetes, and a Calico-namespaced NetworkPolicy as Calico', () => {
    const objs = manifests(`
kind: NetworkPolicy
metadata: { name: p, namespace: a }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`);
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });

  it('allows metadata egress only through rules whose ports and ipBlock (minus except) match', () => {
    const base = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: a }
spec: { podSelector: {}, policyTypes: [Egress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: out, namespace: a }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
`;
    const rule = (r: string) => run('network.metadata-endpoint-blocked', manifests(base + r));
    expect(defaultDeny(rule(`    - { to: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: 443 }] }`), 'a')).toBe('PASS');
    expect(defaultDeny(rule(`    - { to: [{ ipBlock: { cidr: 0.0.0.0/0 } }], ports: [{ port: 1, endPort: 1024 }] }`), 'a')).toBe('FAIL');
    expect(defaultDeny(rule(`    - { to: [{ ipBlock: { cidr: 169.254.0.0/16, except: [169.254.169.254/32] } }] }`), 'a')).toBe('PASS');
    expect(defaultDeny(rule(`    - { to: [{ ipBlock: { cidr: 169.254.0.0/16 } }], ports: [{ port: 80, protocol: UDP }] }`), 'a')).toBe(
      'PASS',
    );
    expect(defaultDeny(rule(`    - { to: [{ ipBlock: { cidr: 169.254.0.0/16 } }], ports: [{ port: http }] }`), 'a')).toBe('PASS');
    expect(defaultDeny(rule(`    - { to: [{ namespaceSelector: {} }] }`), 'a')).toBe('PASS');
  });

  it('judges a workload by its own labels: a pod-specific allow-all makes only that workload open', () => {
    const objs = [
      ...manifests(`${DENY_ALL_IN_A}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open-legacy, namespace: a }
spec:
  podSelector: { matchExpressions: [{ key: app, operator: In, values: [legacy] }] }
  ingress: [{}]
`),
      deployment('legacy', 'a', { app: 'legacy' }),
      deployment('modern', 'a', { app: 'modern' }),
      deployment('agent', 'a', { app: 'agent' }, { hostNetwork: true }),
    ];
    expect(verdicts(run('network.workload-isolated', objs))).toEqual([
      'FAIL Deployment/a/legacy',
      'NOT_APPLICABLE Deployment/a/agent',
      'PASS Deployment/a/modern',
    ]);
    // The namespace default is still deny: the exception is a workload finding, not a namespace one.
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });
});

describe('Antrea tiers and priorities', () => {
  const acnp = (name: string, tier: string, priority: number, action: string, appliedTo = '[{ namespaceSelector: {} }]', extra = '') => `
apiVersion: crd.antrea.io/v1beta1
kind: ClusterNetworkPolicy
metadata: { name: ${name} }
spec:
  tier: ${tier}
  priority: ${priority}
  appliedTo: ${appliedTo}
  ingress: [{ action: ${action}${extra} }]
  egress: [{ action: ${action}${extra} }]
---`;

  it('within a tier, the lower priority number wins', () => {
    const objs = manifests(
      acnp('allow', 'securityops', 5, 'Allow') + acnp('drop', 'securityops', 10, 'Drop') + '\n' + JSON.stringify(ns('a')),
    );
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('FAIL');
    const swapped = manifests(
      acnp('allow', 'securityops', 10, 'Allow') + acnp('drop', 'securityops', 5, 'Drop') + '\n' + JSON.stringify(ns('a')),
    );
    expect(defaultDeny(run('network.default-deny', swapped), 'a')).toBe('PASS');
  });

  it('orders custom Tier objects by their priority', () => {
    const objs = manifests(
      `apiVersion: crd.antrea.io/v1beta1
kind: Tier
metadata: { name: early }
spec: { priority: 20 }
---` +
        acnp('allow', 'application', 1, 'Allow') +
        acnp('drop', 'early', 99, 'Drop') +
        '\n' +
        JSON.stringify(ns('a')),
    );
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });

  it('Pass hands the decision to Kubernetes NetworkPolicies, then the Baseline tier', () => {
    const objs = manifests(
      acnp('pass', 'securityops', 1, 'Pass') + acnp('baseline-drop', 'baseline', 1, 'Drop') + '\n' + JSON.stringify(ns('a')),
    );
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
    const passOnly = manifests(acnp('pass', 'securityops', 1, 'Pass') + '\n' + JSON.stringify(ns('a')));
    expect(defaultDeny(run('network.default-deny', passOnly), 'a')).toBe('FAIL');
  });

  it('an Allow narrowed by pod labels or ports is an exception, not a defeat of the default', () => {
    const objs = manifests(
      acnp('web-allow', 'application', 1, 'Allow', '[{ namespaceSelector: {}, podSelector: { matchLabels: { app: web } } }]') +
        acnp('https-allow', 'application', 2, 'Allow', '[{ namespaceSelector: {} }]', ', ports: [{ port: 443 }]') +
        acnp('drop', 'baseline', 1, 'Drop') +
        '\n' +
        JSON.stringify(ns('a')),
    );
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });

  it('an Antrea NetworkPolicy applies only in its own namespace', () => {
    const objs = manifests(`
apiVersion: crd.antrea.io/v1beta1
kind: NetworkPolicy
metadata: { name: lockdown, namespace: a }
spec:
  tier: securityops
  priority: 1
  appliedTo: [{ podSelector: {} }]
  ingress: [{ action: Drop }]
  egress: [{ action: Drop }]
---
apiVersion: v1
kind: Namespace
metadata: { name: b }
`);
    expect(verdicts(run('network.default-deny', objs))).toEqual(['FAIL Namespace/b', 'PASS Namespace/a']);
  });
});

describe('Calico tiers, order and end-of-tier deny', () => {
  it('Pass moves to the next tier, where a selecting policy without matching rule denies', () => {
    const objs = manifests(`
apiVersion: projectcalico.org/v3
kind: Tier
metadata: { name: security }
spec: { order: 100 }
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: security.pass-all }
spec:
  tier: security
  selector: all()
  types: [Ingress, Egress]
  ingress: [{ action: Pass }]
  egress: [{ action: Pass }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: a }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`);
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });

  it('a Kubernetes allow-all (default tier, order 1000) does not win over an earlier Calico Deny', () => {
    const objs = manifests(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: deny-first }
spec:
  order: 100
  selector: all()
  types: [Ingress, Egress]
  ingress: [{ action: Deny }]
  egress: [{ action: Deny }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all, namespace: a }
spec: { podSelector: {}, ingress: [{}], egress: [{}], policyTypes: [Ingress, Egress] }
`);
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });

  it('a selector that does not parse selects nothing', () => {
    const objs = manifests(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: broken }
spec: { selector: "all(", types: [Ingress, Egress] }
---
apiVersion: v1
kind: Namespace
metadata: { name: a }
`);
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('FAIL');
  });
});

describe('Cilium', () => {
  it('deny rules win over allow rules', () => {
    const objs = manifests(`
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: c }
spec:
  endpointSelector: {}
  ingress: [{ fromEntities: [all] }]
  egress: [{ toEntities: [all] }]
  ingressDeny: [{ fromEntities: [all] }]
  egressDeny: [{ toEntities: [all] }]
---
apiVersion: v1
kind: Namespace
metadata: { name: a }
`);
    expect(defaultDeny(run('network.default-deny', objs), 'a')).toBe('PASS');
  });

  it('fromEndpoints {} is the whole cluster in a clusterwide policy but only the namespace in a namespaced one', () => {
    const policy = (kind: string) =>
      manifests(`
apiVersion: cilium.io/v2
kind: ${kind}
metadata: { name: c, namespace: a }
spec:
  endpointSelector: {}
  ingress: [{ fromEndpoints: [{}] }]
  egress: [{}]
`);
    expect(defaultDeny(run('network.default-deny', policy('CiliumClusterwideNetworkPolicy').concat([ns('a')])), 'a')).toBe('FAIL');
    expect(defaultDeny(run('network.default-deny', policy('CiliumNetworkPolicy')), 'a')).toBe('PASS');
  });

  it('selects namespaces by the io.kubernetes.pod.namespace and namespace-label keys', () => {
    const objs = manifests(`
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: { name: c }
spec:
  endpointSelector:
    matchExpressions:
      - { key: k8s:io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system] }
      - { key: io.cilium.k8s.namespace.labels.isolation, operator: NotIn, values: ["off"] }
  ingress: [{}]
  egress: [{}]
---
apiVersion: v1
kind: Namespace
metadata: { name: a }
---
apiVersion: v1
kind: Namespace
metadata: { name: b, labels: { isolation: "off" } }
`);
    expect(verdicts(run('network.default-deny', objs))).toEqual(['FAIL Namespace/b', 'PASS Namespace/a']);
  });
});

describe('answers shared by pods with the same selection', () => {
  const evaluateTogether = (ids: string[], objs: KubeObject[]) =>
    evaluate(
      inventory(objs),
      ids.map((id) => controlById(id)!),
      [],
      { now: NOW },
    ).toArray();

  const objs = [
    ns('a'),
    ...manifests(`${DENY_ALL_IN_A}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open-legacy, namespace: a }
spec: { podSelector: { matchLabels: { app: legacy } }, ingress: [{}] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: imds-web, namespace: a }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress: [{ to: [{ ipBlock: { cidr: 169.254.169.254/32 } }] }]
`),
    deployment('legacy-1', 'a', { app: 'legacy' }),
    deployment('web', 'a', { app: 'web' }),
    deployment('legacy-2', 'a', { app: 'legacy' }),
    deployment('quiet', 'a', { app: 'quiet' }),
  ];

  it('gives each selection its own answer, whichever pod asked first and whichever control asks', () => {
    const ids = ['network.workload-isolated', 'network.metadata-endpoint-blocked', 'network.default-deny'];
    const together = evaluateTogether(ids, objs);
    // Run alone, each control builds its own model: running them together must change nothing.
    expect(together).toEqual(ids.flatMap((id) => run(id, objs)));
    const isolated = together.filter((r) => r.controlId === 'network.workload-isolated');
    expect(isolated.map((r) => `${r.status} ${r.message}`)).toEqual([
      'FAIL Deployment a/legacy-1 is not isolated for ingress: ingress: NetworkPolicy/a/open-legacy ingress[0] allows it',
      'PASS Deployment a/web is isolated for ingress and egress',
      'FAIL Deployment a/legacy-2 is not isolated for ingress: ingress: NetworkPolicy/a/open-legacy ingress[0] allows it',
      'PASS Deployment a/quiet is isolated for ingress and egress',
    ]);
    const imds = together.find((r) => r.controlId === 'network.metadata-endpoint-blocked')!;
    expect(imds.status).toBe('FAIL');
    expect(imds.evidence?.['reachableBy']).toEqual(['Deployment/web: NetworkPolicy/a/imds-web egress[0] allows it']);
  });

  it('judges every pod on its own in a namespace with more policies than a selection can name at once', () => {
    const many = Array.from(
      { length: 33 },
      (_, i) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: open-${i}, namespace: b }
spec: { podSelector: { matchLabels: { app: x${i} } }, ingress: [{}] }
---`,
    ).join('');
    const withMany = [
      ...manifests(`${many}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: b }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`),
      deployment('x0', 'b', { app: 'x0' }),
      deployment('x32', 'b', { app: 'x32' }),
      deployment('other', 'b', { app: 'other' }),
    ];
    const results = run('network.workload-isolated', withMany);
    expect(verdicts(results)).toEqual(['FAIL Deployment/b/x0', 'FAIL Deployment/b/x32', 'PASS Deployment/b/other']);
    expect(results.find((r) => r.resource.name === 'x32')!.message).toContain('NetworkPolicy/b/open-32 ingress[0] allows it');
  });
});
