import type { InventoryIndex } from '../../inventory/indexed.js';
import { labelsOf, apiGroupOf } from '../../inventory/objects.js';
import { serviceAccountOf, type Workload } from '../../inventory/workloads.js';
import type { PolicyContext } from '../context.js';
import { namespaceInfo, type NamespaceInfo } from '../namespaces.js';
import { antreaFamily, isAntrea } from './antrea.js';
import { calicoFamily, isCalico } from './calico.js';
import { ciliumFamily, isCilium } from './cilium.js';
import { compileK8sPolicy, K8S_NETPOL_GROUPS, K8sPolicyLayer, kubernetesFamily, type K8sPolicy } from './kubernetes.js';
import { partQueries, type Direction, type Endpoint, type FamilyDecision, type PolicyFamily, type Query } from './model.js';

/** Kinds whose absence of data makes network verdicts impossible (gap sources). */
export const NETWORK_POLICY_KINDS = [
  'NetworkPolicy',
  'ClusterNetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
] as const;
/** Kinds that refine network verdicts (tier order, named groups, namespace labels). */
export const NETWORK_CONTEXT_KINDS = ['Tier', 'ClusterGroup', 'Group', 'Namespace'] as const;

/** Whether a direction is denied by default for an endpoint, and (on demand) why. */
export class DirectionVerdict {
  /** Every part of the traffic (in-cluster and external) is denied unless a narrower rule allows it. */
  readonly denied: boolean;
  readonly family: FamilyDecision['family'];
  private explained?: string[];

  constructor(
    private readonly dir: Direction,
    private readonly inCluster: FamilyDecision,
    private readonly external: FamilyDecision,
  ) {
    this.denied = inCluster.verdict === 'deny' && external.verdict === 'deny';
    this.family = (this.denied || inCluster.verdict === 'allow' ? inCluster : external).family;
  }

  /** Why, one line per part (one per direction when the same rule decided both): built only when a message needs it. */
  get reasons(): string[] {
    if (this.explained) return this.explained;
    const { dir, inCluster, external } = this;
    if (inCluster.by === external.by && inCluster.verdict === external.verdict) return (this.explained = [`${dir}: ${inCluster.by}`]);
    const shown = this.denied ? [inCluster, external] : [inCluster, external].filter((d) => d.verdict === 'allow');
    return (this.explained = shown.map((d) => `${dir} ${d === inCluster ? 'in-cluster' : 'external'} traffic: ${d.by}`));
  }
}

/**
 * The network policies of one inventory, compiled once per scan for every CNI whose objects are
 * present. Only one CNI enforces policies in a real cluster; when objects of several are present
 * the traffic counts as denied if any of them denies it (the report names which).
 */
export class NetworkModel {
  readonly families: PolicyFamily[];
  readonly k8sPolicies: K8sPolicy[];
  /** Each workload's endpoint (see workloadEndpoint), kept with the model: it lives as long as the index. */
  readonly endpoints = new Map<Workload, Endpoint>();
  private readonly singleQueries = new WeakMap<Query, readonly Query[]>();
  private readonly verdicts: Record<Direction, WeakMap<readonly FamilyDecision[], DirectionVerdict>> = {
    ingress: new WeakMap(),
    egress: new WeakMap(),
  };

  constructor(index: InventoryIndex) {
    const netpols = index.byKind('NetworkPolicy');
    this.k8sPolicies = netpols
      .filter((o) => K8S_NETPOL_GROUPS.includes(apiGroupOf(o)))
      .map(compileK8sPolicy)
      .filter((p): p is K8sPolicy => p !== undefined);
    const layer = new K8sPolicyLayer(this.k8sPolicies);
    const families: PolicyFamily[] = [];
    const tiers = index.byKind('Tier');
    const antrea = [...index.byKind('ClusterNetworkPolicy').filter(isAntrea), ...netpols.filter(isAntrea)];
    if (antrea.length > 0 || tiers.some(isAntrea)) {
      const groups = [...index.byKind('ClusterGroup'), ...index.byKind('Group')].filter(isAntrea);
      families.push(antreaFamily(antrea, tiers.filter(isAntrea), groups, layer));
    }
    const calico = [...index.byKind('GlobalNetworkPolicy').filter(isCalico), ...netpols.filter(isCalico)];
    if (calico.length > 0 || tiers.some(isCalico)) families.push(calicoFamily(calico, tiers.filter(isCalico), this.k8sPolicies));
    const cilium = [...index.byKind('CiliumClusterwideNetworkPolicy'), ...index.byKind('CiliumNetworkPolicy')].filter(isCilium);
    if (cilium.length > 0) families.push(ciliumFamily(cilium, layer));
    this.families = families.length > 0 ? families : [kubernetesFamily(layer)];
  }

  /** Every family's answer per query; the traffic is denied when any family denies it. */
  decideAll(ep: Endpoint, dir: Direction, queries: readonly Query[]): readonly FamilyDecision[] {
    return this.families.length === 1 ? this.families[0]!.decide(ep, dir, queries) : strictest(this.families, ep, dir, queries);
  }

  decide(ep: Endpoint, dir: Direction, query: Query): FamilyDecision {
    let queries = this.singleQueries.get(query);
    // The same list for the same query, so the answers worked out for it are found again.
    if (!queries) this.singleQueries.set(query, (queries = [query]));
    return this.decideAll(ep, dir, queries)[0]!;
  }

  /** Is all traffic of a direction denied by default for the endpoint (exceptions allowed)? */
  defaultDeny(ep: Endpoint, dir: Direction): DirectionVerdict {
    const answers = this.decideAll(ep, dir, partQueries());
    // Endpoints with the same answers (every pod a namespace's policies select alike) share one verdict.
    let verdict = this.verdicts[dir].get(answers);
    if (!verdict) this.verdicts[dir].set(answers, (verdict = new DirectionVerdict(dir, answers[0]!, answers[1]!)));
    return verdict;
  }
}

/** Per query the first family's deny, else the first family's answer (apart from decideAll: its closures would cost every call a context). */
function strictest(families: readonly PolicyFamily[], ep: Endpoint, dir: Direction, queries: readonly Query[]): FamilyDecision[] {
  const answers = families.map((f) => f.decide(ep, dir, queries));
  return queries.map((_, qi) => answers.find((a) => a[qi]!.verdict === 'deny')?.[qi] ?? answers[0]![qi]!);
}

const cache = new WeakMap<InventoryIndex, NetworkModel>();

export function networkModel(ctx: PolicyContext): NetworkModel {
  let model = cache.get(ctx.index);
  if (!model) cache.set(ctx.index, (model = new NetworkModel(ctx.index)));
  return model;
}

/** "Any pod" of a namespace: pod-label selectors are unknown, so only namespace-wide policies count. */
export function namespaceEndpoint(ns: NamespaceInfo): Endpoint {
  return { namespace: ns.name, nsLabels: ns.labels };
}

/**
 * A workload's pods, with the labels and service account of its pod template (`ns`: its namespace,
 * when the caller has it). Built once per workload: two controls judge the same pods.
 */
export function workloadEndpoint(ctx: PolicyContext, w: Workload, ns?: NamespaceInfo): Endpoint {
  const endpoints = networkModel(ctx).endpoints;
  let ep = endpoints.get(w);
  if (ep) return ep;
  ep = {
    namespace: w.namespace,
    nsLabels: (ns ?? namespaceInfo(ctx, w.namespace)).labels,
    podLabels: labelsOf(w.podMeta.labels),
    serviceAccount: serviceAccountOf(w),
  };
  endpoints.set(w, ep);
  return ep;
}

/** Host-network pods share the node's network namespace: no pod network policy applies to them. */
export function isHostNetwork(w: Workload): boolean {
  const v = w.podSpec['hostNetwork'];
  return v === true || v === 'true';
}
