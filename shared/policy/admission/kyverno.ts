import { globMatch } from '../../core/glob.js';
import { namespaceOf } from '../../inventory/indexed.js';
import { apiGroupOf, describeObject } from '../../inventory/objects.js';
import { asRecord, asRecords, asString, asStrings } from '../../inventory/read.js';
import type { KubeObject } from '../../inventory/types.js';
import { isPodBearingKind } from '../../inventory/workloads.js';
import type { PolicyContext } from '../context.js';
import type { NamespaceInfo } from '../namespaces.js';
import { mapLookup, matchLabelSelector } from '../selectors.js';

export const KYVERNO_KINDS = ['ClusterPolicy', 'Policy'] as const;

export interface KyvernoRule {
  policy: KubeObject;
  /** `ClusterPolicy/disallow-privileged/rules[0] (privileged-containers)`. */
  label: string;
  rule: Record<string, unknown>;
  /** Does the rule apply to pods (or pod controllers) of this namespace? */
  covers(ns: NamespaceInfo): boolean;
  /** Validation failures are rejected (Enforce) in this namespace, not only reported (Audit). */
  enforcedIn(ns: NamespaceInfo): boolean;
  /** `Enforce`, `Audit`, or `Enforce (Audit in x, y)`: evidence. */
  action: string;
}

/** `v1/Pod`, `apps/v1/Deployment`, `Pod`, `*`: the kind part of a Kyverno kind reference. */
function kindName(ref: string): string {
  const parts = ref.split('/');
  return parts[parts.length - 1] ?? ref;
}

interface ResourceFilter {
  kinds: string[];
  namespaces?: string[];
  namespaceSelector?: unknown;
  /** Narrowed by object labels or names: only some pods. */
  partial: boolean;
}

function filtersOf(block: unknown): { mode: 'any' | 'all'; filters: ResourceFilter[] } {
  const b = asRecord(block) ?? {};
  const toFilter = (entry: Record<string, unknown>): ResourceFilter => {
    const res = asRecord(entry['resources']) ?? {};
    const f: ResourceFilter = {
      kinds: asStrings(res['kinds']).map(kindName),
      partial: res['selector'] !== undefined || res['names'] !== undefined || res['name'] !== undefined,
    };
    if (Array.isArray(res['namespaces'])) f.namespaces = asStrings(res['namespaces']);
    if (res['namespaceSelector'] !== undefined) f.namespaceSelector = res['namespaceSelector'];
    return f;
  };
  if (Array.isArray(b['all'])) return { mode: 'all', filters: asRecords(b['all']).map(toFilter) };
  if (Array.isArray(b['any'])) return { mode: 'any', filters: asRecords(b['any']).map(toFilter) };
  return { mode: 'all', filters: b['resources'] !== undefined ? [toFilter(b)] : [] };
}

function filterHitsNamespace(f: ResourceFilter, ns: NamespaceInfo): boolean {
  if (f.namespaces && !f.namespaces.some((p) => globMatch(p, ns.name))) return false;
  return f.namespaceSelector === undefined || matchLabelSelector(f.namespaceSelector, mapLookup(ns.labels)) === true;
}

function filterHitsPods(f: ResourceFilter): boolean {
  return f.kinds.length === 0 || f.kinds.some((k) => k === '*' || isPodBearingKind(k));
}

/** Kyverno's failure action: rule-level `failureAction` (1.13+) over the policy's `validationFailureAction` (default Audit). */
function enforcement(
  policySpec: Record<string, unknown>,
  rule: Record<string, unknown>,
): { action: string; overrides: Record<string, unknown>[] } {
  const validate = asRecord(rule['validate']) ?? {};
  const action = asString(validate['failureAction']) ?? asString(policySpec['validationFailureAction']) ?? 'Audit';
  const overrides = asRecords(validate['failureActionOverrides'] ?? policySpec['validationFailureActionOverrides']);
  return { action, overrides };
}

export function kyvernoRules(ctx: PolicyContext): KyvernoRule[] {
  const out: KyvernoRule[] = [];
  for (const kind of KYVERNO_KINDS) {
    for (const policy of ctx.index.byKind(kind)) {
      if (apiGroupOf(policy) !== 'kyverno.io') continue;
      const spec = asRecord(policy['spec']) ?? {};
      const policyNs = kind === 'Policy' ? namespaceOf(policy) : undefined;
      asRecords(spec['rules']).forEach((rule, i) => {
        const match = filtersOf(rule['match']);
        const exclude = filtersOf(rule['exclude']);
        const { action, overrides } = enforcement(spec, rule);
        const enforce = action.toLowerCase() === 'enforce';
        const name = asString(rule['name']);
        const overrideText = overrides
          .map((o) => `${asString(o['action']) ?? '?'} in ${asStrings(o['namespaces']).join(', ') || 'selected namespaces'}`)
          .join('; ');
        out.push({
          policy,
          label: `${describeObject(policy)} rules[${i}]${name ? ` (${name})` : ''}`,
          rule,
          action: `${enforce ? 'Enforce' : 'Audit'}${overrideText ? ` (${overrideText})` : ''}`,
          covers(ns) {
            if (policyNs !== undefined && ns.name !== policyNs) return false;
            const podFilters = match.filters.filter((f) => !f.partial);
            const matched =
              match.mode === 'any'
                ? podFilters.some((f) => filterHitsPods(f) && filterHitsNamespace(f, ns))
                : podFilters.length === match.filters.length &&
                  podFilters.length > 0 &&
                  podFilters.every((f) => filterHitsPods(f) && filterHitsNamespace(f, ns));
            if (!matched) return false;
            // An exclusion naming this namespace (or selecting it by label) removes it, whatever kinds it names.
            const excludes = (f: ResourceFilter) =>
              (f.namespaces !== undefined || f.namespaceSelector !== undefined) && filterHitsNamespace(f, ns);
            return exclude.mode === 'any'
              ? !exclude.filters.some(excludes)
              : !(exclude.filters.length > 0 && exclude.filters.every(excludes));
          },
          enforcedIn(ns) {
            const override = overrides.find(
              (o) =>
                asStrings(o['namespaces']).some((p) => globMatch(p, ns.name)) ||
                (o['namespaceSelector'] !== undefined && matchLabelSelector(o['namespaceSelector'], mapLookup(ns.labels)) === true),
            );
            const effective = override ? (asString(override['action']) ?? action) : action;
            return effective.toLowerCase() === 'enforce';
          },
        });
      });
    }
  }
  return out;
}

/** Kyverno anchors around a key: `(key)`, `+(key)`, `=(key)`, `X(key)`, `^(key)`, `<(key)`. */
export function stripAnchor(key: string): string {
  const m = /^[+=X^<]?\((.*)\)$/.exec(key);
  return m ? m[1]! : key;
}

/** Every `(key, value)` pair of a nested pattern/patch, keys without anchors. */
export function* walkPattern(value: unknown, path: string[] = []): Generator<{ path: string[]; key: string; value: unknown }> {
  if (Array.isArray(value)) {
    for (const item of value) yield* walkPattern(item, path);
    return;
  }
  const rec = asRecord(value);
  if (!rec) return;
  for (const [rawKey, v] of Object.entries(rec)) {
    const key = stripAnchor(rawKey);
    yield { path, key, value: v };
    yield* walkPattern(v, [...path, key]);
  }
}

export function ruleValidate(rule: Record<string, unknown>): Record<string, unknown> {
  return asRecord(rule['validate']) ?? {};
}
