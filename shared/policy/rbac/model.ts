import { type InventoryIndex, namespaceOf } from '../../inventory/indexed.js';
import { labelsOf, nameOf } from '../../inventory/objects.js';
import { asRecord, asRecords, asString } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import type { ResourceRef } from '../../core/types.js';
import type { PolicyContext } from '../context.js';
import { mapLookup, matchLabelSelector } from '../selectors.js';
import { BUILT_IN_BINDINGS, BUILT_IN_CLUSTER_ROLES, BUILT_IN_ROLE_RULES, BUILT_IN_ROLES, namePatternMatches } from './builtin.js';
import { parseRules, sameRule, type PolicyRule } from './rules.js';
import { canonicalSubjectKind } from './subjects.js';

export interface RoleInfo {
  kind: 'Role' | 'ClusterRole';
  namespace: string;
  name: string;
  /** Undefined for a built-in ClusterRole known by its shipped rules only (manifest scans). */
  object?: KubeObject;
  /** Own rules plus those aggregated through `aggregationRule`. */
  rules: PolicyRule[];
  builtIn: boolean;
  /** `Role ns/name` or `ClusterRole name`, for messages. */
  text: string;
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  /** `User alice`, `Group devs`, `ServiceAccount ns/name`. */
  text: string;
  builtIn: boolean;
}

export interface BindingInfo {
  object: KubeObject;
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  namespace: string;
  name: string;
  roleRef: { kind: string; name: string };
  /** The role it grants, when known (in the inventory, or a built-in ClusterRole). */
  role?: RoleInfo;
  subjects: Subject[];
  /** Every subject is one Kubernetes/EKS ships (BUILT_IN_BINDINGS): not a user finding. */
  builtIn: boolean;
  /** `RoleBinding ns/name` or `ClusterRoleBinding name`, for messages. */
  text: string;
}

/** Who a role is granted to through bindings with user subjects: read by every role control, built once. */
export interface RoleGrantees {
  bindings: BindingInfo[];
  /** The bindings' texts. */
  boundBy: string[];
  /** The user subjects' texts, each once. */
  subjects: string[];
}

function isBuiltInRole(kind: 'Role' | 'ClusterRole', namespace: string, name: string): boolean {
  if (kind === 'ClusterRole') return BUILT_IN_CLUSTER_ROLES.some((p) => namePatternMatches(p, name));
  return BUILT_IN_ROLES.some((r) => r.namespace === namespace && namePatternMatches(r.name, name));
}

function subjectOf(s: Record<string, unknown>, bindingNs: string): Omit<Subject, 'builtIn'> {
  const kind = canonicalSubjectKind(asString(s['kind']) ?? '?');
  const name = asString(s['name']) ?? '?';
  if (kind === 'ServiceAccount') {
    const namespace = asString(s['namespace']) || bindingNs || 'default';
    return { kind, name, namespace, text: `ServiceAccount ${namespace}/${name}` };
  }
  return { kind, name, text: `${kind} ${name}` };
}

function subjectKey(s: Omit<Subject, 'builtIn'>): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace}/${s.name}` : `${s.kind}:${s.name}`;
}

function builtInSubject(binding: Pick<BindingInfo, 'kind' | 'name' | 'namespace' | 'roleRef'>, subject: Omit<Subject, 'builtIn'>): boolean {
  const key = subjectKey(subject);
  return BUILT_IN_BINDINGS.some(
    (b) =>
      b.kind === binding.kind &&
      (b.namespace === undefined || b.namespace === binding.namespace) &&
      namePatternMatches(b.name, binding.name) &&
      namePatternMatches(b.roleRef, binding.roleRef.name) &&
      b.subjects.some((p) => namePatternMatches(p, key)),
  );
}

/**
 * RBAC of one inventory, resolved once: roles with their aggregated rules, bindings with the role
 * they grant and which of their subjects are built-in.
 */
export class RbacModel {
  readonly roles: RoleInfo[] = [];
  readonly bindings: BindingInfo[] = [];
  private readonly clusterRoles = new Map<string, RoleInfo>();
  private readonly nsRoles = new Map<string, RoleInfo>();
  private readonly bindingsByRole = new Map<RoleInfo, BindingInfo[]>();
  private readonly grantees = new Map<RoleInfo, RoleGrantees>();

  constructor(index: InventoryIndex, judgeBuiltIn: boolean) {
    const clusterRoleObjects = index.byKind('ClusterRole');
    const byName = new Map(clusterRoleObjects.map((o) => [nameOf(o), o]));
    const selectorsOf = (obj: KubeObject): Record<string, unknown>[] => {
      const selectors = asRecords(asRecord(obj['aggregationRule'])?.['clusterRoleSelectors']);
      const known = BUILT_IN_ROLE_RULES[nameOf(obj)];
      if (known?.aggregateLabel && selectors.length === 0) selectors.push({ matchLabels: { [known.aggregateLabel]: 'true' } });
      return selectors;
    };
    // Aggregated ClusterRoles: own rules plus those of every ClusterRole reachable through label
    // selectors (aggregates of aggregates, cycles included), collected by a walk over the graph.
    const resolve = (name: string): PolicyRule[] => {
      const root = byName.get(name);
      if (!root) return [];
      const rules = parseRules(root['rules'], '');
      if (selectorsOf(root).length === 0) return rules;
      const visited = new Set([name]);
      const queue = [root];
      while (queue.length > 0) {
        const selectors = selectorsOf(queue.shift()!);
        if (selectors.length === 0) continue;
        for (const other of clusterRoleObjects) {
          const otherName = nameOf(other);
          if (visited.has(otherName)) continue;
          const lookup = mapLookup(labelsOf(other.metadata?.labels));
          if (!selectors.some((s) => matchLabelSelector(s, lookup) === true)) continue;
          visited.add(otherName);
          queue.push(other);
          for (const r of parseRules(other['rules'], '')) {
            if (!rules.some((x) => sameRule(x, r))) rules.push({ ...r, origin: `${r.origin} via aggregated ClusterRole ${otherName}` });
          }
        }
      }
      return rules;
    };
    for (const obj of clusterRoleObjects) {
      const name = nameOf(obj);
      const info: RoleInfo = {
        kind: 'ClusterRole',
        namespace: '',
        name,
        object: obj,
        rules: resolve(name),
        builtIn: !judgeBuiltIn && isBuiltInRole('ClusterRole', '', name),
        text: rbacText('ClusterRole', '', name),
      };
      this.roles.push(info);
      this.clusterRoles.set(name, info);
    }
    for (const obj of index.byKind('Role')) {
      const ns = namespaceOf(obj);
      const name = nameOf(obj);
      const info: RoleInfo = {
        kind: 'Role',
        namespace: ns,
        name,
        object: obj,
        rules: parseRules(obj['rules'], ''),
        builtIn: !judgeBuiltIn && isBuiltInRole('Role', ns, name),
        text: rbacText('Role', ns, name),
      };
      this.roles.push(info);
      this.nsRoles.set(`${ns}/${name}`, info);
    }
    for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
      for (const obj of index.byKind(kind)) this.addBinding(obj, kind, judgeBuiltIn, clusterRoleObjects);
    }
  }

  private addBinding(obj: KubeObject, kind: BindingInfo['kind'], judgeBuiltIn: boolean, clusterRoleObjects: KubeObject[]): void {
    const namespace = kind === 'RoleBinding' ? namespaceOf(obj) : '';
    const ref = asRecord(obj['roleRef']) ?? {};
    const roleRef = { kind: asString(ref['kind']) ?? '', name: asString(ref['name']) ?? '' };
    const role = this.roleFor(kind, namespace, roleRef, clusterRoleObjects);
    const head = { kind, name: nameOf(obj), namespace, roleRef };
    const subjects = asRecords(obj['subjects']).map((s) => {
      const base = subjectOf(s, namespace);
      return { ...base, builtIn: !judgeBuiltIn && builtInSubject(head, base) };
    });
    const binding: BindingInfo = {
      object: obj,
      ...head,
      subjects,
      builtIn: subjects.every((s) => s.builtIn),
      text: rbacText(kind, namespace, head.name),
    };
    if (role) {
      binding.role = role;
      let list = this.bindingsByRole.get(role);
      if (!list) this.bindingsByRole.set(role, (list = []));
      list.push(binding);
    }
    this.bindings.push(binding);
  }

  /** A ClusterRoleBinding may only reference a ClusterRole; a RoleBinding a Role of its namespace or a ClusterRole. */
  private roleFor(
    kind: BindingInfo['kind'],
    namespace: string,
    ref: { kind: string; name: string },
    clusterRoleObjects: KubeObject[],
  ): RoleInfo | undefined {
    if (ref.kind === 'Role') return kind === 'RoleBinding' ? this.nsRoles.get(`${namespace}/${ref.name}`) : undefined;
    if (ref.kind !== 'ClusterRole') return undefined;
    const found = this.clusterRoles.get(ref.name);
    if (found) return found;
    const known = BUILT_IN_ROLE_RULES[ref.name];
    if (!known) return undefined;
    // Manifest scans: the shipped role is not in the folder, but what it grants is known.
    const rules = parseRules(known.rules, 'built-in ');
    if (known.aggregateLabel) {
      for (const other of clusterRoleObjects) {
        if (labelsOf(other.metadata?.labels)[known.aggregateLabel] === 'true') {
          rules.push(
            ...parseRules(other['rules'], `ClusterRole ${nameOf(other)} `).map((r) => ({ ...r, origin: `${r.origin} via aggregation` })),
          );
        }
      }
    }
    const synthetic: RoleInfo = {
      kind: 'ClusterRole',
      namespace: '',
      name: ref.name,
      rules,
      builtIn: true,
      text: rbacText('ClusterRole', '', ref.name),
    };
    this.clusterRoles.set(ref.name, synthetic);
    return synthetic;
  }

  /** Bindings that grant a role, with at least one subject that is not built-in; the subjects they name. Shared: read only. */
  granteesOf(role: RoleInfo): RoleGrantees {
    let grantees = this.grantees.get(role);
    if (!grantees) {
      const bindings = (this.bindingsByRole.get(role) ?? []).filter((b) => !b.builtIn);
      const subjects = new Set<string>();
      for (const b of bindings) for (const s of b.subjects) if (!s.builtIn) subjects.add(s.text);
      grantees = { bindings, boundBy: bindings.map((b) => b.text), subjects: [...subjects] };
      this.grantees.set(role, grantees);
    }
    return grantees;
  }
}

const cache = new WeakMap<InventoryIndex, RbacModel>();

export function rbacModel(ctx: PolicyContext): RbacModel {
  let model = cache.get(ctx.index);
  if (!model) cache.set(ctx.index, (model = new RbacModel(ctx.index, ctx.config.rbac.judgeBuiltIn)));
  return model;
}

/** `Role ns/name`, `ClusterRole name`, `RoleBinding ns/name`, `ClusterRoleBinding name`: how messages name RBAC objects. */
export function rbacText(kind: string, namespace: string, name: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/**
 * The same text from the object's ref (kind, namespace, name as the model read them), so a message
 * can name the role or binding when it is read (a ResourceMessage).
 */
export function rbacTextOf(ref: ResourceRef): string {
  return rbacText(ref.kind, ref.namespace ?? '', ref.name);
}

export function describeBinding(b: BindingInfo): string {
  return b.text;
}

/** The RBAC kinds every RBAC control reads. */
export const RBAC_KINDS = ['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'] as const;
