import { namespaceOf } from '../../inventory/indexed.js';
import { apiGroupOf, describeObject, nameOf } from '../../inventory/objects.js';
import { asArray, asNumber, asRecord, asRecords, asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { and, isEmptySelector, matchLabelSelector, or, type Tri } from '../selectors.js';
import type { K8sPolicyLayer } from './kubernetes.js';
import {
  endpointLookup,
  type Decision,
  type FamilyDecision,
  parsePorts,
  serviceAccountMatches,
  type Direction,
  type Endpoint,
  type NetRule,
  type Peer,
  type PolicyFamily,
  type PortSpec,
  ScopedList,
} from './model.js';

export const ANTREA_GROUPS = ['crd.antrea.io', 'security.antrea.tanzu.vmware.com', 'security.antrea.io'];

/** Antrea's static tiers (lower priority value = evaluated first); Baseline runs after K8s NetworkPolicies. */
const STATIC_TIERS: Record<string, number> = {
  emergency: 50,
  securityops: 100,
  networkops: 150,
  platform: 200,
  application: 250,
  baseline: 253,
};

type AppliedTo = (ep: Endpoint) => Tri;

interface AntreaRule extends NetRule {
  /** Set for an Antrea NetworkPolicy: its rules only apply in its namespace. */
  namespace?: string;
  tier: number;
  priority: number;
  order: number;
  baseline: boolean;
  appliedTo: AppliedTo;
  dir: Direction;
}

/** Named selector groups (ClusterGroup / Group) referenced by appliedTo and peers. */
type GroupIndex = Map<string, Record<string, unknown>>;

function selectorPair(entry: Record<string, unknown>, clusterWide: boolean, policyNs: string): AppliedTo {
  const podSel = entry['podSelector'];
  const nsSel = entry['namespaceSelector'];
  return (ep) => {
    const { ns, pod } = endpointLookup(ep);
    // In a namespaced Antrea NetworkPolicy everything is inside the policy's namespace.
    const inNs: Tri = clusterWide ? (nsSel !== undefined ? matchLabelSelector(nsSel, ns) : true) : ep.namespace === policyNs;
    const podOk: Tri = podSel !== undefined ? matchLabelSelector(podSel, pod) : true;
    return and(inNs, podOk);
  };
}

function appliedToOf(entries: Record<string, unknown>[], clusterWide: boolean, policyNs: string, groups: GroupIndex): AppliedTo {
  const matchers = entries.map((entry): AppliedTo => {
    if (entry['podSelector'] !== undefined || entry['namespaceSelector'] !== undefined) return selectorPair(entry, clusterWide, policyNs);
    const sa = asRecord(entry['serviceAccount']);
    if (sa) {
      const ns = asString(sa['namespace']) ?? policyNs;
      return (ep) => and(ep.namespace === ns, serviceAccountMatches(ep, asString(sa['name'])));
    }
    const groupName = asString(entry['group']);
    const group = groupName ? groups.get(clusterWide ? groupName : `${policyNs}/${groupName}`) : undefined;
    if (group && (group['podSelector'] !== undefined || group['namespaceSelector'] !== undefined))
      return selectorPair(group, clusterWide, policyNs);
    return () => false; // nodeSelector, service, unresolvable group: never a pod of a namespace
  });
  return (ep) => matchers.reduce<Tri>((acc, m) => or(acc, m(ep)), false);
}

function peerOf(peer: Record<string, unknown>, clusterWide: boolean): Peer {
  const ipBlock = asRecord(peer['ipBlock']);
  if (ipBlock) {
    const cidr = asString(ipBlock['cidr']);
    return cidr ? { kind: 'cidr', cidr, except: [] } : { kind: 'partial' };
  }
  const keys = Object.keys(peer);
  const podSel = peer['podSelector'];
  const nsSel = peer['namespaceSelector'];
  const onlySelectors = keys.every((k) => k === 'podSelector' || k === 'namespaceSelector');
  if (
    clusterWide &&
    onlySelectors &&
    (nsSel === undefined || isEmptySelector(nsSel)) &&
    (podSel === undefined || isEmptySelector(podSel)) &&
    keys.length > 0
  ) {
    return { kind: 'cluster' };
  }
  return { kind: 'partial' };
}

function actionOf(value: unknown): NetRule['action'] | undefined {
  switch ((asString(value) ?? '').toLowerCase()) {
    case 'allow':
      return 'allow';
    case 'drop':
    case 'reject':
      return 'deny';
    case 'pass':
      return 'pass';
    default:
      return undefined;
  }
}

function portsOf(rule: Record<string, unknown>): PortSpec[] | undefined {
  const ports = parsePorts(rule['ports']);
  if (ports) return ports;
  // `protocols` (ICMP, IGMP) narrows the rule to those protocols.
  const protocols = asRecords(rule['protocols']);
  return protocols.length > 0 ? protocols.map((p) => ({ protocol: Object.keys(p)[0]?.toUpperCase() ?? 'OTHER' })) : undefined;
}

export function tierPriorities(tiers: readonly KubeObject[]): Map<string, number> {
  const map = new Map(Object.entries(STATIC_TIERS));
  for (const t of tiers) {
    const p = asNumber(asRecord(t['spec'])?.['priority']);
    if (p !== undefined) map.set(nameOf(t).toLowerCase(), p);
  }
  return map;
}

function compilePolicy(obj: KubeObject, tiers: Map<string, number>, groups: GroupIndex, seq: { n: number }): AntreaRule[] {
  const spec = asRecord(obj['spec']);
  if (!spec) return [];
  const clusterWide = obj.kind === 'ClusterNetworkPolicy';
  const policyNs = namespaceOf(obj);
  const tierName = (asString(spec['tier']) ?? 'application').toLowerCase();
  const tier = tiers.get(tierName) ?? STATIC_TIERS['application']!;
  const priority = asNumber(spec['priority']) ?? Number.MAX_SAFE_INTEGER;
  const label = `${describeObject(obj)} (tier ${tierName}, priority ${asString(spec['priority']) ?? asNumber(spec['priority']) ?? 'unset'})`;
  const policyAppliedTo = asRecords(spec['appliedTo']);
  const out: AntreaRule[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    asRecords(spec[dir]).forEach((rule, i) => {
      const action = actionOf(rule['action']);
      if (!action) return;
      const ruleAppliedTo = asRecords(rule['appliedTo']);
      const appliedTo = appliedToOf(policyAppliedTo.length > 0 ? policyAppliedTo : ruleAppliedTo, clusterWide, policyNs, groups);
      const peerList = asRecords(rule[dir === 'ingress' ? 'from' : 'to']);
      let peers: Peer[] = peerList.length === 0 ? [{ kind: 'any' }] : peerList.map((p) => peerOf(p, clusterWide));
      if (asArray(rule['toServices']).length > 0) peers = [{ kind: 'partial' }];
      const name = asString(rule['name']);
      const r: AntreaRule = {
        action,
        peers,
        source: `${label} ${dir}[${i}]${name ? ` (${name})` : ''}`,
        tier,
        priority,
        order: seq.n++,
        baseline: tierName === 'baseline',
        appliedTo,
        dir,
      };
      if (!clusterWide) r.namespace = policyNs;
      const ports = portsOf(rule);
      if (ports) r.ports = ports;
      out.push(r);
    });
  }
  return out;
}

/**
 * Antrea: tiered ClusterNetworkPolicies and Antrea NetworkPolicies are evaluated first (tier
 * priority, then policy priority, then rule order; the first matching rule decides, Pass hands
 * over), then Kubernetes NetworkPolicies, then the Baseline tier, then default allow.
 */
export function antreaFamily(
  policies: readonly KubeObject[],
  tiers: readonly KubeObject[],
  groupObjects: readonly KubeObject[],
  k8s: K8sPolicyLayer,
): PolicyFamily {
  const tierMap = tierPriorities(tiers);
  const groups: GroupIndex = new Map();
  for (const g of groupObjects) {
    const spec = asRecord(g['spec']);
    if (spec) groups.set(g.kind === 'ClusterGroup' ? nameOf(g) : `${namespaceOf(g)}/${nameOf(g)}`, spec);
  }
  const seq = { n: 0 };
  const rules = policies.flatMap((p) => compilePolicy(p, tierMap, groups, seq));
  const precedence = (a: AntreaRule, b: AntreaRule) => a.tier - b.tier || a.priority - b.priority || a.order - b.order;
  const byDir = {
    ingress: new ScopedList(
      rules.filter((r) => r.dir === 'ingress'),
      (r) => r.namespace,
      precedence,
    ),
    egress: new ScopedList(
      rules.filter((r) => r.dir === 'egress'),
      (r) => r.namespace,
      precedence,
    ),
  };
  return {
    name: 'antrea',
    decide(ep, dir, queries) {
      const applies = new Map<AntreaRule, boolean>();
      const appliesTo = (r: AntreaRule) => {
        let a = applies.get(r);
        if (a === undefined) applies.set(r, (a = r.appliedTo(ep) === true));
        return a;
      };
      let viaK8s: readonly (Decision | undefined)[] | undefined;
      return queries.map((query, qi): FamilyDecision => {
        let passed = false;
        const ordered = byDir[dir].for(ep.namespace);
        for (const r of ordered) {
          if (r.baseline) break; // sorted: baseline rules come last
          if (!query.covers(r) || !appliesTo(r)) continue;
          if (r.action === 'pass') {
            passed = true;
            break;
          }
          return { family: 'antrea', verdict: r.action, by: `${r.source}: ${r.action === 'allow' ? 'Allow' : 'Drop'}` };
        }
        const k8sDecision = (viaK8s ??= k8s.decide(ep, dir, queries))[qi];
        if (k8sDecision) return { family: 'antrea', ...k8sDecision };
        for (const r of ordered) {
          if (!r.baseline || r.action === 'pass' || !query.covers(r) || !appliesTo(r)) continue;
          return { family: 'antrea', verdict: r.action, by: `${r.source}: ${r.action === 'allow' ? 'Allow' : 'Drop'}` };
        }
        return {
          family: 'antrea',
          verdict: 'allow',
          by: `${passed ? 'passed by a higher tier and ' : ''}no Antrea or Kubernetes policy decides it (${dir})`,
        };
      });
    },
  };
}

export function isAntrea(obj: KubeObject): boolean {
  return ANTREA_GROUPS.includes(apiGroupOf(obj));
}
