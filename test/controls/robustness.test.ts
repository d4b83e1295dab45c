import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controls } from '../../shared/controls/index.js';
import { evaluate } from '../../shared/engine/evaluate.js';
import type { KubeObject } from '../../shared/inventory/types.js';
import { inventory, NOW } from '../support/controls.js';

const KINDS = [
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['crd.antrea.io/v1beta1', 'ClusterNetworkPolicy'],
  ['crd.antrea.io/v1beta1', 'NetworkPolicy'],
  ['crd.antrea.io/v1beta1', 'Tier'],
  ['projectcalico.org/v3', 'GlobalNetworkPolicy'],
  ['projectcalico.org/v3', 'NetworkPolicy'],
  ['cilium.io/v2', 'CiliumClusterwideNetworkPolicy'],
  ['cilium.io/v2', 'CiliumNetworkPolicy'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['constraints.gatekeeper.sh/v1beta1', 'K8sAllowedRepos'],
  ['constraints.gatekeeper.sh/v1beta1', 'K8sPSPPrivilegedContainer'],
  ['mutations.gatekeeper.sh/v1', 'Assign'],
  ['kyverno.io/v1', 'ClusterPolicy'],
  ['v1', 'ConfigMap'],
  ['v1', 'Service'],
  ['v1', 'Namespace'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'Deployment'],
  ['networking.k8s.io/v1', 'Ingress'],
] as const;

/** Any JSON in any field: a templating slip, a wrong type, a list where a map belongs. */
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom('', '*', 'all()', 'Drop', 'Allow', 'Deny', 'Pass', 'pods/exec', '0.0.0.0/0', 'kube-system', '{{ .Values.x }}'),
    fc.string(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom(
        'spec',
        'rules',
        'subjects',
        'roleRef',
        'podSelector',
        'appliedTo',
        'ingress',
        'egress',
        'selector',
        'data',
        'template',
        'match',
        'parameters',
        'action',
        'from',
        'to',
        'ports',
        'verbs',
        'resources',
        'apiGroups',
        'kind',
        'name',
        'matchLabels',
        'matchExpressions',
        'endpointSelector',
        'policyTypes',
        'types',
        'tier',
        'priority',
        'order',
        'labels',
        'containers',
        'volumes',
      ),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const object = fc
  .record({
    kindRef: fc.constantFrom(...KINDS),
    name: fc.constantFrom('a', 'b', 'default', 'cluster-admin', 'system:x'),
    namespace: fc.constantFrom('a', 'kube-system', undefined),
    body: fc.dictionary(fc.constantFrom('spec', 'rules', 'subjects', 'roleRef', 'data', 'aggregationRule', 'specs', 'binaryData'), junk, {
      maxKeys: 4,
    }),
  })
  .map(
    ({ kindRef: [apiVersion, kind], name, namespace, body }) =>
      ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...body }) as KubeObject,
  );

// Every control that reads cluster objects rather than one pod (RBAC, network, admission, logging, namespaces, …).
const clusterControls = controls.filter((c) => !/^(workload|eks|ecr)\./.test(c.id));

describe('cluster controls on malformed objects', () => {
  it('never throw (no ERROR results), whatever the fields hold', () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 12 }), (objects) => {
        const results = evaluate(inventory(objects), clusterControls, [], { now: NOW }).toArray();
        const errors = results.filter((r) => r.status === 'ERROR');
        expect(errors.map((r) => `${r.controlId}: ${r.message}`)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
