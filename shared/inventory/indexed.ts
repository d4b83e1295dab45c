import { asString } from './read.js';
import type { Gap, Inventory, KubeObject } from './types.js';
import { toWorkload, type Workload } from './workloads.js';

/** Kinds that live outside namespaces (all others default to `default` when a manifest omits it). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'ClusterNetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ConstraintTemplate',
  'ClusterPolicy',
  'Assign',
  'AssignMetadata',
  'ModifySet',
  'AssignImage',
  'Tier',
  // Cluster-scoped CRDs of the policy and node objects the cluster controls read.
  'ClusterGroup',
  'GlobalNetworkSet',
  'HostEndpoint',
  'EC2NodeClass',
  'NodePool',
  // Exposure and image-signature policy: the load balancer classes and Sigstore policies.
  'GatewayClass',
  'IngressClassParams',
  'ClusterImagePolicy',
]);

export function isClusterScoped(obj: KubeObject): boolean {
  const kind = obj.kind ?? '';
  // Gatekeeper constraints are cluster-scoped and live in constraints.gatekeeper.sh.
  if ((obj.apiVersion ?? '').startsWith('constraints.gatekeeper.sh/')) return true;
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The namespace an object lives in ('' for cluster-scoped kinds). */
export function namespaceOf(obj: KubeObject): string {
  if (isClusterScoped(obj)) return '';
  return asString(obj.metadata?.namespace) || 'default';
}

const NO_WORKLOADS: readonly Workload[] = [];

/** Indexes made so far: each index's serial. */
let indexes = 0;

/**
 * An inventory indexed once per scan, so controls never rescan the whole resource list: objects by
 * kind and by key, namespaces, and the pod-bearing workloads with their container walk done once.
 */
export class InventoryIndex {
  readonly inventory: Inventory;
  /** Tells indexes apart without holding one (a cache kept for one evaluation compares it). */
  readonly serial = ++indexes;
  private readonly kinds = new Map<string, KubeObject[]>();
  /** kind → namespace → name, per kind when first looked up: nested maps hash the strings the objects already hold (and cache their hashes) instead of a fresh joined key per object and per lookup. */
  private readonly keys = new Map<string, Map<string, Map<string, KubeObject>>>();
  private workloadList?: Workload[];
  private workloadsByNamespace?: Map<string, Workload[]>;
  private namespaceSet?: Set<string>;

  constructor(inventory: Inventory) {
    this.inventory = inventory;
    // Indexed loops: a for-of re-entered through on-stack replacement allocates an iterator result
    // per object. Objects mostly come grouped by kind (a cluster is listed kind by kind).
    const resources = inventory.resources;
    let lastKind: string | undefined;
    let list: KubeObject[] = [];
    for (let i = 0; i < resources.length; i++) {
      const obj = resources[i]!;
      const kind = obj.kind ?? '';
      if (kind !== lastKind) {
        lastKind = kind;
        let known = this.kinds.get(kind);
        if (!known) this.kinds.set(kind, (known = []));
        list = known;
      }
      list.push(obj);
    }
  }

  byKind(kind: string): KubeObject[] {
    return this.kinds.get(kind) ?? [];
  }

  find(kind: string, namespace: string, name: string): KubeObject | undefined {
    return (this.keys.get(kind) ?? this.keysOf(kind)).get(namespace)?.get(name);
  }

  /** A kind's objects by namespace and name, built when first looked up: most kinds never are. */
  private keysOf(kind: string): Map<string, Map<string, KubeObject>> {
    const byNamespace = new Map<string, Map<string, KubeObject>>();
    const objects = this.byKind(kind);
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i]!;
      const namespace = namespaceOf(obj);
      let byName = byNamespace.get(namespace);
      if (!byName) byNamespace.set(namespace, (byName = new Map()));
      byName.set(asString(obj.metadata?.name) ?? '', obj);
    }
    this.keys.set(kind, byNamespace);
    return byNamespace;
  }

  /** The Namespace object, when the inventory holds it. */
  namespace(name: string): KubeObject | undefined {
    return this.find('Namespace', '', name);
  }

  /** Every namespace the inventory knows: Namespace objects plus those named by namespaced objects. */
  namespaces(): Set<string> {
    if (!this.namespaceSet) {
      const set = new Set<string>();
      for (const ns of this.byKind('Namespace')) {
        const name = asString(ns.metadata?.name);
        if (name) set.add(name);
      }
      const resources = this.inventory.resources;
      for (let i = 0; i < resources.length; i++) {
        const ns = namespaceOf(resources[i]!);
        if (ns) set.add(ns);
      }
      this.namespaceSet = set;
    }
    return this.namespaceSet;
  }

  /**
   * Pod-bearing objects that are not managed by another object in the inventory: in a live cluster
   * a Deployment's ReplicaSets and Pods would otherwise be reported three times. A Pod whose owner
   * is not in the inventory (a CRD controller, a deleted owner) is judged itself.
   */
  workloads(): Workload[] {
    if (!this.workloadList) {
      const list: Workload[] = [];
      const resources = this.inventory.resources;
      for (let i = 0; i < resources.length; i++) {
        const obj = resources[i]!;
        const w = toWorkload(obj);
        if (w && !this.hasControllerInInventory(obj, w.namespace)) list.push(w);
      }
      this.workloadList = list;
    }
    return this.workloadList;
  }

  /** The workloads of one namespace, in inventory order (grouped once, when first asked). Shared: read only. */
  workloadsIn(namespace: string): readonly Workload[] {
    if (!this.workloadsByNamespace) {
      const byNamespace = new Map<string, Workload[]>();
      const workloads = this.workloads();
      for (let i = 0; i < workloads.length; i++) {
        const w = workloads[i]!;
        const list = byNamespace.get(w.namespace);
        if (list) list.push(w);
        else byNamespace.set(w.namespace, [w]);
      }
      this.workloadsByNamespace = byNamespace;
    }
    return this.workloadsByNamespace.get(namespace) ?? NO_WORKLOADS;
  }

  private hasControllerInInventory(obj: KubeObject, namespace: string): boolean {
    const owners = obj.metadata?.ownerReferences;
    if (!Array.isArray(owners)) return false;
    for (const ref of owners) {
      if (ref && ref.controller === true && typeof ref.kind === 'string' && typeof ref.name === 'string') {
        if (this.find(ref.kind, namespace, ref.name)) return true;
      }
    }
    return false;
  }

  gaps(source: string): Gap[] {
    return this.inventory.gaps.filter((g) => g.source === source);
  }

  /** True when the CRD behind a kind is known not to be installed. */
  isAbsent(kind: string): boolean {
    return this.inventory.absentKinds?.includes(kind) ?? false;
  }
}
