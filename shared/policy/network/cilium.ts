import { namespaceOf } from '../../inventory/indexed.js';
import { apiGroupOf, describeObject } from '../../inventory/objects.js';
import { asArray, asNumber, asRecord, asRecords, asString, asStrings, isFalse } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { and, isEmptySelector, matchLabelSelector, podLookup, UNKNOWN_LABEL, type LabelLookup, type Tri } from '../selectors.js';
import type { K8sPolicyLayer } from './kubernetes.js';
import {
  ScopedList,
  type FamilyDecision,
  type Direction,
  type Endpoint,
  type NetRule,
  type Peer,
  type PolicyFamily,
  type PortSpec,
} from './model.js';

export const CILIUM_GROUPS = ['cilium.io'];

interface CiliumRuleSet {
  /** Set for a namespaced CiliumNetworkPolicy. */
  namespace?: string;
  label: string;
  selects: (ep: Endpoint) => Tri;
  allow: Record<Direction, NetRule[]>;
  deny: Record<Direction, NetRule[]>;
  enablesDefaultDeny: Record<Direction, boolean>;
}

/**
 * Cilium endpoint labels: pod labels (any `k8s:`/`any:` source prefix), the namespace as
 * `io.kubernetes.pod.namespace`, namespace labels as `io.cilium.k8s.namespace.labels.<key>`.
 */
function ciliumLookup(ep: Endpoint): LabelLookup {
  const pod = podLookup(ep.podLabels);
  return (rawKey) => {
    if (rawKey.startsWith('reserved:')) return null; // reserved identities (host, world) are not pods
    const key = rawKey.replace(/^(k8s|any|container|unspec):/, '');
    if (key === 'io.kubernetes.pod.namespace') return ep.namespace;
    if (key.startsWith('io.cilium.k8s.namespace.labels.')) return ep.nsLabels[key.slice('io.cilium.k8s.namespace.labels.'.length)] ?? null;
    if (key === 'io.cilium.k8s.policy.serviceaccount') return ep.podLabels === undefined ? UNKNOWN_LABEL : (ep.serviceAccount ?? 'default');
    if (key === 'io.cilium.k8s.policy.cluster') return UNKNOWN_LABEL;
    return pod(key);
  };
}

const ENTITY_PEERS: Record<string, Peer> = {
  all: { kind: 'any' },
  world: { kind: 'world' },
  'world-ipv4': { kind: 'world' },
  cluster: { kind: 'cluster' },
};

function peersOf(rule: Record<string, unknown>, dir: Direction, clusterWide: boolean): Peer[] {
  const prefix = dir === 'ingress' ? 'from' : 'to';
  const peers: Peer[] = [];
  let hasPeerField = false;
  const endpoints = rule[`${prefix}Endpoints`];
  if (Array.isArray(endpoints)) {
    hasPeerField = true;
    // `{}` selects every endpoint of the cluster in a clusterwide policy, of its namespace otherwise.
    for (const sel of endpoints) peers.push(clusterWide && isEmptySelector(sel) ? { kind: 'cluster' } : { kind: 'partial' });
  }
  const entities = rule[`${prefix}Entities`];
  if (Array.isArray(entities)) {
    hasPeerField = true;
    for (const e of asStrings(entities)) peers.push(ENTITY_PEERS[e] ?? { kind: 'partial' });
  }
  const cidrs = rule[`${prefix}CIDR`];
  if (Array.isArray(cidrs)) {
    hasPeerField = true;
    for (const cidr of asStrings(cidrs)) peers.push({ kind: 'cidr', cidr, except: [] });
  }
  const cidrSet = rule[`${prefix}CIDRSet`];
  if (Array.isArray(cidrSet)) {
    hasPeerField = true;
    for (const c of asRecords(cidrSet)) {
      const cidr = asString(c['cidr']);
      peers.push(cidr ? { kind: 'cidr', cidr, except: asStrings(c['except']) } : { kind: 'partial' });
    }
  }
  for (const narrow of [`${prefix}FQDNs`, 'toServices', `${prefix}Groups`, `${prefix}Nodes`]) {
    if (rule[narrow] !== undefined) {
      hasPeerField = true;
      peers.push({ kind: 'partial' });
    }
  }
  // fromRequires/toRequires add conditions to the other peers: never wider than partial.
  if (rule[`${prefix}Requires`] !== undefined) return hasPeerField ? [{ kind: 'partial' }] : [];
  if (hasPeerField) return peers;
  // No peer at all: an L4-only rule allows every peer on its ports; an empty rule `{}` matches nothing.
  return rule['toPorts'] !== undefined || rule['icmps'] !== undefined ? [{ kind: 'any' }] : [];
}

function portsOf(rule: Record<string, unknown>): PortSpec[] | undefined {
  const out: PortSpec[] = [];
  for (const pr of asRecords(rule['toPorts'])) {
    for (const p of asRecords(pr['ports'])) {
      const spec: PortSpec = {};
      const protocol = asString(p['protocol'])?.toUpperCase();
      if (protocol && protocol !== 'ANY') spec.protocol = protocol;
      const port = asNumber(p['port']);
      if (port !== undefined && port !== 0) spec.port = port;
      else if (typeof p['port'] === 'string' && !/^\d+$/.test(p['port'])) spec.port = p['port'];
      const end = asNumber(p['endPort']);
      if (end !== undefined) spec.endPort = end;
      out.push(spec);
    }
    // L7 rules (http, dns, kafka) narrow the allowed traffic further.
    if (asRecord(pr['rules'])) out.push({ protocol: 'L7-FILTERED', port: -1 });
  }
  if (asArray(rule['icmps']).length > 0) out.push({ protocol: 'ICMP' });
  if (out.some((p) => p.protocol === 'L7-FILTERED')) return out.filter((p) => p.protocol === 'L7-FILTERED');
  return out.length > 0 ? out : undefined;
}

function compileSpec(spec: Record<string, unknown>, obj: KubeObject, index: number, multi: boolean): CiliumRuleSet | undefined {
  // nodeSelector specs are host firewall policies: they never govern pod traffic.
  if (spec['endpointSelector'] === undefined) return undefined;
  const clusterWide = obj.kind === 'CiliumClusterwideNetworkPolicy';
  const policyNs = namespaceOf(obj);
  const sel = spec['endpointSelector'];
  const label = `${describeObject(obj)}${multi ? ` specs[${index}]` : ''}`;
  const rules = (field: string, dir: Direction, action: 'allow' | 'deny') =>
    asRecords(spec[field]).map((r, i): NetRule => {
      const rule: NetRule = { action, peers: peersOf(r, dir, clusterWide), source: `${label} ${field}[${i}]` };
      const ports = portsOf(r);
      if (ports) rule.ports = ports;
      return rule;
    });
  const enable = asRecord(spec['enableDefaultDeny']) ?? {};
  const enables = (dir: Direction) => !isFalse(enable[dir]) && (asArray(spec[dir]).length > 0 || asArray(spec[`${dir}Deny`]).length > 0);
  return {
    ...(clusterWide ? {} : { namespace: policyNs }),
    label,
    selects: (ep) => and(clusterWide ? true : ep.namespace === policyNs, matchLabelSelector(sel, ciliumLookup(ep))),
    allow: { ingress: rules('ingress', 'ingress', 'allow'), egress: rules('egress', 'egress', 'allow') },
    deny: { ingress: rules('ingressDeny', 'ingress', 'deny'), egress: rules('egressDeny', 'egress', 'deny') },
    enablesDefaultDeny: { ingress: enables('ingress'), egress: enables('egress') },
  };
}

function compileCilium(obj: KubeObject): CiliumRuleSet[] {
  const specs = asRecords(obj['specs']);
  const spec = asRecord(obj['spec']);
  const all = spec ? [spec, ...specs] : specs;
  return all.map((s, i) => compileSpec(s, obj, i, all.length > 1)).filter((r): r is CiliumRuleSet => r !== undefined);
}

/**
 * Cilium: a policy selecting an endpoint with an ingress/egress section puts it in default deny for
 * that direction (unless enableDefaultDeny says otherwise); allows are the union of selecting
 * policies (Kubernetes NetworkPolicies included); deny rules win over any allow.
 */
export function ciliumFamily(policies: readonly KubeObject[], k8s: K8sPolicyLayer): PolicyFamily {
  const sets = new ScopedList(policies.flatMap(compileCilium), (s) => s.namespace);
  return {
    name: 'cilium',
    decide(ep, dir, queries) {
      const selecting = sets.for(ep.namespace).filter((s) => s.selects(ep) === true);
      const k8sSelecting = k8s.selecting(ep, dir);
      const enabling = [...selecting.filter((s) => s.enablesDefaultDeny[dir]).map((s) => s.label), ...k8sSelecting.map((p) => p.label)];
      const allows = [...selecting.flatMap((s) => s.allow[dir]), ...k8sSelecting.flatMap((p) => p.rules[dir])];
      return queries.map((query): FamilyDecision => {
        for (const s of selecting) {
          const deny = s.deny[dir].find((r) => query.covers(r));
          if (deny) return { family: 'cilium', verdict: 'deny', by: `${deny.source}: deny` };
        }
        if (enabling.length === 0)
          return { family: 'cilium', verdict: 'allow', by: `no Cilium or Kubernetes policy selects it for ${dir}` };
        const allow = allows.find((rule) => query.covers(rule));
        if (allow) return { family: 'cilium', verdict: 'allow', by: `${allow.source} allows it` };
        return {
          family: 'cilium',
          verdict: 'deny',
          by: `${enabling.join(', ')} put${enabling.length === 1 ? 's' : ''} it in default deny (${dir})`,
        };
      });
    },
  };
}

export function isCilium(obj: KubeObject): boolean {
  return CILIUM_GROUPS.includes(apiGroupOf(obj));
}
