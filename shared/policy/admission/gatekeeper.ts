import { globMatch } from '../../core/glob.js';
import { apiGroupOf, nameOf } from '../../inventory/objects.js';
import { asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { isPodBearingKind } from '../../inventory/workloads.js';
import type { PolicyContext } from '../context.js';
import type { NamespaceInfo } from '../namespaces.js';
import { mapLookup, matchLabelSelector } from '../selectors.js';

export const GATEKEEPER_CONSTRAINT_GROUP = 'constraints.gatekeeper.sh';
export const GATEKEEPER_MUTATION_GROUP = 'mutations.gatekeeper.sh';
/** Gap source the live collector uses for "constraints could not be listed". */
export const GATEKEEPER_CONSTRAINT_SOURCE = 'GatekeeperConstraint';

export interface GatekeeperMatch {
  /** Does the match apply to pods (or pod templates) of this namespace? */
  covers(ns: NamespaceInfo): boolean;
  /** `excludedNamespaces` / `namespaces` as written, for evidence. */
  describe: string[];
}

export interface GatekeeperConstraint {
  object: KubeObject;
  kind: string;
  name: string;
  /** deny (or unset, Gatekeeper's default), dryrun, warn, scoped… */
  action: string;
  /** Rejects at admission: `deny`, unset, or `scoped` with a deny action for the validation webhook. */
  enforcing: boolean;
  match: GatekeeperMatch;
  parameters: Record<string, unknown>;
}

/** Gatekeeper namespace patterns: exact names or a `*` wildcard (prefix `kube-*` or suffix `*-system`). */
function namespacePatternMatches(pattern: string, ns: string): boolean {
  return pattern.includes('*') ? globMatch(pattern, ns) : pattern === ns;
}

/** Kinds in a match (`kinds: [{apiGroups, kinds}]`): absent or `*` is every kind. */
export function matchesPodKinds(kindsField: unknown): boolean {
  const entries = asRecords(kindsField);
  if (!Array.isArray(kindsField) || entries.length === 0) return true;
  return entries.some((e) => {
    const kinds = asStrings(e['kinds']);
    return kinds.length === 0 || kinds.some((k) => k === '*' || isPodBearingKind(k));
  });
}

/**
 * Gatekeeper's `spec.match` as it applies to the pods of a namespace. A match narrowed by object
 * labels or names covers only some pods, so it does not cover the namespace. `globalExclusions`
 * are the `Config` resource's excludedNamespaces for the webhook.
 */
export function gatekeeperMatch(match: unknown, globalExclusions: readonly string[]): GatekeeperMatch {
  const m = asRecord(match) ?? {};
  const namespaces = Array.isArray(m['namespaces']) ? asStrings(m['namespaces']) : undefined;
  const excluded = [...asStrings(m['excludedNamespaces']), ...globalExclusions];
  const nsSelector = m['namespaceSelector'];
  const scope = asString(m['scope']);
  const labelSelector = asRecord(m['labelSelector']);
  const partial = (labelSelector !== undefined && Object.keys(labelSelector).length > 0) || m['name'] !== undefined || scope === 'Cluster';
  const podKinds = matchesPodKinds(m['kinds']);
  const describe = [
    ...(namespaces ? [`only namespaces ${namespaces.join(', ')}`] : []),
    ...(excluded.length > 0 ? [`excluded namespaces ${excluded.join(', ')}`] : []),
    ...(nsSelector !== undefined ? ['a namespaceSelector'] : []),
    ...(partial ? ['only some objects (labelSelector, name or cluster scope)'] : []),
  ];
  return {
    covers(ns) {
      if (partial || !podKinds) return false;
      if (namespaces && !namespaces.some((p) => namespacePatternMatches(p, ns.name))) return false;
      if (excluded.some((p) => namespacePatternMatches(p, ns.name))) return false;
      return nsSelector === undefined || matchLabelSelector(nsSelector, mapLookup(ns.labels)) === true;
    },
    describe,
  };
}

function enforcementOf(spec: Record<string, unknown>): { action: string; enforcing: boolean } {
  const action = asString(spec['enforcementAction']) ?? 'deny';
  if (action === 'deny') return { action, enforcing: true };
  if (action === 'scoped') {
    // scopedEnforcementActions: deny for the validation webhook (or every enforcement point).
    const enforcing = asRecords(spec['scopedEnforcementActions']).some(
      (s) =>
        asString(s['action']) === 'deny' &&
        (asRecords(s['enforcementPoints']).length === 0 ||
          asRecords(s['enforcementPoints']).some((p) => ['validation.gatekeeper.sh', '*'].includes(asString(p['name']) ?? ''))),
    );
    return { action: enforcing ? 'scoped (deny)' : 'scoped', enforcing };
  }
  return { action, enforcing: false };
}

/** Namespaces the Gatekeeper `Config` resource excludes from the admission webhook. */
export function gatekeeperGlobalExclusions(ctx: PolicyContext): string[] {
  const out: string[] = [];
  for (const cfg of ctx.index.byKind('Config').filter((o) => apiGroupOf(o) === 'config.gatekeeper.sh')) {
    for (const m of asRecords(asRecord(cfg['spec'])?.['match'])) {
      const processes = asStrings(m['processes']);
      if (processes.includes('*') || processes.includes('webhook')) out.push(...asStrings(m['excludedNamespaces']));
    }
  }
  return out;
}

const constraintsCache = new WeakMap<PolicyContext['index'], readonly GatekeeperConstraint[]>();
const CONSTRAINT_API_PREFIX = `${GATEKEEPER_CONSTRAINT_GROUP}/`;

/**
 * Every Gatekeeper constraint in the inventory (any kind of constraints.gatekeeper.sh): read once
 * per indexed inventory, since constraint kinds are open-ended and finding them means reading
 * every object.
 */
export function gatekeeperConstraints(ctx: PolicyContext): readonly GatekeeperConstraint[] {
  let constraints = constraintsCache.get(ctx.index);
  if (!constraints) constraintsCache.set(ctx.index, (constraints = readConstraints(ctx)));
  return constraints;
}

function readConstraints(ctx: PolicyContext): GatekeeperConstraint[] {
  const exclusions = gatekeeperGlobalExclusions(ctx);
  const out: GatekeeperConstraint[] = [];
  const resources = ctx.index.inventory.resources;
  // An indexed loop over every object: an array iterator would allocate per object before the code is optimized.
  for (let i = 0; i < resources.length; i++) {
    const obj = resources[i]!;
    if (!obj.apiVersion?.startsWith(CONSTRAINT_API_PREFIX)) continue;
    // A constraint pasted with its indentation lost (`spec:` empty, `match:`/`parameters:` at the top,
    // as in the NSA/CISA TKG guide) is still read for what it says.
    const spec =
      asRecord(obj['spec']) ?? (obj['match'] !== undefined || obj['parameters'] !== undefined ? (obj as Record<string, unknown>) : {});
    out.push({
      object: obj,
      kind: obj.kind ?? '',
      name: nameOf(obj),
      ...enforcementOf(spec),
      match: gatekeeperMatch(spec['match'], exclusions),
      parameters: asRecord(spec['parameters']) ?? {},
    });
  }
  return out;
}

/**
 * Gaps on constraints: the group-wide source, or the constraint kind of a ConstraintTemplate
 * (the live collector records a gap per template kind it could not list).
 */
export function constraintGaps(ctx: PolicyContext, kindFilter: (kind: string) => boolean = () => true): string[] {
  const templateKinds = new Set(
    ctx.index
      .byKind('ConstraintTemplate')
      .map((t) => asString(asRecord(asRecord(asRecord(asRecord(t['spec'])?.['crd'])?.['spec'])?.['names'])?.['kind']) ?? ''),
  );
  return ctx.inventory.gaps
    .filter((g) => g.source === GATEKEEPER_CONSTRAINT_SOURCE || (templateKinds.has(g.source) && kindFilter(g.source)))
    .map((g) => g.source);
}
