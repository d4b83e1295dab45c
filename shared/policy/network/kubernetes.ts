import { namespaceOf } from '../../inventory/indexed.js';
import { describeObject } from '../../inventory/objects.js';
import { asArray, asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { isEmptySelector, matchLabelSelector, podLookup } from '../selectors.js';
import {
  parsePorts,
  type Decision,
  type Direction,
  type Endpoint,
  type FamilyDecision,
  type NetRule,
  type Peer,
  type PolicyFamily,
  type Query,
} from './model.js';

/** A `networking.k8s.io` NetworkPolicy, compiled once. */
export interface K8sPolicy {
  object: KubeObject;
  label: string;
  namespace: string;
  podSelector: unknown;
  types: Set<Direction>;
  rules: Record<Direction, NetRule[]>;
}

export const K8S_NETPOL_GROUPS = ['networking.k8s.io', ''];

/**
 * policyTypes as the API server defaults them: Ingress always, Egress when the policy has egress
 * rules (an explicit list wins).
 */
function policyTypes(spec: Record<string, unknown>): Set<Direction> {
  const explicit = asStrings(spec['policyTypes']);
  if (Array.isArray(spec['policyTypes']))
    return new Set(explicit.map((t) => t.toLowerCase()).filter((t): t is Direction => t === 'ingress' || t === 'egress'));
  const types = new Set<Direction>(['ingress']);
  if (asArray(spec['egress']).length > 0) types.add('egress');
  return types;
}

/** A NetworkPolicyPeer: ipBlock, or pods chosen by namespaceSelector/podSelector. */
function peerOf(peer: Record<string, unknown>): Peer {
  const ipBlock = asRecord(peer['ipBlock']);
  if (ipBlock) {
    const cidr = asString(ipBlock['cidr']);
    return cidr ? { kind: 'cidr', cidr, except: asStrings(ipBlock['except']) } : { kind: 'partial' };
  }
  const nsSel = peer['namespaceSelector'];
  const podSel = peer['podSelector'];
  // namespaceSelector {} (with no or an empty podSelector) = every pod of every namespace.
  if (nsSel !== undefined && isEmptySelector(nsSel) && (podSel === undefined || isEmptySelector(podSel))) return { kind: 'cluster' };
  return { kind: 'partial' };
}

function ruleOf(rule: Record<string, unknown>, dir: Direction, label: string, i: number): NetRule {
  const peersField = dir === 'ingress' ? 'from' : 'to';
  const peerList = asRecords(rule[peersField]);
  // An absent or empty from/to means every source/destination.
  const peers: Peer[] = peerList.length === 0 ? [{ kind: 'any' }] : peerList.map(peerOf);
  const r: NetRule = { action: 'allow', peers, source: `${label} ${dir}[${i}]` };
  const ports = parsePorts(rule['ports']);
  if (ports) r.ports = ports;
  return r;
}

export function compileK8sPolicy(obj: KubeObject): K8sPolicy | undefined {
  const spec = asRecord(obj['spec']);
  if (!spec) return undefined;
  const label = describeObject(obj);
  return {
    object: obj,
    label,
    namespace: namespaceOf(obj),
    // A missing podSelector is invalid; `{}` is how "all pods" is written. Treat missing as selecting nothing.
    podSelector: spec['podSelector'],
    types: policyTypes(spec),
    rules: {
      ingress: asRecords(spec['ingress']).map((r, i) => ruleOf(r, 'ingress', label, i)),
      egress: asRecords(spec['egress']).map((r, i) => ruleOf(r, 'egress', label, i)),
    },
  };
}

/**
 * Kubernetes semantics: a pod is isolated for a direction when a policy of its namespace selects it
 * with that type; what any selecting policy allows is allowed (union), the rest is denied.
 * Returns undefined when no policy isolates the endpoint (the caller's default applies).
 */
export class K8sPolicyLayer {
  private readonly byNamespace = new Map<string, K8sPolicy[]>();

  constructor(readonly policies: readonly K8sPolicy[]) {
    for (const p of policies) {
      let list = this.byNamespace.get(p.namespace);
      if (!list) this.byNamespace.set(p.namespace, (list = []));
      list.push(p);
    }
  }

  /** Policies of the endpoint's namespace that definitely select it for a direction. */
  selecting(ep: Endpoint, dir: Direction): K8sPolicy[] {
    const candidates = this.byNamespace.get(ep.namespace);
    if (!candidates) return [];
    const lookup = podLookup(ep.podLabels);
    return candidates.filter((p) => p.types.has(dir) && matchLabelSelector(p.podSelector, lookup) === true);
  }

  /** Per query: allowed by a selecting policy, denied by isolation, or undefined (not isolated). */
  decide(ep: Endpoint, dir: Direction, queries: readonly Query[]): (Decision | undefined)[] {
    const selecting = this.selecting(ep, dir);
    if (selecting.length === 0) return queries.map(() => undefined);
    let isolated: Decision | undefined;
    return queries.map((query) => {
      for (const p of selecting) {
        const rule = p.rules[dir].find((r) => query.covers(r));
        if (rule) return { verdict: 'allow', by: `${rule.source} allows it` };
      }
      return (isolated ??= {
        verdict: 'deny',
        by: `${selecting.map((p) => p.label).join(', ')} isolate${selecting.length === 1 ? 's' : ''} it (${dir})`,
      });
    });
  }
}

/** Shared "nothing selects it" answers: the most frequent decision in a large cluster, built once. */
const NOT_ISOLATED: Record<Direction, FamilyDecision> = {
  ingress: { family: 'kubernetes', verdict: 'allow', by: 'no NetworkPolicy selects it for ingress' },
  egress: { family: 'kubernetes', verdict: 'allow', by: 'no NetworkPolicy selects it for egress' },
};

/** Clusters with no CNI policy objects: Kubernetes NetworkPolicies alone, default allow. */
export function kubernetesFamily(layer: K8sPolicyLayer): PolicyFamily {
  return {
    name: 'kubernetes',
    decide: (ep, dir, queries) => layer.decide(ep, dir, queries).map((d) => (d ? { family: 'kubernetes', ...d } : NOT_ISOLATED[dir])),
  };
}
