import { namespaceOf } from '../../inventory/indexed.js';
import { describeObject } from '../../inventory/objects.js';
import { asArray, asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { isEmptySelector, type LabelLookup, matchLabelSelector, podLookup } from '../selectors.js';
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
  /** `podSelector: {}`: every pod of the namespace, whatever its labels. */
  selectsAll: boolean;
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
    selectsAll: isEmptySelector(spec['podSelector']),
    types: policyTypes(spec),
    rules: {
      ingress: asRecords(spec['ingress']).map((r, i) => ruleOf(r, 'ingress', label, i)),
      egress: asRecords(spec['egress']).map((r, i) => ruleOf(r, 'egress', label, i)),
    },
  };
}

/** Decisions per query list, per selection (a bit per policy of the namespace that selects the endpoint). */
type DecisionsBySelection = WeakMap<readonly Query[], Map<number, readonly (Decision | undefined)[]>>;

/** One namespace's policies, and the decisions already worked out for a selection of them. */
interface NamespacePolicies {
  policies: K8sPolicy[];
  decided: Record<Direction, DecisionsBySelection>;
}

/** Above this many policies in a namespace a selection no longer fits a bit mask: decided afresh each time. */
const MAX_MASKED = 30;

/**
 * Kubernetes semantics: a pod is isolated for a direction when a policy of its namespace selects it
 * with that type; what any selecting policy allows is allowed (union), the rest is denied.
 * Returns undefined when no policy isolates the endpoint (the caller's default applies).
 * The answer depends only on which policies select the endpoint, so it is worked out once per
 * selection and shared by every pod with the same one (the returned lists must not be changed).
 */
export class K8sPolicyLayer {
  private readonly byNamespace = new Map<string, NamespacePolicies>();
  private readonly unisolated = new WeakMap<readonly Query[], readonly undefined[]>();

  constructor(readonly policies: readonly K8sPolicy[]) {
    for (const p of policies) {
      let ns = this.byNamespace.get(p.namespace);
      if (!ns) this.byNamespace.set(p.namespace, (ns = { policies: [], decided: { ingress: new WeakMap(), egress: new WeakMap() } }));
      ns.policies.push(p);
    }
  }

  /** Policies of the endpoint's namespace that definitely select it for a direction. */
  selecting(ep: Endpoint, dir: Direction): K8sPolicy[] {
    const candidates = this.byNamespace.get(ep.namespace)?.policies;
    if (!candidates) return [];
    const lookup = podLookup(ep.podLabels);
    return candidates.filter((p) => p.types.has(dir) && matchLabelSelector(p.podSelector, lookup) === true);
  }

  /** Per query: allowed by a selecting policy, denied by isolation, or undefined (not isolated). */
  decide(ep: Endpoint, dir: Direction, queries: readonly Query[]): readonly (Decision | undefined)[] {
    const ns = this.byNamespace.get(ep.namespace);
    if (!ns) return this.notIsolated(queries);
    const candidates = ns.policies;
    if (candidates.length > MAX_MASKED) return decideFor(this.selecting(ep, dir), dir, queries) ?? this.notIsolated(queries);
    let lookup: LabelLookup | undefined;
    let mask = 0;
    for (let i = 0; i < candidates.length; i++) {
      const p = candidates[i]!;
      if (!p.types.has(dir)) continue;
      if (p.selectsAll || matchLabelSelector(p.podSelector, (lookup ??= podLookup(ep.podLabels))) === true) mask |= 1 << i;
    }
    if (mask === 0) return this.notIsolated(queries);
    let bySelection = ns.decided[dir].get(queries);
    if (!bySelection) ns.decided[dir].set(queries, (bySelection = new Map()));
    let decisions = bySelection.get(mask);
    if (!decisions) bySelection.set(mask, (decisions = decideFor(selected(candidates, mask), dir, queries)!));
    return decisions;
  }

  private notIsolated(queries: readonly Query[]): readonly undefined[] {
    let none = this.unisolated.get(queries);
    if (!none) this.unisolated.set(queries, (none = queries.map(() => undefined)));
    return none;
  }
}

/** The policies a selection names (kept apart: a closure over the mask would cost every call a context). */
function selected(candidates: readonly K8sPolicy[], mask: number): K8sPolicy[] {
  return candidates.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** The decisions of the policies selecting an endpoint; undefined when none does. */
function decideFor(selecting: readonly K8sPolicy[], dir: Direction, queries: readonly Query[]): Decision[] | undefined {
  if (selecting.length === 0) return undefined;
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

/** Shared "nothing selects it" answers: the most frequent decision in a large cluster, built once. */
const NOT_ISOLATED: Record<Direction, FamilyDecision> = {
  ingress: { family: 'kubernetes', verdict: 'allow', by: 'no NetworkPolicy selects it for ingress' },
  egress: { family: 'kubernetes', verdict: 'allow', by: 'no NetworkPolicy selects it for egress' },
};

function familyDecisions(decisions: readonly (Decision | undefined)[], dir: Direction): FamilyDecision[] {
  return decisions.map((d) => (d ? { family: 'kubernetes', ...d } : NOT_ISOLATED[dir]));
}

/** Clusters with no CNI policy objects: Kubernetes NetworkPolicies alone, default allow. */
export function kubernetesFamily(layer: K8sPolicyLayer): PolicyFamily {
  // The layer hands back the same list for the same answers: the family's list is made once for it.
  const named: Record<Direction, WeakMap<readonly (Decision | undefined)[], FamilyDecision[]>> = {
    ingress: new WeakMap(),
    egress: new WeakMap(),
  };
  return {
    name: 'kubernetes',
    decide: (ep, dir, queries) => {
      const decisions = layer.decide(ep, dir, queries);
      let out = named[dir].get(decisions);
      if (!out) named[dir].set(decisions, (out = familyDecisions(decisions, dir)));
      return out;
    },
  };
}
