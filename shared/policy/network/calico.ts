import { namespaceOf } from '../../inventory/indexed.js';
import { apiGroupOf, describeObject, nameOf } from '../../inventory/objects.js';
import { asArray, asNumber, asRecord, asRecords, asString, asStrings, isTrue } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { and, mapLookup, matchLabelSelector, podLookup, UNKNOWN_LABEL, type LabelLookup, type Tri } from '../selectors.js';
import { compileCalicoSelector } from './calico-selector.js';
import type { K8sPolicy } from './kubernetes.js';
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

export const CALICO_GROUPS = ['projectcalico.org', 'crd.projectcalico.org'];

/** Calico gives the default tier order 1,000,000; Kubernetes NetworkPolicies sit in it at order 1000. */
const DEFAULT_TIER_ORDER = 1_000_000;
const K8S_POLICY_ORDER = 1000;

interface CalicoPolicy {
  /** Set for namespaced policies (Calico NetworkPolicy, Kubernetes NetworkPolicy). */
  namespace?: string;
  label: string;
  tier: string;
  order: number;
  name: string;
  appliesTo: (ep: Endpoint) => Tri;
  types: Set<Direction>;
  rules: Record<Direction, (NetRule & { log?: boolean })[]>;
}

/** Endpoint labels as Calico sees a pod: its labels plus the namespace/orchestrator labels Calico adds. */
function endpointLabels(ep: Endpoint): LabelLookup {
  const pod = podLookup(ep.podLabels);
  return (key) => {
    if (key === 'projectcalico.org/namespace') return ep.namespace;
    if (key === 'projectcalico.org/orchestrator') return 'k8s';
    if (key === 'projectcalico.org/serviceaccount') return ep.podLabels === undefined ? UNKNOWN_LABEL : (ep.serviceAccount ?? 'default');
    return pod(key);
  };
}

function namespaceLabels(ep: Endpoint): LabelLookup {
  const ns = mapLookup(ep.nsLabels);
  return (key) => (key === 'projectcalico.org/name' ? ep.namespace : ns(key));
}

function calicoPorts(entity: Record<string, unknown>, protocol: string | undefined): PortSpec[] | undefined {
  const ports = asArray(entity['ports']);
  if (ports.length === 0) return protocol ? [{ protocol }] : undefined;
  return ports.map((p): PortSpec => {
    const spec: PortSpec = {};
    if (protocol) spec.protocol = protocol;
    if (typeof p === 'number') spec.port = p;
    else if (typeof p === 'string') {
      const range = /^(\d+):(\d+)$/.exec(p);
      if (range) {
        spec.port = Number(range[1]);
        spec.endPort = Number(range[2]);
      } else spec.port = /^\d+$/.test(p) ? Number(p) : p;
    }
    return spec;
  });
}

const RESTRICTING = ['nets', 'notNets', 'selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'services', 'ports', 'notPorts'];

/** The remote side of a rule (source for ingress, destination for egress). */
function peerOf(entity: Record<string, unknown>, global: boolean): Peer[] {
  const keys = Object.keys(entity).filter((k) => RESTRICTING.includes(k) && k !== 'ports');
  if (keys.length === 0) return [{ kind: 'any' }];
  const nets = asStrings(entity['nets']);
  const notNets = asStrings(entity['notNets']);
  if (keys.every((k) => k === 'nets' || k === 'notNets')) {
    return (nets.length > 0 ? nets : ['0.0.0.0/0']).map((cidr) => ({ kind: 'cidr', cidr, except: notNets }));
  }
  const sel = asString(entity['selector'])?.trim();
  const nsSel = asString(entity['namespaceSelector'])?.trim();
  const onlySelectors = keys.every((k) => k === 'selector' || k === 'namespaceSelector');
  // all() pods of all() namespaces (or a global rule's selector alone) = every pod of the cluster.
  if (
    onlySelectors &&
    ((nsSel === 'all()' && (sel === undefined || sel === 'all()')) || (global && nsSel === undefined && sel === 'all()'))
  ) {
    return [{ kind: 'cluster' }];
  }
  return [{ kind: 'partial' }];
}

function ruleOf(
  rule: Record<string, unknown>,
  dir: Direction,
  label: string,
  i: number,
  global: boolean,
): (NetRule & { log?: boolean }) | undefined {
  const actionText = (asString(rule['action']) ?? '').toLowerCase();
  const action =
    actionText === 'allow'
      ? 'allow'
      : actionText === 'deny'
        ? 'deny'
        : actionText === 'pass'
          ? 'pass'
          : actionText === 'log'
            ? 'log'
            : undefined;
  if (!action) return undefined;
  const remote = asRecord(rule[dir === 'ingress' ? 'source' : 'destination']) ?? {};
  const local = asRecord(rule[dir === 'ingress' ? 'destination' : 'source']) ?? {};
  let peers = peerOf(remote, global);
  // Restrictions on the local side (which of my endpoints, which local ports) narrow the rule too.
  const localKeys = Object.keys(local).filter((k) => RESTRICTING.includes(k) && !(dir === 'ingress' && k === 'ports'));
  const remotePorts = dir === 'ingress' && (remote['ports'] !== undefined || remote['notPorts'] !== undefined); // source ports
  if (
    localKeys.length > 0 ||
    remotePorts ||
    rule['notProtocol'] !== undefined ||
    remote['notPorts'] !== undefined ||
    rule['http'] !== undefined
  )
    peers = [{ kind: 'partial' }];
  const protocol =
    typeof rule['protocol'] === 'string'
      ? rule['protocol'].toUpperCase()
      : typeof rule['protocol'] === 'number'
        ? String(rule['protocol'])
        : undefined;
  // Destination ports restrict both directions: ingress = my ports, egress = the remote's ports.
  const ports = calicoPorts(asRecord(rule['destination']) ?? {}, protocol);
  const source = `${label} ${dir}[${i}]`;
  if (action === 'log') return { action: 'pass', peers, source, log: true };
  const r: NetRule & { log?: boolean } = { action, peers, source };
  if (ports) r.ports = ports;
  return r;
}

function typesOf(spec: Record<string, unknown>): Set<Direction> {
  if (Array.isArray(spec['types'])) {
    return new Set(
      asStrings(spec['types'])
        .map((t) => t.toLowerCase())
        .filter((t): t is Direction => t === 'ingress' || t === 'egress'),
    );
  }
  // Calico's defaulting: Egress when there are egress rules, Ingress when there are ingress rules or no egress rules.
  const hasEgress = asArray(spec['egress']).length > 0;
  const hasIngress = asArray(spec['ingress']).length > 0;
  const types = new Set<Direction>();
  if (hasIngress || !hasEgress) types.add('ingress');
  if (hasEgress) types.add('egress');
  return types;
}

function compileCalico(obj: KubeObject): CalicoPolicy | undefined {
  const spec = asRecord(obj['spec']);
  if (!spec) return undefined;
  // Host-endpoint policies (preDNAT, doNotTrack, applyOnForward) never govern pod traffic.
  if (isTrue(spec['preDNAT']) || isTrue(spec['doNotTrack'])) return undefined;
  const global = obj.kind === 'GlobalNetworkPolicy';
  const policyNs = namespaceOf(obj);
  const label = describeObject(obj);
  const selector = compileCalicoSelector(asString(spec['selector']));
  const nsSelector =
    global && spec['namespaceSelector'] !== undefined ? compileCalicoSelector(asString(spec['namespaceSelector']) ?? '') : undefined;
  const saSelector =
    spec['serviceAccountSelector'] !== undefined ? compileCalicoSelector(asString(spec['serviceAccountSelector'])) : undefined;
  const appliesTo = (ep: Endpoint): Tri => {
    let r: Tri = global ? true : ep.namespace === policyNs;
    r = and(r, selector.select(endpointLabels(ep)));
    if (nsSelector) r = and(r, nsSelector.select(namespaceLabels(ep)));
    // Service account labels are not in the inventory's pod view: unknown, never assumed.
    if (saSelector) r = and(r, undefined);
    return r;
  };
  const tier = asString(spec['tier']) ?? 'default';
  const compileRules = (dir: Direction) =>
    asRecords(spec[dir])
      .map((r, i) => ruleOf(r, dir, label, i, global))
      .filter((r): r is NetRule & { log?: boolean } => r !== undefined);
  return {
    ...(global ? {} : { namespace: policyNs }),
    label,
    tier,
    order: asNumber(spec['order']) ?? Number.POSITIVE_INFINITY,
    name: nameOf(obj),
    appliesTo,
    types: typesOf(spec),
    rules: { ingress: compileRules('ingress'), egress: compileRules('egress') },
  };
}

/** A Kubernetes NetworkPolicy as Calico runs it: default tier, order 1000, Allow rules. */
function fromK8s(p: K8sPolicy): CalicoPolicy {
  return {
    namespace: p.namespace,
    label: p.label,
    tier: 'default',
    order: K8S_POLICY_ORDER,
    name: p.label,
    appliesTo: (ep) => and(ep.namespace === p.namespace, matchLabelSelector(p.podSelector, podLookup(ep.podLabels))),
    types: p.types,
    rules: p.rules,
  };
}

/**
 * Calico: tiers in order; in a tier whose policies select the endpoint, policies by `order` and
 * rules in sequence; the first matching Allow/Deny decides, Pass goes to the next tier, and a tier
 * whose policies select the endpoint without a matching rule denies (end-of-tier deny). No
 * selecting policy at all: allow.
 */
export function calicoFamily(policies: readonly KubeObject[], tiers: readonly KubeObject[], k8s: readonly K8sPolicy[]): PolicyFamily {
  const tierOrder = new Map<string, number>([['default', DEFAULT_TIER_ORDER]]);
  for (const t of tiers) tierOrder.set(nameOf(t), asNumber(asRecord(t['spec'])?.['order']) ?? Number.POSITIVE_INFINITY);
  const compiled = [...policies.map(compileCalico).filter((p): p is CalicoPolicy => p !== undefined), ...k8s.map(fromK8s)];
  const tierRank = (t: string) => tierOrder.get(t) ?? Number.MAX_VALUE;
  const precedence = (a: CalicoPolicy, b: CalicoPolicy) =>
    tierRank(a.tier) - tierRank(b.tier) || a.tier.localeCompare(b.tier) || a.order - b.order || a.name.localeCompare(b.name);
  const scoped = new ScopedList(compiled, (p) => p.namespace, precedence);
  return {
    name: 'calico',
    decide(ep, dir, queries) {
      // Policies selecting the endpoint, grouped by tier in evaluation order.
      const applicable: [string, CalicoPolicy[]][] = [];
      for (const p of scoped.for(ep.namespace)) {
        if (!p.types.has(dir) || p.appliesTo(ep) !== true) continue;
        const last = applicable[applicable.length - 1];
        if (last && last[0] === p.tier) last[1].push(p);
        else applicable.push([p.tier, [p]]);
      }
      return queries.map((query): FamilyDecision => {
        tiers: for (const [tierName, list] of applicable) {
          for (const p of list) {
            for (const r of p.rules[dir]) {
              if (r.log || !query.covers(r)) continue;
              if (r.action === 'pass') continue tiers;
              return { family: 'calico', verdict: r.action, by: `${r.source}: ${r.action === 'allow' ? 'Allow' : 'Deny'}` };
            }
          }
          return {
            family: 'calico',
            verdict: 'deny',
            by: `end of tier ${tierName}: ${list.map((p) => p.label).join(', ')} select${list.length === 1 ? 's' : ''} it and no rule allows it (${dir})`,
          };
        }
        return { family: 'calico', verdict: 'allow', by: `no Calico or Kubernetes policy selects it for ${dir}` };
      });
    },
  };
}

export function isCalico(obj: KubeObject): boolean {
  return CALICO_GROUPS.includes(apiGroupOf(obj));
}
