import { withSystemFlag } from '../../policy/namespaces.js';
import { NETWORK_CONTEXT_KINDS, NETWORK_POLICY_KINDS, namespaceEndpoint, networkModel } from '../../policy/network/evaluate.js';
import { defineControl } from '../define.js';
import { networkNamespaces } from '../namespaces.js';
import type { Outcome } from '../types.js';

export const networkDefaultDeny = defineControl(
  {
    id: 'network.default-deny',
    title: 'Every namespace must deny ingress and egress traffic by default',
    severity: 'high',
    category: 'Network separation',
    scope: 'namespace',
    frameworks: { nsa: 'Network separation: network policies', kubescape: ['C-0054', 'C-0206'], cis: ['4.3.2'] },
    match: [
      { ref: 'KS C-0054', match: 'stricter', note: 'C-0054 passes a namespace with any NetworkPolicy' },
      { ref: 'KS C-0206', match: 'stricter', note: 'same rule as C-0054' },
      { ref: 'CIS 4.3.2', match: 'stricter', note: '(as C-0206)' },
    ],
    rationale:
      'Without a default-deny policy every pod can reach every other pod and the internet, so one compromised pod reaches the whole cluster. NSA/CISA: use a default policy that denies all ingress and egress, then allow what is needed.',
    remediation:
      'Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` and no rules to each namespace, or a cluster-wide default deny in the CNI (Antrea ClusterNetworkPolicy with Drop rules, Calico GlobalNetworkPolicy selecting all(), Cilium CiliumClusterwideNetworkPolicy with `endpointSelector: {}`), then allow required traffic explicitly.',
  },
  {
    reads: NETWORK_CONTEXT_KINDS,
    // A NetworkPolicy list that could not be read must not turn into "namespace uncovered".
    requires: NETWORK_POLICY_KINDS,
    check(ctx): Outcome[] {
      const out: Outcome[] = [];
      const model = networkModel(ctx);
      for (const ns of networkNamespaces(ctx)) {
        const ref = ns.ref;
        if (ns.system && !ns.hasWorkloads) {
          out.push(ctx.outcome('NOT_APPLICABLE', ref, `system namespace ${ns.name} runs no pods`, { systemNamespace: true }));
          continue;
        }
        const ep = namespaceEndpoint(ns);
        const ingress = model.defaultDeny(ep, 'ingress');
        const egress = model.defaultDeny(ep, 'egress');
        const evidence = withSystemFlag(ns, {
          ingress: ingress.reasons,
          egress: egress.reasons,
          policyEngine: ingress.family ?? egress.family,
        });
        if (ingress.denied && egress.denied) {
          out.push(ctx.outcome('PASS', ref, `namespace ${ns.name} denies ingress and egress by default`, evidence));
          continue;
        }
        const missing = [!ingress.denied ? 'ingress' : undefined, !egress.denied ? 'egress' : undefined].filter((d) => d !== undefined);
        const why = [...(!ingress.denied ? ingress.reasons : []), ...(!egress.denied ? egress.reasons : [])];
        out.push(
          ctx.outcome('FAIL', ref, `namespace ${ns.name} does not deny ${missing.join(' and ')} by default: ${why.join('; ')}`, evidence),
        );
      }
      return out;
    },
  },
);
