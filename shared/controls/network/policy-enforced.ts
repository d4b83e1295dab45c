import { apiGroupOf } from '../../inventory/objects.js';
import { ANTREA_GROUPS } from '../../policy/network/antrea.js';
import { CALICO_GROUPS } from '../../policy/network/calico.js';
import { NETWORK_POLICY_KINDS } from '../../policy/network/evaluate.js';
import { defineControl } from '../define.js';
import { clusterRef } from '../refs.js';
import type { Outcome } from '../types.js';
import { autoModePolicy, type CniAgent, runningAgents, vpcCniPolicy } from './cni-agents.js';

type Family = 'Kubernetes' | 'Calico' | 'Cilium' | 'Antrea';

function familyOf(group: string): Family | undefined {
  if (group === 'networking.k8s.io') return 'Kubernetes';
  if (CALICO_GROUPS.includes(group)) return 'Calico';
  if (group === 'cilium.io') return 'Cilium';
  if (ANTREA_GROUPS.includes(group)) return 'Antrea';
  return undefined;
}

/** Who enforces each family: Kubernetes NetworkPolicies any policy-capable CNI, a CNI's own CRDs only that CNI. */
const ENFORCERS: Record<Family, readonly CniAgent[]> = {
  Kubernetes: ['calico', 'cilium', 'antrea', 'kube-router', 'weave'],
  Calico: ['calico'],
  Cilium: ['cilium'],
  Antrea: ['antrea'],
};

export const networkPolicyEnforced = defineControl(
  {
    id: 'network.policy-enforced',
    title: 'NetworkPolicies must be enforced by the network plugin',
    severity: 'high',
    category: 'Network separation',
    scope: 'cluster',
    // The network plugin is only visible in a live cluster (its DaemonSets, the EKS add-on configuration).
    targets: ['cluster'],
    frameworks: { nsa: 'Network separation: network policies', kubescape: ['C-0205', 'C-0230'], cis: ['4.3.1', '5.4.4'] },
    match: [
      {
        ref: 'KS C-0205',
        match: 'related',
        note: 'it fails the VPC CNI alone even with its network-policy agent, and whether or not NetworkPolicies exist',
      },
      { ref: 'KS C-0230', match: 'related', note: 'it passes only when Calico or Cilium is present' },
      { ref: 'CIS 4.3.1', match: 'related', note: '(as C-0205)' },
      { ref: 'CIS 5.4.4', match: 'related', note: '(as C-0230)' },
    ],
    rationale:
      'A NetworkPolicy nothing enforces is decoration: the cluster looks segmented and every pod still reaches every other. The Amazon ' +
      'VPC CNI enforces Kubernetes NetworkPolicies only with its network policy agent enabled (aws-node container aws-eks-nodeagent ' +
      'with --enable-network-policy=true, or the vpc-cni add-on configuration enableNetworkPolicy: "true"; on EKS Auto Mode the ' +
      'amazon-vpc-cni ConfigMap enable-network-policy-controller: "true"); Calico, Cilium, Antrea, kube-router and Weave Net agents ' +
      'enforce them too, and each CNI alone enforces its own policy CRDs. A cluster without any NetworkPolicy is not judged here ' +
      '(network.default-deny fails it); DaemonSets that could not be read, or no recognisable network plugin, are UNKNOWN.',
    remediation:
      'Enable the VPC CNI network policy agent: `aws eks update-addon --addon-name vpc-cni --configuration-values ' +
      '\'{"enableNetworkPolicy": "true"}\'` (or the Helm value enableNetworkPolicy=true), or run a policy engine such as Calico in ' +
      'policy-only mode, Cilium or Antrea; for CNI-specific policy CRDs, run that CNI.',
  },
  {
    reads: [...NETWORK_POLICY_KINDS, 'DaemonSet', 'ConfigMap', 'eks:addons'],
    check(ctx): Outcome[] {
      const ref = clusterRef(ctx);
      const counts = new Map<Family, number>();
      for (const kind of NETWORK_POLICY_KINDS)
        for (const p of ctx.index.byKind(kind)) {
          const family = familyOf(apiGroupOf(p));
          if (family) counts.set(family, (counts.get(family) ?? 0) + 1);
        }
      const policyGaps = NETWORK_POLICY_KINDS.some((k) => ctx.index.gaps(k).length > 0);
      if (counts.size === 0)
        return policyGaps
          ? []
          : [ctx.outcome('NOT_APPLICABLE', ref, 'no NetworkPolicy or CNI policy in the cluster: there is nothing to enforce')];

      const agents = runningAgents(ctx);
      const awsNode = agents.find((a) => a.agent === 'vpc-cni');
      const vpc = vpcCniPolicy(ctx, awsNode?.workload);
      const auto = autoModePolicy(ctx);
      const enforcers = (family: Family): string[] => [
        ...agents.filter((a) => ENFORCERS[family].includes(a.agent)).map((a) => `${a.agent} (DaemonSet ${a.daemonSet})`),
        ...(family === 'Kubernetes' && vpc.enabled ? [`the VPC CNI: ${vpc.why}`] : []),
        ...(family === 'Kubernetes' && auto?.enabled ? [auto.why] : []),
      ];
      const families = [...counts.keys()];
      const policies = families.map((f) => `${f}: ${counts.get(f)}`);
      const unenforced = families.filter((f) => enforcers(f).length === 0);
      const by = [...new Set(families.flatMap(enforcers))];
      if (unenforced.length === 0)
        return [ctx.outcome('PASS', ref, `NetworkPolicies are enforced by ${by.join('; ')}`, { policies, enforcers: by })];

      const vpcWhy = auto ? auto.why : vpc.why;
      const evidence = { policies, enforcers: by, agents: agents.map((a) => `${a.agent} ${a.daemonSet}`), vpcCni: vpcWhy };
      const unreadable: string[] = [];
      if (ctx.index.gaps('DaemonSet').length > 0) unreadable.push('DaemonSets could not be read');
      if (unenforced.includes('Kubernetes') && !vpc.explicit && ctx.index.gaps('eks:addons').length > 0)
        unreadable.push('the vpc-cni add-on configuration could not be read');
      if (auto && !auto.explicit && ctx.index.gaps('ConfigMap').length > 0) unreadable.push('ConfigMaps could not be read');
      if (agents.length === 0 && !auto)
        unreadable.push(
          'no DaemonSet is a network plugin hardline recognises (VPC CNI, Calico, Cilium, Antrea, kube-router, Weave Net, Flannel)',
        );
      const what = unenforced
        .map((f) => {
          const n = counts.get(f)!;
          return `${n} ${f} ${f === 'Kubernetes' ? 'NetworkPolic' : 'polic'}${n === 1 ? 'y' : 'ies'}`;
        })
        .join(' and ');
      const are = unenforced.length === 1 && counts.get(unenforced[0]!) === 1 ? 'is' : 'are';
      if (unreadable.length > 0)
        return [ctx.outcome('UNKNOWN', ref, `nothing seen enforces ${what}, but ${unreadable.join('; ')}`, evidence)];
      const missing = unenforced.map((f) =>
        f === 'Kubernetes' ? `${vpcWhy}, and no Calico, Cilium, Antrea, kube-router or Weave Net agent runs` : `no ${f} agent runs`,
      );
      return [ctx.outcome('FAIL', ref, `${what} ${are} not enforced: ${missing.join('; ')}`, evidence)];
    },
  },
);
